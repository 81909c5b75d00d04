// A push's deliveries over time: the running totals of sent, arrived,
// opened and failed, bucketed by minute, hour or day depending on how long
// the push has run, from the statistics pushd keeps per minute.
import type { ChartData } from "./series";

export const TIMELINE_METRICS = ["sent", "arrived", "opened", "failed"] as const;
export type TimelineMetric = (typeof TIMELINE_METRICS)[number];
export type Granularity = "MINUTE" | "HOUR" | "DAY";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEP: Record<Granularity, number> = { MINUTE, HOUR, DAY };

// The spans pushd answers in each granularity (the stats query's limits).
const MAX_SPAN: Record<Granularity, number> = { MINUTE: DAY, HOUR: 31 * DAY, DAY: 366 * DAY };

export type TimelineRange = { from: string; to: string; granularity: Granularity };

// MIN_BUCKETS is the shortest chart: a push of a few seconds still gets a
// span to draw on (uPlot cannot scale a time axis on one point).
const MIN_BUCKETS = 15;

// timelineRange covers a push from the bucket it was created in to the
// bucket after its end (or now), in the finest granularity that fits, and
// at least MIN_BUCKETS long; a push older than a year shows its last year.
export function timelineRange(createdAt: string, endedAt: string | null | undefined, now: number): TimelineRange {
  const start = new Date(createdAt).getTime();
  const end = Math.max(start, endedAt ? Math.min(new Date(endedAt).getTime(), now) : now);
  const granularity: Granularity = end - start < MAX_SPAN.MINUTE - MINUTE ? "MINUTE" : end - start < MAX_SPAN.HOUR - HOUR ? "HOUR" : "DAY";
  const step = STEP[granularity];
  const to = Math.floor(end / step) * step + step;
  const from = Math.max(Math.min(Math.floor(start / step) * step, to - MIN_BUCKETS * step), to - MAX_SPAN[granularity]);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), granularity };
}

type Point = { at: string; counts: Record<TimelineMetric, number> };

// timeline sums the points into running totals per bucket, buckets with
// nothing in them carrying the total so far. Names label the series.
export function timeline(points: Point[], range: TimelineRange, names: Record<TimelineMetric, string>): ChartData {
  const step = STEP[range.granularity];
  const from = new Date(range.from).getTime();
  const n = Math.max(0, Math.round((new Date(range.to).getTime() - from) / step));
  const per = TIMELINE_METRICS.map(() => new Array<number>(n).fill(0));
  for (const p of points) {
    const i = Math.floor((new Date(p.at).getTime() - from) / step);
    if (i < 0 || i >= n) continue;
    TIMELINE_METRICS.forEach((m, k) => (per[k][i] += p.counts[m]));
  }
  const ys = per.map((row) => {
    let total = 0;
    return row.map((v) => (total += v));
  });
  const x = Array.from({ length: n }, (_, i) => (from + i * step) / 1000);
  return { x, groups: TIMELINE_METRICS.map((m) => names[m]), ys };
}
