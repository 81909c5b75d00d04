import { describe, expect, it } from "vitest";
import { appendTarget, deviceIDCondition, deviceSearch, lastSeen, userSearch } from "./picker";

const ID = "dev_01HX3Z9K7Q8W2E4R6T8Y0U1I2O".replace(/[UIO]/g, "A"); // 30 characters of a real ID's alphabet

describe("deviceIDCondition", () => {
  it.each([
    ["dev_01hx", { idGTE: "dev_01HX", idLT: "dev_01HY" }],
    ["01HX", { idGTE: "dev_01HX", idLT: "dev_01HY" }],
    ["dev_0", { idGTE: "dev_0", idLT: "dev_1" }],
    [ID.toLowerCase(), { id: ID }],
    [ID, { id: ID }],
    ["inst-42", null], // not an ID's characters
    ["user", null], // U is not in a ULID
    ["dev_", null],
  ])("%s", (q, want) => {
    expect(deviceIDCondition(q)).toEqual(want);
  });
});

describe("deviceSearch", () => {
  it("asks nothing for an empty search", () => {
    expect(deviceSearch("app_1", "  ")).toBeNull();
  });
  it("the start of an ID, or a part of the installation ID, the user or a tag", () => {
    expect(deviceSearch("app_1", " dev_01HX ")).toEqual({
      appID: "app_1",
      or: [
        { idGTE: "dev_01HX", idLT: "dev_01HY" },
        { installationIDContainsFold: "dev_01HX" },
        { hasUserWith: [{ externalIDContainsFold: "dev_01HX" }] },
        { hasTag: "dev_01HX" },
      ],
    });
  });
  it("text that cannot start an ID leaves the ID out", () => {
    expect(deviceSearch("app_1", "beta tester")?.or).toEqual([
      { installationIDContainsFold: "beta tester" },
      { hasUserWith: [{ externalIDContainsFold: "beta tester" }] },
      { hasTag: "beta tester" },
    ]);
  });
});

describe("userSearch", () => {
  it.each([
    ["", null],
    [" user-4 ", { appID: "app_1", externalIDContainsFold: "user-4" }],
  ])("%j", (q, want) => {
    expect(userSearch("app_1", q)).toEqual(want);
  });
});

describe("appendTarget", () => {
  it.each([
    ["", "dev_1", "dev_1"],
    ["dev_1", "dev_2", "dev_1\ndev_2"],
    ["dev_1\n", "dev_2", "dev_1\ndev_2"],
    ["dev_1, ", "dev_2", "dev_1\ndev_2"],
    ["dev_1, dev_2", "dev_2", "dev_1, dev_2"], // there already: unchanged
    ["  \n", "u-1", "u-1"],
  ])("%j + %s", (text, id, want) => {
    expect(appendTarget(text, id)).toBe(want);
  });
});

describe("lastSeen", () => {
  it.each([
    [[], undefined],
    [[{ lastSeenAt: null }], undefined],
    [[{ lastSeenAt: "2024-05-01T10:00:00Z" }, { lastSeenAt: "2024-06-01T10:00:00Z" }, {}], "2024-06-01T10:00:00Z"],
  ])("%j", (devices, want) => {
    expect(lastSeen(devices)).toBe(want);
  });
});
