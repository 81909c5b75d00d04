import { useTranslation } from "react-i18next";
import { CsvButton } from "../components/CsvButton";
import type { Cell } from "../lib/csv";
import { count, pct } from "../lib/format";
import type { ReportRow } from "../lib/jobs";

// ReportTable is one grouping of a job's report (by platform or by
// channel): a row per group, a total, and the same as a CSV file named
// after the push (file).
export function ReportTable({ by, rows, total, file }: { by: "platform" | "channel"; rows: ReportRow[]; total: ReportRow; file: string }) {
  const { t } = useTranslation("jobs");
  const title = t(`report.by.${by}.title`);
  // Rates as on screen; no rate (nothing to divide by) is an empty cell.
  const rate = (r: number | null): Cell => (r == null ? "" : pct(r));
  const line = (label: string, r: ReportRow): Cell[] => [
    label,
    ...(["sent", "arrived", "opened", "ignored", "failed", "expired"] as const).map((k) => r.counts[k]),
    rate(r.arrivalRate),
    rate(r.openRate),
    rate(r.ignoreRate),
  ];
  const header = [
    t(`report.by.${by}.column`),
    ...(["sent", "arrived", "opened", "ignored", "failed", "expired"] as const).map((k) => t(`counts.${k}`)),
    t("report.rates.arrival"),
    t("report.rates.open"),
    t("report.rates.ignore"),
  ];
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
      <div className="section-header">
        <h3>{title}</h3>
        {rows.length > 0 && (
          <CsvButton name={`${file}-${by}`} header={header} rows={() => [...rows.map((r) => line(r.group, r)), ...(rows.length > 1 ? [line(t("report.total"), total)] : [])]} />
        )}
      </div>
      {rows.length === 0 ? (
        <p className="muted small">{t("report.empty")}</p>
      ) : (
        <table className="report" tabIndex={0} aria-label={t(`report.by.${by}.table`)}>
          <thead>
            <tr>
              <th>{t(`report.by.${by}.column`)}</th>
              <th className="num">{t("counts.sent")}</th>
              <th className="num">{t("counts.arrived")}</th>
              <th className="num">{t("counts.opened")}</th>
              <th className="num">{t("counts.ignored")}</th>
              <th className="num">{t("counts.failed")}</th>
              <th className="num">{t("counts.expired")}</th>
              <th className="num" title={t("report.rates.arrivalHint")}>{t("report.rates.arrival")}</th>
              <th className="num" title={t("report.rates.openHint")}>{t("report.rates.open")}</th>
              <th className="num" title={t("report.rates.ignoreHint")}>{t("report.rates.ignore")}</th>
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
                <td>{t("report.total")}</td>
                {cells(total)}
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </div>
  );
}
