// What the analytics page and its comparison share: the series colours,
// the metrics' names and how a rate goes into a table or a file.
import type { TFunction } from "i18next";
import type { Cell } from "../lib/csv";
import { pct } from "../lib/format";
import type { Metric } from "../lib/analytics";

export type T = TFunction<"analytics">;

export const palette = ["#2f5bea", "#12a150", "#e5484d", "#f59f00", "#7c3aed", "#0ea5e9", "#db2777", "#64748b"];

export const metricName = (t: T, m: Metric) => t(`metric.${m}`);

// rateCell is a rate for a table or a file: no rate (nothing to divide by)
// is "–" on screen and an empty cell in the file.
export const rateCell = (r: number | null): Cell => (r == null ? "" : pct(r));
