// What the analytics page and its comparison share: the series colours,
// the metrics' names, a row's cells and how a rate goes into a file.
import type { TFunction } from "i18next";
import type { Cell } from "../lib/csv";
import { count, pct } from "../lib/format";
import { COUNT_METRICS, rate, RATE_METRICS, type Counts, type Metric } from "../lib/analytics";

export type T = TFunction<"analytics">;

export const palette = ["#2f5bea", "#12a150", "#e5484d", "#f59f00", "#7c3aed", "#0ea5e9", "#db2777", "#64748b"];

export const metricName = (t: T, m: Metric) => t(`metric.${m}`);

// rateCell is a rate for a table or a file: no rate (nothing to divide by)
// is "–" on screen and an empty cell in the file.
export const rateCell = (r: number | null): Cell => (r == null ? "" : pct(r));

// countRow is a row's counts and rates as a file's cells.
export const countRow = (c: Counts): Cell[] => [...COUNT_METRICS.map((m) => c[m]), ...RATE_METRICS.map((m) => rateCell(rate(c, m)))];

// CountCells are a table row's counts and rates, in the order of METRICS.
export function CountCells({ c }: { c: Counts }) {
  return (
    <>
      {COUNT_METRICS.map((m) => (
        <td key={m} className="num">
          {count(c[m])}
        </td>
      ))}
      {RATE_METRICS.map((m) => (
        <td key={m} className="num">
          {pct(rate(c, m))}
        </td>
      ))}
    </>
  );
}
