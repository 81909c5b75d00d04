import { useState, type FormEvent } from "react";
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { deviceFilter, deviceOrder, deviceParams, deviceWhere, PLATFORMS, tokenSummary, type DeviceFilter } from "../lib/content";
import { ago, channelName, when } from "../lib/format";
import { PAGE_SIZE } from "../lib/paging";
import { Badge, ListBody, PageHeader, Pager, Problem, usePager } from "../ui";
import "./content.css";

const DevicesQuery = graphql(`
  query DevicesList($where: DeviceWhereInput, $orderBy: DeviceOrder, $first: Int, $after: Cursor) {
    devices(where: $where, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          installationID
          platform
          appVersion
          osVersion
          model
          pushEnabled
          lastSeenAt
          online
          createdAt
          user {
            id
            externalID
          }
          tokens {
            id
            channel
            status
          }
        }
      }
    }
  }
`);

// platformName shows a platform as people write it (iOS, HarmonyOS…).
const platformName = (t: TFunction<"devices">, p: string) => t(`platform.${p}` as "platform.IOS");

// tokensTitle lists a device's vendor channels, the dead ones marked.
function tokensTitle(t: TFunction<"devices">, tokens: { active: string[]; dead: string[] }): string {
  const parts = [...tokens.active.map(channelName), ...tokens.dead.map((c) => t("list.tokensTitle.dead", { channel: channelName(c) }))];
  return parts.length ? parts.join(t("separator")) : t("list.tokensTitle.none");
}

