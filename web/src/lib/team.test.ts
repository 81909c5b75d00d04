import { describe, expect, it } from "vitest";
import {
  accountInput,
  asRole,
  appUpdate,
  byRole,
  deletionConfirmed,
  generatePassword,
  inviteInput,
  membershipSummary,
  PASSWORD_ALPHABET,
  passwordProblem,
  roleInput,
  roleLabel,
  ROLES,
  teamProblem,
} from "./team";

describe("roles", () => {
  it("go from most to least rights, with labels", () => {
    expect(ROLES.map((r) => r.value)).toEqual(["OWNER", "DEVELOPER", "VIEWER"]);
    expect(roleLabel("DEVELOPER")).toBe("Developer");
    expect(roleLabel("SOMETHING_NEW")).toBe("something_new");
    expect(asRole("OWNER")).toBe("an owner");
    expect(asRole("VIEWER")).toBe("a viewer");
  });
  it("byRole puts owners first, then by name", () => {
    const ms = [
      { role: "VIEWER", email: "a@x" },
      { role: "OWNER", email: "z@x" },
      { role: "DEVELOPER", email: "c@x" },
      { role: "OWNER", email: "b@x" },
    ];
    expect(byRole(ms, (m) => m.email).map((m) => m.email)).toEqual(["b@x", "z@x", "c@x", "a@x"]);
    expect(ms[0].email).toBe("a@x"); // the input is left as it was
  });
  it("membershipSummary names the apps, owners first", () => {
    expect(
      membershipSummary([
        { appID: "a1", role: "VIEWER", app: { name: "Alpha" } },
        { appID: "a2", role: "OWNER", app: { name: "Zulu" } },
        { appID: "x3", role: "VIEWER", app: null },
      ]),
    ).toEqual([
      { appID: "a2", role: "OWNER", name: "Zulu" },
      { appID: "a1", role: "VIEWER", name: "Alpha" },
      { appID: "x3", role: "VIEWER", name: "x3" },
    ]);
  });
});

describe("appUpdate", () => {
  const current = { name: "Shop", description: "" };
  it("sends only what changed, trimmed", () => {
    expect(appUpdate(current, { name: " Shop 2 ", description: "" })).toEqual({ input: { name: "Shop 2" } });
    expect(appUpdate(current, { name: "Shop", description: " the shop app " })).toEqual({ input: { description: "the shop app" } });
  });
  it("is nothing when nothing changed", () => {
    expect(appUpdate(current, { name: "  Shop", description: "  " })).toEqual({ input: null });
    // A description saved with spaces around it (by the API) is not a change.
    expect(appUpdate({ name: "Shop", description: " notes\n" }, { name: "Shop", description: " notes\n" })).toEqual({ input: null });
  });
  it("needs a name within pushd's limits", () => {
    expect(appUpdate(current, { name: "  ", description: "" }).field).toBe("name");
    expect(appUpdate(current, { name: "x".repeat(101), description: "" }).field).toBe("name");
    expect(appUpdate(current, { name: "é".repeat(100), description: "" }).input).toEqual({ name: "é".repeat(100) });
    expect(appUpdate(current, { name: "Shop", description: "d".repeat(1001) }).field).toBe("description");
  });
});

describe("inviteInput and roleInput", () => {
  it("invites by email, lower-cased and trimmed", () => {
    expect(inviteInput("app1", { email: "  Dev@Example.com ", role: "DEVELOPER" })).toEqual({
      input: { appID: "app1", email: "dev@example.com", role: "DEVELOPER" },
    });
  });
  it("needs something like an address", () => {
    expect(inviteInput("app1", { email: " ", role: "VIEWER" }).field).toBe("email");
    expect(inviteInput("app1", { email: "dev", role: "VIEWER" }).field).toBe("email");
    expect(inviteInput("app1", { email: "a b@example.com", role: "VIEWER" }).field).toBe("email");
  });
  it("gives a known account a role by its ID", () => {
    expect(roleInput("acc1", "app1", "OWNER")).toEqual({ input: { appID: "app1", accountID: "acc1", role: "OWNER" } });
    expect(roleInput("acc1", "", "OWNER").field).toBe("app");
  });
});

