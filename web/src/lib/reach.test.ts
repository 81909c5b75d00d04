import { describe, expect, it } from "vitest";
import { reachWarning } from "./reach";

describe("reachWarning", () => {
  it.each([
    ["all reachable", { targeted: 3, reachable: 3, pushDisabled: 0 }, [], null],
    ["none through APNs", { targeted: 1, reachable: 0, pushDisabled: 0 }, ["APNS"],
      "1 of 1 target cannot be reached through APNs: it would wait until the TTL ends and then expire."],
    ["some through two channels", { targeted: 10, reachable: 7, pushDisabled: 0 }, ["APNS", "XIAOMI"],
      "3 of 10 targets cannot be reached through APNs or Xiaomi: they would wait until the TTL ends and then expire."],
    ["push turned off", { targeted: 2, reachable: 1, pushDisabled: 1 }, [], "1 target has push turned off and will not get it."],
    ["both", { targeted: 1200, reachable: 100, pushDisabled: 100 }, ["FCM"],
      "1,000 of 1,200 targets cannot be reached through FCM: they would wait until the TTL ends and then expire. 100 targets have push turned off and will not get it."],
  ])("%s", (_, reach, channels, want) => {
    expect(reachWarning(reach, channels)).toBe(want);
  });
});
