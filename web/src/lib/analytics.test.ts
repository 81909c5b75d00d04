import { afterEach, describe, expect, it, vi } from "vitest";
import {
  bucketLabel,
  bucketStarts,
  groupRows,
  OTHER,
  rate,
  readRecent,
  readView,
  recentRange,
  series,
  statsRange,
  totalOf,
  utcDay,
  viewParams,
  withCompared,
  withRange,
  zeroCounts,
  type Counts,
  type View,
} from "./analytics";
import { dayUpTo } from "./format";
import { withParams } from "./params";

const c = (part: Partial<Counts>): Counts => ({ ...zeroCounts(), ...part });
const view = (query: string) => readView(new URLSearchParams(query));
const url = (v: View) => withParams(new URLSearchParams(), viewParams(v)).toString();

describe("readView", () => {
  it("defaults to 7 days in days, no grouping, sent", () => {
    expect(view("")).toEqual({ days: 7, bucket: "DAY", by: "none", metric: "sent", compare: [] });
  });

  it.each([
    ["range=1d", { days: 1, bucket: "HOUR" }],
    ["range=1d&bucket=day", { days: 1, bucket: "DAY" }],
    ["range=30d&bucket=hour", { days: 30, bucket: "HOUR" }],
    ["range=90d&bucket=hour", { days: 90, bucket: "DAY" }], // no hours beyond 31 days
    ["range=5d", { days: 7, bucket: "DAY" }],
    ["range=7d&bucket=week", { days: 7, bucket: "DAY" }],
  ])("%s", (query, want) => {
    expect(view(query)).toMatchObject(want);
  });

  it("takes known groupings, metrics and filters only", () => {
    expect(view("by=version&metric=openRate&platform=IOS&channel=APNS&kind=BROADCAST")).toMatchObject({
      by: "version",
      metric: "openRate",
      platform: "IOS",
      channel: "APNS",
      kind: "BROADCAST",
    });
    expect(view("by=country&metric=clicks&platform=ios&channel=SMS")).toMatchObject({ by: "none", metric: "sent", platform: undefined, channel: undefined });
  });

  it("compares at most 5 distinct pushes", () => {
    expect(view("compare=a,b,a,,c,d,e,f").compare).toEqual(["a", "b", "c", "d", "e"]);
  });
});

describe("viewParams", () => {
  it("leaves defaults out of the URL and round-trips", () => {
    expect(url(view(""))).toBe("");
    const v: View = { days: 30, bucket: "HOUR", by: "channel", metric: "arrivalRate", platform: "ANDROID", compare: ["job_1", "job_2"] };
    expect(url(v)).toBe("range=30d&bucket=hour&by=channel&metric=arrivalRate&platform=ANDROID&compare=job_1%2Cjob_2");
    expect(view(url(v))).toEqual({ ...v, channel: undefined, kind: undefined });
  });

  it("drops a bucket the range does not offer", () => {
    expect(url({ ...view(""), days: 90, bucket: "HOUR" })).toBe("range=90d");
  });
});

describe("withRange", () => {
  it.each<[string, 1 | 7 | 30 | 90, string]>([
    ["", 1, "range=1d"], // the new range's default: hours
    ["range=1d", 7, ""], // days again
    ["range=7d&bucket=hour", 30, "range=30d&bucket=hour"], // picked on purpose, still offered
    ["range=30d&bucket=hour", 90, "range=90d"], // not offered beyond 31 days
    ["range=1d&bucket=day", 30, "range=30d"], // days are 30 days' default anyway
  ])("%s then %i days → %s", (query, days, want) => {
    expect(url(withRange(view(query), days))).toBe(want);
  });
});

describe("withCompared", () => {
  it("adds once, at most 5, and removes", () => {
    let v = view("compare=a,b,c,d");
    v = withCompared(v, "b", true);
    expect(v.compare).toEqual(["a", "c", "d", "b"]);
    v = withCompared(withCompared(v, "e", true), "f", true);
    expect(v.compare).toEqual(["a", "c", "d", "b", "e"]);
    expect(withCompared(v, "c", false).compare).toEqual(["a", "d", "b", "e"]);
  });
});

describe("statsRange", () => {
  const now = Date.parse("2026-12-04T20:48:21.500Z");

  it.each<[1 | 7 | 30 | 90, "HOUR" | "DAY", string, string]>([
    [1, "HOUR", "2026-12-03T21:00:00.000Z", "2026-12-04T21:00:00.000Z"],
    [7, "HOUR", "2026-11-27T21:00:00.000Z", "2026-12-04T21:00:00.000Z"],
    [1, "DAY", "2026-12-04T00:00:00.000Z", "2026-12-05T00:00:00.000Z"],
    [30, "DAY", "2026-11-05T00:00:00.000Z", "2026-12-05T00:00:00.000Z"],
    [90, "DAY", "2026-09-06T00:00:00.000Z", "2026-12-05T00:00:00.000Z"],
  ])("%i days in %s buckets: whole buckets up to the current one", (days, b, from, to) => {
    expect(statsRange(days, b, now)).toEqual({ from, to });
  });

  it("stays within pushd's limits: HOUR 31 days, DAY 366", () => {
    const span = (r: { from: string; to: string }) => (Date.parse(r.to) - Date.parse(r.from)) / 86400_000;
    expect(span(statsRange(30, "HOUR", now))).toBeLessThanOrEqual(31);
    expect(span(statsRange(90, "DAY", now))).toBeLessThanOrEqual(366);
  });

  it("counts the buckets of a range", () => {
    expect(bucketStarts(statsRange(1, "HOUR", now), "HOUR")).toHaveLength(24);
    expect(bucketStarts(statsRange(7, "DAY", now), "DAY")).toHaveLength(7);
    expect(bucketStarts(statsRange(30, "HOUR", now), "HOUR")).toHaveLength(720);
  });
});

