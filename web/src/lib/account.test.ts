import { describe, expect, it } from "vitest";
import {
  accountProblem,
  accountState,
  changePasswordInput,
  resetLink,
  resetPasswordInput,
  resetPending,
  sessionsEnded,
  tokenFromHash,
} from "./account";

describe("changePasswordInput", () => {
  it("sends both passwords as typed", () => {
    expect(changePasswordInput({ current: " old ", next: "a new password" })).toEqual({
      input: { currentPassword: " old ", newPassword: "a new password" },
    });
  });
  it.each([
    ["no current password", { current: "", next: "a new password" }, "currentPassword"],
    ["a short new one", { current: "old-password", next: "012345678" }, "newPassword"],
    ["a long new one", { current: "old-password", next: "x".repeat(257) }, "newPassword"],
    ["the same one", { current: "same-password", next: "same-password" }, "newPassword"],
  ])("refuses %s", (_, form, field) => {
    expect(changePasswordInput(form).field).toBe(field);
  });
});

describe("reset links", () => {
  it("carry the token in the fragment and back", () => {
    const link = resetLink("https://pushd.example.com", "ab-_C9");
    expect(link).toBe("https://pushd.example.com/reset-password#ab-_C9");
    expect(tokenFromHash(new URL(link).hash)).toBe("ab-_C9");
  });
  it("read nothing from an empty or broken fragment", () => {
    expect(tokenFromHash("")).toBe("");
    expect(tokenFromHash("#")).toBe("");
    expect(tokenFromHash("#%E0%A4%A")).toBe("");
  });
  it("need a token and a good password", () => {
    expect(resetPasswordInput("", "a-new-password").field).toBe("token");
    expect(resetPasswordInput("tok", "short").field).toBe("newPassword");
    expect(resetPasswordInput("tok", "a-new-password")).toEqual({ input: { token: "tok", newPassword: "a-new-password" } });
  });
});

describe("account state", () => {
  const now = new Date("2030-01-02T00:00:00Z");
  it("disabled wins over a pending reset", () => {
    expect(accountState({})).toBe("active");
    expect(accountState({ passwordResetExpiresAt: "2030-01-03T00:00:00Z" })).toBe("reset");
    expect(accountState({ disabledAt: "2030-01-01T00:00:00Z", passwordResetExpiresAt: "2030-01-03T00:00:00Z" })).toBe("disabled");
  });
  it("tells a pending reset from an expired one", () => {
    expect(resetPending({}, now)).toBeNull();
    expect(resetPending({ passwordResetExpiresAt: "2030-01-03T00:00:00Z" }, now)).toBe("pending");
    expect(resetPending({ passwordResetExpiresAt: "2030-01-01T00:00:00Z" }, now)).toBe("expired");
  });
});

describe("sessionsEnded", () => {
  it("counts in words", () => {
    expect(sessionsEnded(0, true)).toBe("No other session was open.");
    expect(sessionsEnded(1, true)).toBe("1 other session ended.");
    expect(sessionsEnded(3, false)).toBe("3 sessions ended.");
  });
});

describe("accountProblem", () => {
  it("has words of its own for the refusals these pages expect", () => {
    expect(accountProblem("INVALID_ARGUMENT", "currentPassword", "password")).toMatch(/not your current password/);
    expect(accountProblem("INVALID_ARGUMENT", "token", "reset")).toMatch(/Ask an admin for a new one/);
    expect(accountProblem("CONFLICT", undefined, "reset")).toMatch(/enable it/);
    expect(accountProblem("NOT_FOUND", undefined, "answer")).toMatch(/invitation is gone/);
  });
  it("leaves the rest to the generic words", () => {
    expect(accountProblem("INVALID_ARGUMENT", "newPassword", "password")).toBeNull();
    expect(accountProblem("CONFLICT", undefined, "delete")).toBeNull();
    expect(accountProblem(undefined, undefined, "disable")).toBeNull();
  });
});
