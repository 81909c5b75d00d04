import i18n from "../i18n";
import { channelName } from "./format";

// MinuteWindow holds the per-minute counts behind the overview's live
// chart: the last `minutes` minutes, one value per group and metric. It is
// seeded from a stats query and then updated by liveStats frames (each
// carries the current minute's points). Its size is bounded by minutes ×
// groups, so an open overview does not grow however long it runs.
export const METRICS = ["sent", "arrived", "opened", "failed"] as const;
export type Metric = (typeof METRICS)[number];
export type Counts = Record<Metric, number>;
export type GroupedPoint = { at: string; group: string; counts: Counts };

export type ChartData = { x: number[]; groups: string[]; ys: number[][] };

export type GroupBy = "CHANNEL" | "PLATFORM";
type StatPoint = { at: string; platform?: string | null; channel?: string | null; counts: Counts };

// groupName names a point's series. A delivery gets its channel only when
// it is routed, so counts of deliveries that expired or were revoked before
// that have none: they are their own series, named for what they are. The
// names are in the language in force when the points come in.
export function groupName(by: GroupBy, p: { platform?: string | null; channel?: string | null }): string {
  if (by === "CHANNEL") return p.channel ? channelName(p.channel) : i18n.t("jobs:series.noChannel");
  if (!p.platform) return i18n.t("jobs:series.unknownPlatform");
  return i18n.t(`jobs:series.platform.${p.platform}` as "jobs:series.platform.IOS", { defaultValue: p.platform });
}

// grouped turns stats points into the chart's series points.
export const grouped = (by: GroupBy, ps: StatPoint[]): GroupedPoint[] =>
  ps.map((p) => ({ at: p.at, group: groupName(by, p), counts: p.counts }));

const MINUTE = 60_000;

export const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

export class MinuteWindow {
  private slots = new Map<number, Map<string, Counts>>();

  constructor(readonly minutes = 60) {}

  // put records points; a point replaces what its minute and group held
  // (frames carry running totals for the minute, not increments).
  put(points: GroupedPoint[], now: number): void {
    for (const p of points) {
      const m = minuteOf(Date.parse(p.at));
      let slot = this.slots.get(m);
      if (!slot) this.slots.set(m, (slot = new Map()));
      slot.set(p.group, { sent: p.counts.sent, arrived: p.counts.arrived, opened: p.counts.opened, failed: p.counts.failed });
    }
    this.prune(now);
  }

  private prune(now: number): void {
    const oldest = minuteOf(now) - (this.minutes - 1) * MINUTE;
    for (const m of this.slots.keys()) if (m < oldest || m > minuteOf(now) + MINUTE) this.slots.delete(m);
  }

  // groups lists the groups with counts in the window, sorted.
  groups(): string[] {
    const all = new Set<string>();
    for (const slot of this.slots.values()) for (const g of slot.keys()) all.add(g);
    return [...all].sort();
  }

  // data is what the chart draws: one x per minute of the window (unix
  // seconds, oldest first) and one series of `metric` per group, 0 where
  // a minute had nothing.
  data(metric: Metric, now: number): ChartData {
    this.prune(now);
    const groups = this.groups();
    const first = minuteOf(now) - (this.minutes - 1) * MINUTE;
    const x: number[] = new Array(this.minutes);
    const ys = groups.map(() => new Array<number>(this.minutes).fill(0));
    for (let i = 0; i < this.minutes; i++) {
      const m = first + i * MINUTE;
      x[i] = m / 1000;
      const slot = this.slots.get(m);
      if (!slot) continue;
      groups.forEach((g, j) => {
        const c = slot.get(g);
        if (c) ys[j][i] = c[metric];
      });
    }
    return { x, groups, ys };
  }

  size(): number {
    let n = 0;
    for (const slot of this.slots.values()) n += slot.size;
    return n;
  }
}
