import { describe, expect, it } from "vitest";
import { timeline, timelineRange } from "./timeline";

const names = { sent: "Sent", arrived: "Arrived", opened: "Opened", failed: "Failed" };
const at = (s: string) => new Date(s).getTime();

describe("timelineRange", () => {
  it.each([
    ["a push of a few minutes, by minute, at least 15 of them", "2026-12-04T10:00:30Z", "2026-12-04T10:03:10Z", { from: "2026-12-04T09:49:00.000Z", to: "2026-12-04T10:04:00.000Z", granularity: "MINUTE" }],
    ["a push still sending runs to now", "2026-12-04T10:00:30Z", null, { from: "2026-12-04T10:00:00.000Z", to: "2026-12-04T12:01:00.000Z", granularity: "MINUTE" }],
    ["two days, by hour", "2026-12-02T10:00:30Z", "2026-12-04T09:59:00Z", { from: "2026-12-02T10:00:00.000Z", to: "2026-12-04T10:00:00.000Z", granularity: "HOUR" }],
    ["two months, by day", "2026-10-01T10:00:00Z", "2026-12-01T00:00:00Z", { from: "2026-10-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z", granularity: "DAY" }],
    ["an end after now stops at now", "2026-12-04T11:58:00Z", "2026-12-09T00:00:00Z", { from: "2026-12-04T11:46:00.000Z", to: "2026-12-04T12:01:00.000Z", granularity: "MINUTE" }],
  ])("%s", (_, created, ended, want) => {
    expect(timelineRange(created, ended, at("2026-12-04T12:00:10Z"))).toEqual(want);
  });

  it("keeps within what pushd answers: at most 366 days of days", () => {
    const r = timelineRange("2020-01-01T00:00:00Z", null, at("2026-12-04T12:00:00Z"));
    expect(r.granularity).toBe("DAY");
    expect(at(r.to) - at(r.from)).toBe(366 * 86400_000);
  });
});

describe("timeline", () => {
  it("runs totals over the buckets, empty buckets keeping the total", () => {
    const range = { from: "2026-12-04T10:00:00Z", to: "2026-12-04T10:04:00Z", granularity: "MINUTE" as const };
    const c = (sent: number, arrived: number, opened: number, failed: number) => ({ sent, arrived, opened, failed });
    const d = timeline(
      [
        { at: "2026-12-04T10:00:00Z", counts: c(5, 2, 0, 0) },
        { at: "2026-12-04T10:00:00Z", counts: c(1, 0, 0, 1) }, // another group of the same minute
        { at: "2026-12-04T10:02:00Z", counts: c(0, 3, 2, 0) },
        { at: "2026-12-04T11:00:00Z", counts: c(9, 9, 9, 9) }, // outside: ignored
      ],
      range,
      names,
    );
    expect(d.x).toEqual([0, 1, 2, 3].map((i) => (at("2026-12-04T10:00:00Z") + i * 60_000) / 1000));
    expect(d.groups).toEqual(["Sent", "Arrived", "Opened", "Failed"]);
    expect(d.ys).toEqual([
      [6, 6, 6, 6],
      [2, 2, 5, 5],
      [0, 0, 2, 2],
      [1, 1, 1, 1],
    ]);
  });
});
