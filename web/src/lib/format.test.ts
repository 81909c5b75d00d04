import { describe, expect, it } from "vitest";
import { ago, channelName, count, dayUpTo, fromLocalInput, pct, toLocalInput } from "./format";

describe("format", () => {
  it("percentages and counts", () => {
    expect(pct(0.1234)).toBe("12.3%");
    expect(pct(null)).toBe("–");
    expect(count(1234567)).toBe("1,234,567");
  });

  it.each([
    [2, "just now"],
    [42, "42 s ago"],
    [125, "2 min ago"],
    [7300, "2 h ago"],
    [200000, "2 d ago"],
    [-120, "in 2 min"],
  ])("%i s before now is %s", (s, want) => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(ago(new Date(now - s * 1000).toISOString(), now)).toBe(want);
  });

  it("datetime-local round trip", () => {
    const iso = "2026-03-04T05:06:00.000Z";
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput("")).toBeNull();
  });
});

describe("dayUpTo", () => {
  it("is the 24 hours ending at the next whole minute", () => {
    const r = dayUpTo(Date.parse("2026-03-04T10:20:30.500Z"));
    expect(r).toEqual({ from: "2026-03-03T10:21:00.000Z", to: "2026-03-04T10:21:00.000Z" });
  });
});

describe("channelName", () => {
  it("names each channel one way, whatever case it comes in", () => {
    expect(["SELF", "self", "APNS", "apns", "FCM", "HUAWEI", "XIAOMI"].map(channelName)).toEqual(["WebSocket", "WebSocket", "APNs", "APNs", "FCM", "Huawei", "Xiaomi"]);
    expect(channelName("OPPO")).toBe("OPPO");
  });
});
