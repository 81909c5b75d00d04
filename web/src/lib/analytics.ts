// What the analytics page computes from pushd's statistics (docs/analytics.md):
// the view in the URL (range, buckets, grouping, metric, filters, pushes
// compared), the aligned range it asks for, the chart's series with empty
// buckets filled, the per-group table and the rates.
import type { Channel, Platform, PushKind, StatDimension } from "../gql/graphql";
import { count, day, hour, pct } from "./format";

export const RANGES = [1, 7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];

export const BUCKETS = ["HOUR", "DAY"] as const;
export type Bucket = (typeof BUCKETS)[number];

// An HOUR query spans at most 31 days (pushd answers INVALID_ARGUMENT
// beyond), so longer ranges are counted in days only.
export const MAX_HOUR_DAYS = 31;

export const GROUPINGS = ["none", "platform", "channel", "version", "kind"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const DIMENSIONS: Record<Exclude<Grouping, "none">, StatDimension> = {
  platform: "PLATFORM",
  channel: "CHANNEL",
  version: "APP_VERSION",
  kind: "KIND",
};

// The counts of StatCounts, in the order of a delivery's life: sent
// includes what then arrived, was opened or ignored, or failed at the
// vendor; arrived includes opened and ignored.
export const COUNT_METRICS = ["targeted", "sent", "arrived", "opened", "ignored", "failed", "expired", "revoked"] as const;
export type CountMetric = (typeof COUNT_METRICS)[number];
export const RATE_METRICS = ["arrivalRate", "openRate", "ignoreRate"] as const;
export type RateMetric = (typeof RATE_METRICS)[number];
export const METRICS = [...COUNT_METRICS, ...RATE_METRICS] as const;
export type Metric = CountMetric | RateMetric;

export const PLATFORMS: Platform[] = ["IOS", "ANDROID", "HARMONY", "WEB"];
// Every channel, in the order the console lists them; the record makes
// the type check fail when pushd gains a channel this list lacks.
const channelOrder = { SELF: 0, APNS: 1, FCM: 2, HUAWEI: 3, XIAOMI: 4, OPPO: 5, VIVO: 6, HONOR: 7, HARMONY: 8, MEIZU: 9 } satisfies Record<Channel, number>;
export const CHANNELS = Object.keys(channelOrder) as Channel[];
export const KINDS: PushKind[] = ["SIMPLE", "TEMPLATE", "MULTIPLE", "BROADCAST"];

// At most this many pushes side by side: more would not fit a table row
// or a reader's attention.
export const MAX_COMPARE = 5;

export type Counts = Record<CountMetric, number>;

export const isRate = (m: Metric): m is RateMetric => (RATE_METRICS as readonly string[]).includes(m);

// ---- The view, as the URL holds it ----

export type View = {
  days: RangeDays;
  bucket: Bucket;
  by: Grouping;
  metric: Metric;
  platform?: Platform;
  channel?: Channel;
  kind?: PushKind;
  compare: string[];
};

// defaultBucket: hours for a day (24 points), days for longer ranges.
export const defaultBucket = (days: RangeDays): Bucket => (days === 1 ? "HOUR" : "DAY");

export const bucketsFor = (days: RangeDays): Bucket[] => (days > MAX_HOUR_DAYS ? ["DAY"] : ["HOUR", "DAY"]);

function pick<T extends string | number>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => String(a) === value);
}

// readView reads the view from the search params; anything unknown (a
// stale or hand-edited link) falls back to the default, and hours are
// never asked for beyond 31 days.
export function readView(params: URLSearchParams): View {
  const days = pick(params.get("range")?.replace(/d$/, "") ?? null, RANGES) ?? 7;
  const asked = pick(params.get("bucket")?.toUpperCase() ?? null, BUCKETS);
  const bucket = asked && bucketsFor(days).includes(asked) ? asked : defaultBucket(days);
  const compare = (params.get("compare") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s, i, all) => s && all.indexOf(s) === i)
    .slice(0, MAX_COMPARE);
  return {
    days,
    bucket,
    by: pick(params.get("by"), GROUPINGS) ?? "none",
    metric: pick(params.get("metric"), METRICS) ?? "sent",
    platform: pick(params.get("platform"), PLATFORMS),
    channel: pick(params.get("channel"), CHANNELS),
    kind: pick(params.get("kind"), KINDS),
    compare,
  };
}

