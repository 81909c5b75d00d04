import { describe, expect, it } from "vitest";
import { permissions, roleIn } from "./roles";

describe("roles", () => {
  it.each([
    ["OWNER", { read: true, write: true, send: true, administer: true }],
    ["DEVELOPER", { read: true, write: true, send: true, administer: false }],
    ["VIEWER", { read: true, write: false, send: false, administer: false }],
    [null, { read: false, write: false, send: false, administer: false }],
  ] as const)("%s", (role, want) => {
    expect(permissions(role)).toEqual({ ...want, role });
  });

  it("admins own every app; others have their membership", () => {
    expect(roleIn({ admin: true, roles: {} }, "a")).toBe("OWNER");
    expect(roleIn({ admin: false, roles: { a: "VIEWER" } }, "a")).toBe("VIEWER");
    expect(roleIn({ admin: false, roles: { a: "VIEWER" } }, "b")).toBeNull();
  });
});