export default function Devices() {
  const { t } = useTranslation("devices");
  const { appID = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const filter = deviceFilter(params);
  const where = deviceWhere(appID, filter);
  const orderBy = deviceOrder(filter.sort);
  const pager = usePager({ where, orderBy });
  const { data, error, loading, reload } = useQuery(DevicesQuery, { where, orderBy, first: PAGE_SIZE, after: pager.after });
  const devices = data?.devices.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const filtered = Boolean(filter.q || filter.user || filter.tag || filter.platform || filter.bound || filter.push);
  const apply = (f: DeviceFilter) => setParams(deviceParams(f));

  return (
    <>
      <PageHeader title={t("list.title")} />
      {/* The form starts over from the URL whenever it changes (back button, links). */}
      <Filters key={params.toString()} filter={filter} apply={apply} />
      <Problem error={error} retry={reload} />
      <ListBody
        data={data}
        loading={loading}
        error={error}
        count={devices.length}
        empty={filtered ? t("list.empty.filtered") : t("list.empty.none")}
      >
        <table aria-label={t("list.table")}>
          <thead>
            <tr>
              <th>{t("list.columns.device")}</th>
              <th>{t("list.columns.platform")}</th>
              <th>{t("list.columns.appVersion")}</th>
              <th>{t("list.columns.user")}</th>
              <th>{t("list.columns.lastSeen")}</th>
              <th>{t("list.columns.tokens")}</th>
              <th>{t("list.columns.created")}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => {
              const tokens = tokenSummary(d.tokens);
              return (
                <tr key={d.id}>
                  <td>
                    <Link to={`/apps/${appID}/devices/${d.id}`}>
                      <code>{d.id}</code>
                    </Link>
                    <div className="muted small clip" title={d.installationID}>
                      {d.model || d.installationID}
                    </div>
                  </td>
                  <td>
                    {platformName(t, d.platform)}
                    {d.osVersion && <div className="muted small">{d.osVersion}</div>}
                  </td>
                  <td>{d.appVersion || "–"}</td>
                  <td>
                    {d.user ? (
                      <Link to={`/apps/${appID}/users?q=${encodeURIComponent(d.user.externalID)}`}>{d.user.externalID}</Link>
                    ) : (
                      <span className="muted">{t("list.notBound")}</span>
                    )}
                  </td>
                  <td className="nowrap" title={when(d.lastSeenAt)}>
                    {d.online ? <span className="badge good">{t("onlineNow")}</span> : ago(d.lastSeenAt)}
                    {!d.pushEnabled && (
                      <div>
                        <span className="badge warn">{t("list.pushOff")}</span>
                      </div>
                    )}
                  </td>
                  <td title={tokensTitle(t, tokens)}>
                    {tokens.active.length + tokens.dead.length === 0 ? (
                      <span className="muted small">{t("list.selfOnly")}</span>
                    ) : (
                      <>
                        {tokens.active.map((c) => (
                          <span key={c} className="badge good">
                            {channelName(c)}
                          </span>
                        ))}
                        {tokens.dead.map((c) => (
                          <span key={c} className="badge bad">
                            {t("list.dead", { channel: channelName(c) })}
                          </span>
                        ))}
                      </>
                    )}
                  </td>
                  <td className="nowrap">{when(d.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ListBody>
      {(devices.length > 0 || pager.page > 1) && <Pager pager={pager} conn={data?.devices} />}
      {devices.some((d) => d.tokens?.some((t) => t.status === "DEAD")) && (
        <p className="muted small">
          <Trans t={t} i18nKey="list.deadNote" components={{ badge: <Badge value="DEAD" /> }} />
        </p>
      )}
    </>
  );
}

// Filters edits the text fields locally and applies them on submit; the
// selects apply at once.
function Filters({ filter, apply }: { filter: DeviceFilter; apply: (f: DeviceFilter) => void }) {
  const { t } = useTranslation("devices");
  const [q, setQ] = useState(filter.q);
  const [user, setUser] = useState(filter.user);
  const [tag, setTag] = useState(filter.tag);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({ ...filter, q: q.trim(), user: user.trim(), tag: tag.trim() });
  };
  const any = filter.q || filter.user || filter.tag || filter.platform || filter.bound || filter.push;
  return (
    <form className="filters" role="search" aria-label={t("filters.label")} onSubmit={submit}>
      <label className="grow">
        {t("filters.device.label")}
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("filters.device.placeholder")} />
      </label>
      <label className="grow">
        {t("filters.user.label")}
        <input type="search" value={user} onChange={(e) => setUser(e.target.value)} placeholder={t("filters.user.placeholder")} />
      </label>
      <label>
        {t("filters.tag.label")}
        <input type="search" value={tag} onChange={(e) => setTag(e.target.value)} placeholder={t("filters.tag.placeholder")} size={10} />
      </label>
      <label>
        {t("filters.platform")}
        <select value={filter.platform} onChange={(e) => apply({ ...filter, q, user, tag, platform: e.target.value as DeviceFilter["platform"] })}>
          <option value="">{t("filters.any")}</option>
          {PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {platformName(t, p)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filters.bound.label")}
        <select value={filter.bound} onChange={(e) => apply({ ...filter, q, user, tag, bound: e.target.value as DeviceFilter["bound"] })}>
          <option value="">{t("filters.any")}</option>
          <option value="yes">{t("filters.bound.yes")}</option>
          <option value="no">{t("filters.bound.no")}</option>
        </select>
      </label>
      <label>
        {t("filters.push.label")}
        <select value={filter.push} onChange={(e) => apply({ ...filter, q, user, tag, push: e.target.value as DeviceFilter["push"] })}>
          <option value="">{t("filters.any")}</option>
          <option value="on">{t("filters.push.on")}</option>
          <option value="off">{t("filters.push.off")}</option>
        </select>
      </label>
      <label>
        {t("filters.sort.label")}
        <select value={filter.sort} onChange={(e) => apply({ ...filter, q, user, tag, sort: e.target.value as DeviceFilter["sort"] })}>
          <option value="LAST_SEEN">{t("filters.sort.LAST_SEEN")}</option>
          <option value="NEWEST">{t("filters.sort.NEWEST")}</option>
          <option value="OLDEST">{t("filters.sort.OLDEST")}</option>
        </select>
      </label>
      <button type="submit">{t("filters.search")}</button>
      {any && (
        <button type="button" className="secondary" onClick={() => apply({ q: "", user: "", tag: "", platform: "", bound: "", push: "", sort: filter.sort })}>
          {t("filters.clear")}
        </button>
      )}
    </form>
  );
}
