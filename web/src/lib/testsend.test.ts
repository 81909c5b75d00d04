import { describe, expect, it } from "vitest";
import { utf8Bytes } from "./format";
import { testTarget, testTaskName } from "./testsend";

describe("testTaskName", () => {
  it.each([
    [{ kind: "device", id: "dev_01HX" }, "test: device dev_01HX"],
    [{ kind: "user", id: "user-42" }, "test: user user-42"],
    [{ kind: "group", id: "grp_1", name: "beta testers" }, "test: group beta testers"],
    [{ kind: "template", name: "welcome", content: { title: "Hi", body: "" } }, "test: template welcome"],
  ] as const)("%j", (s, want) => {
    expect(testTaskName(s)).toBe(want);
  });
  it("stays within pushd's 200 bytes, cutting between characters", () => {
    const name = testTaskName({ kind: "group", id: "grp_1", name: "测试分组".repeat(30) });
    expect(utf8Bytes(name)).toBeLessThanOrEqual(200);
    expect(name.startsWith("test: group 测试分组")).toBe(true);
    expect(name).not.toContain("\uFFFD");
  });
});

describe("testTarget", () => {
  it.each([
    [{ kind: "device", id: "dev_1" }, { deviceIDs: ["dev_1"] }],
    [{ kind: "user", id: "u-1" }, { userIDs: ["u-1"] }],
  ] as const)("%j", (s, want) => {
    expect(testTarget(s)).toEqual(want);
  });
});