// viewParams is the change to the search params that shows view; defaults
// are left out, so the plain page has a plain URL. A bucket is written only
// when it is not the range's default (and is dropped when the new range
// does not offer it).
export function viewParams(view: View): Record<string, string | null> {
  const bucket = bucketsFor(view.days).includes(view.bucket) ? view.bucket : defaultBucket(view.days);
  return {
    range: view.days === 7 ? null : `${view.days}d`,
    bucket: bucket === defaultBucket(view.days) ? null : bucket.toLowerCase(),
    by: view.by === "none" ? null : view.by,
    metric: view.metric === "sent" ? null : view.metric,
    platform: view.platform ?? null,
    channel: view.channel ?? null,
    kind: view.kind ?? null,
    compare: view.compare.length ? view.compare.slice(0, MAX_COMPARE).join(",") : null,
  };
}

// withRange changes the range and keeps the bucket when the new range
// offers it and it was picked on purpose; otherwise the new range's default.
export function withRange(view: View, days: RangeDays): View {
  const picked = view.bucket !== defaultBucket(view.days);
  const bucket = picked && bucketsFor(days).includes(view.bucket) ? view.bucket : defaultBucket(days);
  return { ...view, days, bucket };
}

export function withCompared(view: View, id: string, on: boolean): View {
  const rest = view.compare.filter((c) => c !== id);
  return { ...view, compare: on ? [...rest, id].slice(0, MAX_COMPARE) : rest };
}

// ---- The range ----

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const bucketMs = (b: Bucket) => (b === "HOUR" ? HOUR : DAY);

// startOf is the bucket an instant falls in: whole hours, or whole UTC days
// (pushd's DAY buckets are UTC days).
export function startOf(ms: number, b: Bucket): number {
  return Math.floor(ms / bucketMs(b)) * bucketMs(b);
}

