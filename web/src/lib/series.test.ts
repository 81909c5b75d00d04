import { describe, expect, it } from "vitest";
import { grouped, groupName, MinuteWindow, minuteOf } from "./series";

const t0 = Date.parse("2026-01-01T10:00:00Z");
const c = (sent: number, failed = 0) => ({ sent, arrived: sent, opened: 0, failed });
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

describe("MinuteWindow", () => {
  it("draws one value per minute and group, zero where nothing happened", () => {
    const w = new MinuteWindow(5);
    const now = t0 + 4 * 60_000 + 30_000;
    w.put([{ at: at(1), group: "FCM", counts: c(3) }, { at: at(4), group: "APNS", counts: c(7, 1) }], now);
    const d = w.data("sent", now);
    expect(d.x).toEqual([0, 1, 2, 3, 4].map((m) => (t0 + m * 60_000) / 1000));
    expect(d.groups).toEqual(["APNS", "FCM"]);
    expect(d.ys).toEqual([
      [0, 0, 0, 0, 7],
      [0, 3, 0, 0, 0],
    ]);
    expect(w.data("failed", now).ys[0][4]).toBe(1);
  });

  it("a later frame of the same minute replaces the value", () => {
    const w = new MinuteWindow(3);
    w.put([{ at: at(0), group: "SELF", counts: c(1) }], t0);
    w.put([{ at: at(0), group: "SELF", counts: c(9) }], t0);
    expect(w.data("sent", t0).ys[0][2]).toBe(9);
  });

  it("stays the same size through an hour of frames", () => {
    const w = new MinuteWindow(60);
    for (let s = 0; s < 3600; s++) {
      const now = t0 + s * 1000;
      w.put([{ at: new Date(minuteOf(now)).toISOString(), group: "SELF", counts: c(s) }], now);
      w.data("sent", now);
    }
    expect(w.size()).toBe(60);
  });
});

describe("groupName", () => {
  it("names every series, the ungrouped ones too", () => {
    expect(groupName("CHANNEL", { channel: "FCM" })).toBe("FCM");
    expect(groupName("CHANNEL", { channel: "SELF" })).toBe("WebSocket");
    expect(groupName("CHANNEL", { channel: null })).toBe("no channel yet");
    expect(groupName("PLATFORM", { platform: "IOS" })).toBe("iOS");
    expect(groupName("PLATFORM", {})).toBe("unknown platform");
    const points = grouped("CHANNEL", [{ at: at(0), channel: null, counts: c(1) }]);
    expect(points.map((p) => p.group)).not.toContain("?");
  });
});
