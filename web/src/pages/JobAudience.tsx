// Whom a push went to: the device or user IDs a simple or template push
// named, or the filters of a broadcast. The job keeps the delivery counts
// too; this is what the backend asked for.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { count } from "../lib/format";
import { platformName } from "../lib/jobs";

type Target = { deviceIDs: string[]; userIDs: string[] };
type Audience = { platforms: string[]; appVersions: string[]; tags: string[]; groups: string[]; bound: string; activeWithinSeconds?: number | null };

// Long lists show their first IDs; the deliveries list below has them all.
const SHOWN = 20;

const GroupNames = graphql(`
  query JobAudienceGroups($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Group {
        id
        name
      }
    }
  }
`);

export function JobAudience({ appID, job }: { appID: string; job: { target?: Target | null; audience?: Audience | null } }) {
  const { t } = useTranslation("jobs");
  if (job.target) return <Targets appID={appID} target={job.target} />;
  if (!job.audience) return <p className="muted">{t("audienceCard.perItem")}</p>;
  return <Filters appID={appID} audience={job.audience} />;
}

function Targets({ appID, target }: { appID: string; target: Target }) {
  const { t } = useTranslation("jobs");
  const users = target.userIDs.length > 0;
  const ids = users ? target.userIDs : target.deviceIDs;
  const link = (id: string) => (users ? `/apps/${appID}/users?q=${encodeURIComponent(id)}` : `/apps/${appID}/devices/${id}`);
  return (
    <>
      <p>{t(users ? "audienceCard.users" : "audienceCard.devices", { count: ids.length })}</p>
      <ul className="id-list">
        {ids.slice(0, SHOWN).map((id) => (
          <li key={id}>
            <Link to={link(id)}>
              <code>{id}</code>
            </Link>
          </li>
        ))}
      </ul>
      {ids.length > SHOWN && <p className="muted small">{t("audienceCard.more", { n: count(ids.length - SHOWN) })}</p>}
    </>
  );
}

function Filters({ appID, audience: a }: { appID: string; audience: Audience }) {
  const { t } = useTranslation("jobs");
  const groups = useQuery(GroupNames, { ids: a.groups }, { skip: a.groups.length === 0 });
  const named = new Map((groups.data?.nodes ?? []).flatMap((n) => (n && "name" in n ? [[n.id, n.name] as const] : [])));
  const sep = t("sep.list");
  const rows: [string, ReactNode][] = [];
  if (a.platforms.length) rows.push([t("audienceCard.platforms"), a.platforms.map(platformName).join(sep)]);
  if (a.appVersions.length) rows.push([t("audienceCard.versions"), a.appVersions.join(sep)]);
  if (a.tags.length) rows.push([t("audienceCard.tags"), a.tags.join(sep)]);
  if (a.groups.length) {
    rows.push([
      t("audienceCard.groups"),
      a.groups.map((g, i) => (
        <span key={g}>
          {i > 0 && sep}
          <Link to={`/apps/${appID}/users?group=${g}`}>{named.get(g) ?? g}</Link>
        </span>
      )),
    ]);
  }
  if (a.bound !== "ANY") rows.push([t("audienceCard.bound"), t(`audienceCard.boundValue.${a.bound as "BOUND"}`)]);
  if (a.activeWithinSeconds) rows.push([t("audienceCard.active"), t("audienceCard.activeValue", { n: count(Math.round(a.activeWithinSeconds / 3600)) })]);
  if (rows.length === 0) return <p>{t("audienceCard.everyone")}</p>;
  return (
    <>
      <p>{t("audienceCard.matching")}</p>
      <dl className="props">
        {rows.map(([k, v]) => (
          <div key={k} className="prop">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
