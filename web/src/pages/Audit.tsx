import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { graphql } from "../gql";
import { useQuery } from "../hooks";
import { actionLabel, actorKind, AUDIT_PAGE, fieldsText, olderThan, targetLabel } from "../lib/audit";
import { when } from "../lib/format";
import { useCan } from "../session";
import { Empty, ListBody, PageHeader, Problem, usePager } from "../ui";
import "./admin.css";

const AuditLogQuery = graphql(`
  query AuditLog($appID: ID!, $first: Int, $before: ID) {
    auditLog(appID: $appID, first: $first, before: $before) {
      id
      at
      actorKind
      actorID
      actorLabel
      action
      targetType
      targetID
      fields
      address
    }
  }
`);

// Audit is the app's audit log, newest first: every change an account or
// an API key made, with the names (never the values) of the fields. pushd
// shows it to the app's owners and admins only.
export default function Audit() {
  const { t } = useTranslation("audit");
  const { appID = "" } = useParams();
  const can = useCan(appID);
  // The trail of `before` records walked back lives in the history entry, as
  // a list's cursors do.
  const pager = usePager(appID);
  const { data, error, loading, reload } = useQuery(AuditLogQuery, { appID, first: AUDIT_PAGE, before: pager.after }, { skip: !can.administer });
  const rows = data?.auditLog ?? [];
  const older = olderThan(rows);

  return (
    <>
      <PageHeader title={t("title")}>
        {can.administer && (
          <button type="button" className="secondary" onClick={reload} disabled={loading}>
            {t("refresh")}
          </button>
        )}
      </PageHeader>
      <p className="muted admin-intro">{t("intro")}</p>
      {!can.administer ? (
        <Empty>{t("notOwner")}</Empty>
      ) : (
        <>
          <Problem error={error} retry={reload} />
          <ListBody data={data} loading={loading} error={error} count={rows.length} empty={pager.page === 1 ? t("empty.none") : t("empty.older")}>
            {/* On a phone the table scrolls sideways; with nothing
                focusable in it, it takes the focus itself, for the
                keyboard to scroll it. */}
            <table aria-label={t("title")} tabIndex={0}>
              <thead>
                <tr>
                  <th>{t("columns.time")}</th>
                  <th>{t("columns.who")}</th>
                  <th>{t("columns.action")}</th>
                  <th>{t("columns.object")}</th>
                  <th>{t("columns.fields")}</th>
                  <th>{t("columns.address")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td className="admin-nowrap">{when(r.at)}</td>
                    <td>
                      <span title={r.actorID}>{r.actorLabel}</span>
                      <div className="muted small">{actorKind(r.actorKind)}</div>
                    </td>
                    <td>{actionLabel(r.action)}</td>
                    <td>
                      {targetLabel(r.targetType)}
                      <div className="muted small">
                        <code>{r.targetID}</code>
                      </div>
                    </td>
                    <td>{fieldsText(r.fields)}</td>
                    <td className="admin-nowrap">{r.address ? <code>{r.address}</code> : <span className="muted">{t("unknown")}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ListBody>
          {(pager.page > 1 || older) && (
            <nav className="pager" aria-label={t("pager.pages")}>
              <button type="button" className="secondary" disabled={pager.page === 1} onClick={pager.previous}>
                {t("pager.newer")}
              </button>
              <span>{t("pager.page", { page: pager.page })}</span>
              <button type="button" className="secondary" disabled={!older || loading} onClick={() => pager.next(older)}>
                {t("pager.older")}
              </button>
            </nav>
          )}
        </>
      )}
    </>
  );
}