// statsRange is the range of whole buckets that ends with the current one:
// the last `days` days up to the end of this hour or this (UTC) day. The
// current bucket is still filling, and is shown as it stands.
export function statsRange(days: RangeDays, b: Bucket, now: number): { from: string; to: string } {
  const to = startOf(now, b) + bucketMs(b);
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

// The overview's funnel looks back a day, a week or a month from now.
export const RECENT = [1, 7, 30] as const;
export type RecentDays = (typeof RECENT)[number];

export const readRecent = (params: URLSearchParams): RecentDays => pick(params.get("range")?.replace(/d$/, "") ?? null, RECENT) ?? 1;

// recentRange is the `days` days up to the end of the current minute, as
// dayUpTo (statistics are per minute; the range ends exclusive), so what
// was counted a moment ago is in.
export function recentRange(days: RecentDays, now: number): { from: string; to: string } {
  const to = Math.floor(now / 60_000) * 60_000 + 60_000;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

// bucketStarts lists every bucket of [from, to), unix milliseconds.
export function bucketStarts(range: { from: string; to: string }, b: Bucket): number[] {
  const out: number[] = [];
  const to = Date.parse(range.to);
  for (let t = startOf(Date.parse(range.from), b); t < to; t += bucketMs(b)) out.push(t);
  return out;
}

// ---- Counts and rates ----

export const zeroCounts = (): Counts => ({ targeted: 0, sent: 0, arrived: 0, opened: 0, ignored: 0, failed: 0, expired: 0, revoked: 0 });

export function addCounts(a: Counts, b: Partial<Counts>): Counts {
  const out = { ...a };
  for (const m of COUNT_METRICS) out[m] += b[m] ?? 0;
  return out;
}

// rate is pushd's: arrival = arrived / sent, open = opened / arrived,
// ignore = ignored / arrived; null (no rate, not 0 %) when nothing was sent
// or arrived, so an empty hour is not drawn as a drop to zero.
export function rate(c: Counts, m: RateMetric): number | null {
  const [num, den] = m === "arrivalRate" ? [c.arrived, c.sent] : m === "openRate" ? [c.opened, c.arrived] : [c.ignored, c.arrived];
  return den > 0 ? num / den : null;
}

export const valueOf = (c: Counts, m: Metric): number | null => (isRate(m) ? rate(c, m) : c[m]);

// denominator is what a metric's groups are ranked by: the count itself,
// or what a rate divides by (a group with one delivery opened of one
// arrived is not the top group).
const rankOf = (c: Counts, m: Metric): number => (m === "arrivalRate" ? c.sent : m === "openRate" || m === "ignoreRate" ? c.arrived : c[m]);

export const formatValue = (m: Metric, v: number | null | undefined) => (isRate(m) ? pct(v) : count(v));

// ---- Groups ----

export type StatPointLike = {
  at: string;
  platform?: string | null;
  channel?: string | null;
  appVersion?: string | null;
  kind?: string | null;
  counts: Partial<Counts>;
};

// groupKey is a point's group as pushd names it; "" when the point has no
// value (a delivery not routed to a channel yet, a device without an app
// version), which the page names in words.
export function groupKey(by: Grouping, p: StatPointLike): string {
  switch (by) {
    case "platform":
      return p.platform ?? "";
    case "channel":
      return p.channel ?? "";
    case "version":
      return p.appVersion ?? "";
    case "kind":
      return p.kind ?? "";
  }
  return "all";
}

// OTHER is the chart's series of every group past the largest ones.
export const OTHER = "\u0000other";

export type GroupRow = { key: string; counts: Counts };

// groupRows sums each group over the range, largest first (by sent, then
// targeted), then by name.
export function groupRows(points: StatPointLike[], by: Grouping): GroupRow[] {
  const sums = new Map<string, Counts>();
  for (const p of points) {
    const k = groupKey(by, p);
    sums.set(k, addCounts(sums.get(k) ?? zeroCounts(), p.counts));
  }
  return [...sums]
    .map(([key, counts]) => ({ key, counts }))
    .sort((a, b) => b.counts.sent - a.counts.sent || b.counts.targeted - a.counts.targeted || a.key.localeCompare(b.key));
}

export const totalOf = (rows: GroupRow[]): Counts => rows.reduce((t, r) => addCounts(t, r.counts), zeroCounts());

export type Series = {
  // Bucket starts, unix seconds (uPlot's time scale).
  x: number[];
  // Group keys (OTHER last when there is one).
  groups: string[];
  // One value per bucket per group: 0 for a count in an empty bucket,
  // null for a rate without a denominator.
  ys: (number | null)[][];
};

// series is the chart of one metric: every bucket of the range (empty ones
// too), one line per group, the `maxGroups` largest on their own and the
// rest summed into OTHER.
export function series(points: StatPointLike[], by: Grouping, metric: Metric, range: { from: string; to: string }, b: Bucket, maxGroups = 8): Series {
  const starts = bucketStarts(range, b);
  const index = new Map(starts.map((t, i) => [t, i]));
  const ranked = groupRows(points, by).sort((x, y) => rankOf(y.counts, metric) - rankOf(x.counts, metric) || x.key.localeCompare(y.key));
  const own = ranked.length > maxGroups ? ranked.slice(0, maxGroups - 1) : ranked;
  const lineOf = new Map(own.map((r, i) => [r.key, i]));
  const groups = own.map((r) => r.key);
  if (ranked.length > own.length) groups.push(OTHER);
  const cells = groups.map(() => starts.map(zeroCounts));
  for (const p of points) {
    const i = index.get(startOf(Date.parse(p.at), b));
    if (i == null) continue; // outside the range asked for
    const line = lineOf.get(groupKey(by, p)) ?? groups.length - 1;
    cells[line][i] = addCounts(cells[line][i], p.counts);
  }
  return { x: starts.map((t) => t / 1000), groups, ys: cells.map((row) => row.map((c) => valueOf(c, metric))) };
}

// ---- Labels ----

// utcDay is the local instant of the calendar day a UTC day bucket
// starts: noon local time on that date, so that day() (which writes local
// dates) shows the bucket's own date west of Greenwich too.
export function utcDay(ms: number): string {
  const d = new Date(ms);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12).toISOString();
}

// bucketLabel names a bucket by its start: a day and hour, or a date.
export function bucketLabel(ms: number, b: Bucket): string {
  return b === "HOUR" ? hour(new Date(ms).toISOString()) : day(utcDay(ms));
}
