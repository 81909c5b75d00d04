import { describe, expect, it } from "vitest";
import { csrfFrom } from "./api";

describe("csrfFrom", () => {
  it("reads pushd's CSRF cookie, and only it", () => {
    expect(csrfFrom("a=1; pushd_csrf=x%2By; b=2")).toBe("x+y");
    expect(csrfFrom("xpushd_csrf=no")).toBe("");
  });
});