describe("accountInput and passwords", () => {
  it("builds the new account", () => {
    expect(accountInput({ email: " New@Example.com", password: "0123456789", admin: true })).toEqual({
      input: { email: "new@example.com", password: "0123456789", admin: true },
    });
  });
  it("keeps the password as typed (spaces count)", () => {
    expect(accountInput({ email: "a@b", password: " 123456789 ", admin: false }).input?.password).toBe(" 123456789 ");
  });
  it("checks the email and pushd's 10 to 256 bytes", () => {
    expect(accountInput({ email: "nope", password: "0123456789", admin: false }).field).toBe("email");
    expect(accountInput({ email: "a@b", password: "012345678", admin: false }).field).toBe("password");
    expect(passwordProblem("0123456789")).toBeNull();
    expect(passwordProblem("x".repeat(256))).toBeNull();
    expect(passwordProblem("x".repeat(257))).toMatch(/256 bytes/);
    // 5 characters, but 10 bytes in UTF-8: pushd takes it.
    expect(passwordProblem("ééééé")).toBeNull();
    expect(passwordProblem("é".repeat(129))).toMatch(/256 bytes/);
  });
  it("generates long passwords from the alphabet, different each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword();
      expect(pw).toHaveLength(20);
      expect([...pw].every((c) => PASSWORD_ALPHABET.includes(c))).toBe(true);
      expect(passwordProblem(pw)).toBeNull();
      seen.add(pw);
    }
    expect(seen.size).toBe(50);
    expect(generatePassword(32)).toHaveLength(32);
  });
  it("has no look-alike characters", () => {
    for (const c of "0O1lI") expect(PASSWORD_ALPHABET).not.toContain(c);
    expect(new Set(PASSWORD_ALPHABET).size).toBe(PASSWORD_ALPHABET.length);
  });
  it("draws again rather than favour the first characters", () => {
    const n = PASSWORD_ALPHABET.length;
    const limit = 256 - (256 % n);
    // A source that gives only biased bytes first, then one byte per character.
    let call = 0;
    const random = (buf: Uint8Array) => {
      buf.fill(call++ === 0 ? 255 : limit - 1);
    };
    const pw = generatePassword(16, random);
    expect(pw).toBe(PASSWORD_ALPHABET[(limit - 1) % n].repeat(16));
    expect(call).toBe(2);
  });
  it("spreads evenly over the alphabet", () => {
    // Every byte below the limit once: each character exactly limit/n times.
    const n = PASSWORD_ALPHABET.length;
    const limit = 256 - (256 % n);
    let next = 0;
    const random = (buf: Uint8Array) => {
      for (let i = 0; i < buf.length; i++) buf[i] = next++ % 256;
    };
    const counts = new Map<string, number>();
    for (const c of generatePassword(limit, random)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(n);
    expect(new Set(counts.values())).toEqual(new Set([limit / n]));
  });
});

describe("deletionConfirmed", () => {
  it("needs the exact name; spaces around it do not count", () => {
    expect(deletionConfirmed("Shop", "Shop")).toBe(true);
    expect(deletionConfirmed("  Shop\n", "Shop")).toBe(true);
    expect(deletionConfirmed("shop", "Shop")).toBe(false);
    expect(deletionConfirmed("Sho", "Shop")).toBe(false);
    expect(deletionConfirmed("Shop shop", "Shop")).toBe(false);
    expect(deletionConfirmed("", "")).toBe(false);
  });
});

describe("teamProblem", () => {
  it("says what went wrong in plain words", () => {
    // An invitation has no "unknown email" answer: pushd never tells.
    expect(teamProblem("NOT_FOUND", "invite")).toBeNull();
    expect(teamProblem("CONFLICT", "invite")).toBeNull();
    expect(teamProblem("CONFLICT", "change")).toMatch(/at least one owner/);
    expect(teamProblem("CONFLICT", "remove")).toMatch(/at least one owner/);
    expect(teamProblem("CONFLICT", "account")).toMatch(/exists already/);
    expect(teamProblem("FORBIDDEN", "invite")).toBeNull();
    expect(teamProblem(undefined, "invite")).toBeNull();
  });
});
