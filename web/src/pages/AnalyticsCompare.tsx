// The analytics page's comparison of pushes: find pushes as the pushes
// list does, pick up to five, and see their reports side by side.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { CsvButton } from "../components/CsvButton";
import { graphql } from "../gql";
import type { AnalyticsCompareQuery, AnalyticsPushSearchQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import {
  addCounts,
  COUNT_METRICS,
  formatValue,
  isRate,
  MAX_COMPARE,
  METRICS,
  RATE_METRICS,
  valueOf,
  withCompared,
  zeroCounts,
  type Counts,
  type View,
} from "../lib/analytics";
import { when } from "../lib/format";
import { jobsWhere } from "../lib/jobs";
import { Badge, Empty, Loading, Problem } from "../ui";
import { CountCells, countRow, metricName, palette } from "./analyticsShared";

// The pushes to pick from: the newest first, found by title, task name or
// message key as on the pushes page.
const AnalyticsPushSearch = graphql(`
  query AnalyticsPushSearch($where: PushJobWhereInput!) {
    pushJobs(where: $where, first: 10, orderBy: { field: CREATED_AT, direction: DESC }) {
      edges {
        node {
          id
          taskName
          msgKey
          kind
          status
          createdAt
          recurrence {
            cron
          }
          message {
            title
          }
        }
      }
    }
  }
`);

const AnalyticsCompare = graphql(`
  query AnalyticsCompare($where: PushJobWhereInput!) {
    pushJobs(where: $where, first: 5) {
      edges {
        node {
          id
          taskName
          msgKey
          kind
          status
          createdAt
          message {
            title
          }
          report {
            counts {
              ...AllCountsFields
            }
          }
        }
      }
    }
  }
`);

type SearchJob = NonNullable<NonNullable<AnalyticsPushSearchQuery["pushJobs"]["edges"]>[number]>["node"];
type CompareJob = NonNullable<NonNullable<NonNullable<AnalyticsCompareQuery["pushJobs"]["edges"]>[number]>["node"]>;

// pushName is how a push is named here, as the pushes list names it: its
// title, else its task name or message key.
const pushName = (j: { id: string; taskName?: string | null; msgKey?: string | null; message?: { title?: string | null } | null }) =>
  j.message?.title || j.taskName || j.msgKey || j.id;

// Compare puts up to 5 pushes side by side: each push's report (its
// counts over its whole life, not only the range above).
export function Compare({ appID, view, show }: { appID: string; view: View; show: (v: View) => void }) {
  const { t } = useTranslation("analytics");
  const [q, setQ] = useState("");
  // The same search as the pushes page.
  const where = jobsWhere(appID, q ? { q } : {});
  const search = useQuery(AnalyticsPushSearch, { where });
  const compared = useQuery(AnalyticsCompare, { where: { appID, idIn: view.compare } }, { skip: view.compare.length === 0 });
  const found = (search.data?.pushJobs.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  // In the order they were picked (the URL's), whatever pushd's order.
  const byID = new Map((compared.data?.pushJobs.edges ?? []).flatMap((e) => (e?.node ? [[e.node.id, e.node] as const] : [])));
  const jobs = view.compare.flatMap((id) => (byID.has(id) ? [byID.get(id)!] : []));
  const full = view.compare.length >= MAX_COMPARE;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQ(String(new FormData(e.currentTarget).get("q") ?? "").trim());
  };

  return (
    <section aria-label={t("compare.title")}>
      <h2>{t("compare.title")}</h2>
      <p className="muted small">{t("compare.intro", { count: MAX_COMPARE })}</p>
      <form className="compare-search" role="search" aria-label={t("compare.search")} onSubmit={submit}>
        <label>
          {t("compare.query")}
          <input type="search" name="q" defaultValue={q} placeholder={t("compare.placeholder")} />
        </label>
        <button type="submit" className="secondary">
          {t("compare.find")}
        </button>
      </form>
      <Problem error={search.error} retry={search.reload} />
      {search.loading && !search.data ? (
        <Loading />
      ) : found.length === 0 ? (
        search.data && <Empty>{q ? t("compare.noMatch") : t("compare.noPushes")}</Empty>
      ) : (
        <ul className="compare-results" aria-label={t("compare.results")}>
          {found.map((j) => (
            <SearchRow key={j.id} appID={appID} job={j} picked={view.compare.includes(j.id)} full={full} toggle={(on) => show(withCompared(view, j.id, on))} />
          ))}
        </ul>
      )}
      <Problem error={compared.error} retry={compared.reload} />
      {view.compare.length === 0 ? (
        <p className="muted">{t("compare.none")}</p>
      ) : compared.loading && !compared.data ? (
        <Loading />
      ) : (
        <Compared
          appID={appID}
          jobs={jobs}
          // While a new pick loads, the old answer lacks it: not missing.
          missing={compared.loading ? 0 : view.compare.length - jobs.length}
          view={view}
          remove={(id) => show(withCompared(view, id, false))}
        />
      )}
    </section>
  );
}

function SearchRow({ appID, job, picked, full, toggle }: { appID: string; job: SearchJob; picked: boolean; full: boolean; toggle: (on: boolean) => void }) {
  const { t } = useTranslation("analytics");
  if (!job) return null;
  const name = pushName(job);
  // A recurring push is a schedule: its runs are pushes of their own, with
  // the reports.
  const schedule = Boolean(job.recurrence);
  return (
    <li>
      <Link className="grow" to={`/apps/${appID}/jobs/${job.id}`}>
        {name}
      </Link>
      <span className="muted small">{t(`kind.${job.kind}`)}</span>
      <Badge value={job.status} />
      <span className="muted small nowrap">{when(job.createdAt)}</span>
      {picked ? (
        <button type="button" className="secondary" onClick={() => toggle(false)} aria-label={t("compare.removeNamed", { name })}>
          {t("compare.remove")}
        </button>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={full || schedule}
          title={schedule ? t("compare.schedule") : full ? t("compare.full", { count: MAX_COMPARE }) : undefined}
          onClick={() => toggle(true)}
          aria-label={t("compare.addNamed", { name })}
        >
          {t("compare.add")}
        </button>
      )}
    </li>
  );
}

// Compared is the table and the bars of the pushes picked.
function Compared({ appID, jobs, missing, view, remove }: { appID: string; jobs: CompareJob[]; missing: number; view: View; remove: (id: string) => void }) {
  const { t } = useTranslation("analytics");
  const counts = (j: CompareJob) => j.report.reduce<Counts>((c, p) => addCounts(c, p.counts), zeroCounts());
  const header = [t("compare.push"), t("compare.id"), t("compare.kind"), t("compare.created"), ...METRICS.map((m) => metricName(t, m))];
  const values = jobs.map((j) => valueOf(counts(j), view.metric) ?? 0);
  // Counts are drawn to the largest push; rates to 100 %.
  const scale = isRate(view.metric) ? 1 : Math.max(1, ...values);
  return (
    <>
      {missing > 0 && <p className="muted small">{t("compare.missing", { count: missing })}</p>}
      <div className="section-header">
        <h3>{t("compare.bars", { metric: metricName(t, view.metric) })}</h3>
        <CsvButton
          name="push-comparison"
          header={header}
          rows={() =>
            jobs.map((j) => {
              const c = counts(j);
              return [pushName(j), j.id, t(`kind.${j.kind}`), j.createdAt, ...countRow(c)];
            })
          }
        />
      </div>
      <div className="compare-bars" role="list" aria-label={t("compare.bars", { metric: metricName(t, view.metric) })}>
        {jobs.map((j, i) => (
          <div key={j.id} role="listitem" style={{ display: "contents" }}>
            <span className="name">{pushName(j)}</span>
            <span className="track" aria-hidden="true">
              <span style={{ width: `${Math.min(100, (100 * values[i]) / scale)}%`, background: palette[i % palette.length] }} />
            </span>
            <span className="value">{formatValue(view.metric, valueOf(counts(j), view.metric))}</span>
          </div>
        ))}
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t("compare.table")}>
        <table aria-label={t("compare.table")}>
          <thead>
            <tr>
              <th>{t("compare.push")}</th>
              {COUNT_METRICS.map((m) => (
                <th key={m} className="num">
                  {metricName(t, m)}
                </th>
              ))}
              {RATE_METRICS.map((m) => (
                <th key={m} className="num" title={t(`formula.${m}`)}>
                  {metricName(t, m)}
                </th>
              ))}
              <th>
                <span className="visually-hidden">{t("compare.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => {
              const c = counts(j);
              return (
                <tr key={j.id}>
                  <td>
                    <Link to={`/apps/${appID}/jobs/${j.id}`}>{pushName(j)}</Link>
                    <div className="muted small">
                      {t(`kind.${j.kind}`)} · {when(j.createdAt)} · <Badge value={j.status} />
                    </div>
                  </td>
                  <CountCells c={c} />
                  <td>
                    <button type="button" className="link" onClick={() => remove(j.id)} aria-label={t("compare.removeNamed", { name: pushName(j) })}>
                      {t("compare.remove")}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t("compare.lifetime")}</p>
    </>
  );
}