describe("recentRange", () => {
  const now = Date.parse("2026-03-04T10:20:30.500Z");

  it("is the last days up to the next whole minute, like dayUpTo", () => {
    expect(recentRange(1, now)).toEqual(dayUpTo(now));
    expect(recentRange(30, now)).toEqual({ from: "2026-02-02T10:21:00.000Z", to: "2026-03-04T10:21:00.000Z" });
  });

  it.each([
    ["", 1],
    ["range=7d", 7],
    ["range=30d", 30],
    ["range=90d", 1],
  ])("%s looks back %i days", (query, days) => {
    expect(readRecent(new URLSearchParams(query))).toBe(days);
  });
});

describe("rate", () => {
  it.each([
    ["arrivalRate", c({ sent: 4, arrived: 3 }), 0.75],
    ["openRate", c({ arrived: 4, opened: 1 }), 0.25],
    ["ignoreRate", c({ arrived: 4, ignored: 2 }), 0.5],
    ["arrivalRate", c({}), null],
    ["openRate", c({ sent: 5 }), null],
  ] as const)("%s of %o is %s", (m, counts, want) => {
    expect(rate(counts, m)).toBe(want);
  });
});

describe("series", () => {
  const range = { from: "2026-12-04T00:00:00Z", to: "2026-12-04T04:00:00Z" };
  const points = [
    { at: "2026-12-04T01:00:00Z", platform: "IOS", counts: c({ sent: 4, arrived: 2 }) },
    { at: "2026-12-04T01:00:00Z", platform: "ANDROID", counts: c({ sent: 1, arrived: 1 }) },
    { at: "2026-12-04T03:00:00Z", platform: "IOS", counts: c({ sent: 2, arrived: 2 }) },
    { at: "2026-12-04T05:00:00Z", platform: "IOS", counts: c({ sent: 99 }) }, // outside the range
  ];

  it("fills every bucket, empty ones with zeros, one line per group", () => {
    expect(series(points, "platform", "sent", range, "HOUR")).toEqual({
      x: [0, 1, 2, 3].map((h) => Date.parse(`2026-12-04T0${h}:00:00Z`) / 1000),
      groups: ["IOS", "ANDROID"],
      ys: [
        [0, 4, 0, 2],
        [0, 1, 0, 0],
      ],
    });
  });

  it("sums groups away when not grouped", () => {
    expect(series(points, "none", "sent", range, "HOUR").ys).toEqual([[0, 5, 0, 2]]);
  });

  it("has no rate where nothing was sent, rather than 0 %", () => {
    expect(series(points, "none", "arrivalRate", range, "HOUR").ys).toEqual([[null, 0.6, null, 1]]);
  });

  it("keeps the largest groups and sums the rest into one line", () => {
    const many = ["a", "b", "c", "d"].map((v, i) => ({ at: "2026-12-04T00:00:00Z", appVersion: v, counts: c({ sent: 10 - i }) }));
    const s = series(many, "version", "sent", range, "HOUR", 3);
    expect(s.groups).toEqual(["a", "b", OTHER]);
    expect(s.ys.map((y) => y[0])).toEqual([10, 9, 8 + 7]);
  });

  it("puts day points in their UTC day", () => {
    const days = { from: "2026-12-01T00:00:00Z", to: "2026-12-04T00:00:00Z" };
    const s = series([{ at: "2026-12-02T00:00:00Z", counts: c({ opened: 3 }) }], "none", "opened", days, "DAY");
    expect(s.ys).toEqual([[0, 3, 0]]);
  });
});

describe("groupRows", () => {
  it("sums each group over the range, largest first, with a total", () => {
    const rows = groupRows(
      [
        { at: "2026-12-04T00:00:00Z", channel: "APNS", counts: c({ sent: 1 }) },
        { at: "2026-12-04T00:00:00Z", channel: null, counts: c({ targeted: 3, expired: 2 }) },
        { at: "2026-12-04T01:00:00Z", channel: "FCM", counts: c({ sent: 2, arrived: 1 }) },
        { at: "2026-12-04T02:00:00Z", channel: "APNS", counts: c({ sent: 3 }) },
      ],
      "channel",
    );
    expect(rows.map((r) => [r.key, r.counts.sent])).toEqual([
      ["APNS", 4],
      ["FCM", 2],
      ["", 0],
    ]);
    expect(totalOf(rows)).toEqual(c({ targeted: 3, sent: 6, arrived: 1, expired: 2 }));
  });
});

describe("bucket labels", () => {
  // Node reads TZ again when it changes, so each zone is really tried.
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(["UTC", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"])("a UTC day keeps its date in %s", (zone) => {
    vi.stubEnv("TZ", zone);
    const ms = Date.parse("2026-12-04T00:00:00Z");
    expect(new Date(utcDay(ms)).getDate()).toBe(4);
    expect(bucketLabel(ms, "DAY")).toBe("4 Dec 2026");
  });
});
