import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { channelName, when } from "../lib/format";
import { DELIVERY_STATUSES, oneOf, platformName } from "../lib/jobs";
import { PAGE_SIZE } from "../lib/paging";
import { withParams } from "../lib/params";
import { Badge, ListBody, Pager, Problem, statusLabel, usePager } from "../ui";

const JobDetailDeliveries = graphql(`
  query JobDetailDeliveries($where: DeliveryWhereInput!, $first: Int, $after: Cursor) {
    deliveries(where: $where, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DeliveryStateFields
          deviceID
          appUserID
          msgKey
          expiresAt
          device {
            id
            platform
            model
            installationID
          }
        }
      }
    }
  }
`);

// Deliveries lists a job's deliveries to devices, filtered by status
// (?status=); tick changes when the job moved, to reload. A push to users
// also keeps one row per user without a device, which hands the push to a
// device bound to the user later within the TTL: that is pushd's
// bookkeeping, not a delivery, so it is said in words (forUsers), not
// listed.
export function Deliveries({ appID, jobID, tick, forUsers = false }: { appID: string; jobID: string; tick: number; forUsers?: boolean }) {
  const { t } = useTranslation("jobs");
  // Statuses are named once for the whole console, in common.
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = oneOf(params.get("status"), DELIVERY_STATUSES);
  const where = status ? { appID, jobID, deviceIDNotNil: true, status } : { appID, jobID, deviceIDNotNil: true };
  const pager = usePager(where);
  const { data, error, loading, reload } = useQuery(JobDetailDeliveries, { where, first: PAGE_SIZE, after: pager.after });
  const seen = useRef(tick);
  // Only the first page follows the job: later pages would shift under
  // whoever is reading them.
  const onFirstPage = pager.page === 1;
  useEffect(() => {
    if (seen.current === tick) return;
    seen.current = tick;
    if (onFirstPage) reload();
  }, [tick, reload, onFirstPage]);
  const rows = (data?.deliveries.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <section aria-label={t("deliveries.title")}>
      <div className="section-header">
        <h2>{t("deliveries.title")}</h2>
        <div className="filters deliveries-filters">
          <label>
            {t("deliveries.status")}
            <select value={status ?? ""} onChange={(e) => setParams(withParams(params, { status: e.target.value }), { replace: false })}>
              <option value="">{t("deliveries.anyStatus")}</option>
              {DELIVERY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(tc, s)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {forUsers && <p className="muted small">{t("deliveries.laterDevices")}</p>}
      <Problem error={error} retry={reload} />
      <ListBody data={data} loading={loading} error={error} count={rows.length} empty={status ? t("deliveries.emptyStatus", { status: statusLabel(tc, status) }) : t("deliveries.empty")}>
        <table className="deliveries">
          <thead>
            <tr>
              <th>{t("fields.device")}</th>
              <th>{t("fields.channel")}</th>
              <th>{t("fields.status")}</th>
              <th>{t("fields.error")}</th>
              <th>{t("fields.created")}</th>
              <th>{t("deliveries.columns.sent")}</th>
              <th>{t("deliveries.columns.arrived")}</th>
              <th>{t("deliveries.columns.opened")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-status={d.status}>
                <td>
                  <Link to={`/apps/${appID}/devices/${d.deviceID}`}>
                    {d.device ? `${platformName(d.device.platform)} ${d.device.model || d.device.installationID}` : d.deviceID}
                  </Link>
                  {d.msgKey && <div className="muted small">{t("deliveries.key", { key: d.msgKey })}</div>}
                </td>
                <td>{d.channel ? channelName(d.channel) : <span className="muted">–</span>}</td>
                <td>
                  <Badge value={d.status} />
                  {d.attempts > 1 && <div className="muted small">{t("deliveries.attempts", { n: d.attempts })}</div>}
                </td>
                <td className="small">{d.lastError || <span className="muted">–</span>}</td>
                <td className="nowrap small">{when(d.createdAt)}</td>
                <td className="nowrap small">{when(d.sentAt)}</td>
                <td className="nowrap small">{when(d.arrivedAt)}</td>
                <td className="nowrap small">{when(d.openedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      <Pager pager={pager} conn={data?.deliveries} />
    </section>
  );
}
