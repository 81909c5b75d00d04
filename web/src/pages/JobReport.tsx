import { count, pct } from "../lib/format";
import type { ReportRow } from "../lib/jobs";

// ReportTable is one grouping of a job's report: a row per group, a total.
export function ReportTable({ title, rows, total }: { title: string; rows: ReportRow[]; total: ReportRow }) {
  const cells = (r: ReportRow) => (
    <>
      <td className="num">{count(r.counts.sent)}</td>
      <td className="num">{count(r.counts.arrived)}</td>
      <td className="num">{count(r.counts.opened)}</td>
      <td className="num">{count(r.counts.ignored)}</td>
      <td className="num">{count(r.counts.failed)}</td>
      <td className="num">{count(r.counts.expired)}</td>
      <td className="num">{pct(r.arrivalRate)}</td>
      <td className="num">{pct(r.openRate)}</td>
      <td className="num">{pct(r.ignoreRate)}</td>
    </>
  );
  return (
    <div>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">Nothing counted yet: the report fills as deliveries go out.</p>
      ) : (
        <table className="report" aria-label={`Report ${title.toLowerCase()}`}>
          <thead>
            <tr>
              <th>{title.replace("By ", "")}</th>
              <th className="num">Sent</th>
              <th className="num">Arrived</th>
              <th className="num">Opened</th>
              <th className="num">Ignored</th>
              <th className="num">Failed</th>
              <th className="num">Expired</th>
              <th className="num" title="arrived / sent">Arrival rate</th>
              <th className="num" title="opened / arrived">Open rate</th>
              <th className="num" title="ignored / arrived">Ignore rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.group}>
                <td>{r.group}</td>
                {cells(r)}
              </tr>
            ))}
          </tbody>
          {rows.length > 1 && (
            <tfoot>
              <tr>
                <td>Total</td>
                {cells(total)}
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </div>
  );
}
