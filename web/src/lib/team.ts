// The team pages (app settings with members and invitations, the admins'
// accounts page): roles in words, form state → GraphQL inputs, the typed
// confirmation before an app is deleted, and passwords. pushd checks all of it
// again; these only spare people a round trip and say things plainly.
import i18n from "../i18n";
import { utf8Bytes } from "./format";
import type { Role } from "./roles";

// A role's label and hint are read when shown (getters), so they are in the
// language in force then, not the one at module load.
const role = (value: Role): { value: Role; label: string; hint: string } => ({
  value,
  get label() {
    return i18n.t(`accounts:roles.${value}.label` as "accounts:roles.OWNER.label");
  },
  get hint() {
    return i18n.t(`accounts:roles.${value}.hint` as "accounts:roles.OWNER.hint");
  },
});

export const ROLES: { value: Role; label: string; hint: string }[] = [role("OWNER"), role("DEVELOPER"), role("VIEWER")];

export function roleLabel(role: Role | string): string {
  return ROLES.find((r) => r.value === role)?.label ?? role.toLowerCase();
}

// asRole is the role in a sentence: "an owner", "a viewer" (Chinese has no
// article: "所有者").
export function asRole(role: Role | string): string {
  const l = roleLabel(role).toLowerCase();
  return i18n.t(/^[aeiou]/.test(l) ? "accounts:asRole.an" : "accounts:asRole.a", { role: l });
}

const rank = (role: string) => {
  const i = ROLES.findIndex((r) => r.value === role);
  return i < 0 ? ROLES.length : i;
};

// byRole orders owners first, then by the given name, as pushd orders an
// app's members; the accounts page uses it for an account's apps.
export function byRole<T extends { role: string }>(items: readonly T[], name: (t: T) => string): T[] {
  return [...items].sort((a, b) => rank(a.role) - rank(b.role) || name(a).localeCompare(name(b)));
}

// Built is the input, or the first problem in words with the form field it
// concerns.
export type Built<T> = { input: T; error?: undefined; field?: undefined } | { input?: undefined; error: string; field: string };
const fail = (field: string, error: string) => ({ error, field }) as const;

// Limits of pushd (ent/schema/app.go, auth/password.go).
export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 1000;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export type AppForm = { name: string; description: string };

// appUpdate sends only what changed, so saving an untouched form is no
// request at all (input null).
export function appUpdate(current: AppForm, form: AppForm): Built<{ name?: string; description?: string } | null> {
  const name = form.name.trim();
  const description = form.description.trim();
  if (!name) return fail("name", i18n.t("accounts:check.nameNeeded"));
  if ([...name].length > NAME_MAX) return fail("name", i18n.t("accounts:check.nameTooLong", { max: NAME_MAX }));
  if ([...description].length > DESCRIPTION_MAX) return fail("description", i18n.t("accounts:check.descriptionTooLong", { max: DESCRIPTION_MAX }));
  const input: { name?: string; description?: string } = {};
  // pushd keeps what it was given; spaces around it do not make a change.
  if (name !== current.name.trim()) input.name = name;
  if (description !== current.description.trim()) input.description = description;
  return { input: Object.keys(input).length ? input : null };
}

// The console's check is only that it looks like an address; pushd parses
// it properly and says when it is not one.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normalEmail(s: string): string {
  return s.trim().toLowerCase();
}

export type MemberForm = { email: string; role: Role };

export type SetMembershipInput = { appID: string; role: Role; email?: string; accountID?: string };

// inviteInput invites whoever holds an email to a role in an app: they
// accept on their Invitations page. pushd answers the same whether or not
// an account has the email, so the console cannot say either.
export function inviteInput(appID: string, f: MemberForm): Built<{ appID: string; email: string; role: Role }> {
  const email = normalEmail(f.email);
  if (!email) return fail("email", i18n.t("accounts:check.inviteEmailNeeded"));
  if (!EMAIL.test(email)) return fail("email", i18n.t("accounts:check.notEmail"));
  return { input: { appID, email, role: f.role } };
}

// roleInput gives a known account a role in an app (the accounts page and the
// members table name the account by its ID).
export function roleInput(accountID: string, appID: string, role: Role): Built<SetMembershipInput> {
  if (!appID) return fail("app", i18n.t("accounts:check.chooseApp"));
  return { input: { appID, accountID, role } };
}

export type AccountForm = { email: string; password: string; admin: boolean };

export function accountInput(f: AccountForm): Built<{ email: string; password: string; admin: boolean }> {
  const email = normalEmail(f.email);
  if (!email) return fail("email", i18n.t("accounts:check.accountEmailNeeded"));
  if (!EMAIL.test(email)) return fail("email", i18n.t("accounts:check.notEmail"));
  const problem = passwordProblem(f.password);
  if (problem) return fail("password", problem);
  return { input: { email, password: f.password, admin: f.admin } };
}

// pushd counts a password's bytes (UTF-8), not its characters.
export function passwordProblem(pw: string): string | null {
  const n = utf8Bytes(pw);
  if (n < PASSWORD_MIN) return i18n.t("accounts:check.passwordTooShort", { min: PASSWORD_MIN });
  if (n > PASSWORD_MAX) return i18n.t("accounts:check.passwordTooLong", { max: PASSWORD_MAX });
  return null;
}

// Letters and digits that cannot be mistaken for each other when a password
// is read out or copied by hand (no 0/O, 1/l/I), and a few symbols that need
// no quoting in a shell or a chat message.
export const PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.";
export const GENERATED_LENGTH = 20;

// Random fills buf with random bytes.
type Random = (buf: Uint8Array<ArrayBuffer>) => void;
const cryptoRandom: Random = (buf) => void crypto.getRandomValues(buf);

// generatePassword draws each character uniformly from PASSWORD_ALPHABET
// (bytes that would favour the first characters are drawn again): 20 of 59
// symbols are about 117 bits.
export function generatePassword(length = GENERATED_LENGTH, random: Random = cryptoRandom): string {
  const n = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = "";
  while (out.length < length) {
    const buf = new Uint8Array(length * 2);
    random(buf);
    for (const b of buf) {
      if (b >= limit) continue;
      out += PASSWORD_ALPHABET[b % n];
      if (out.length === length) break;
    }
  }
  return out;
}

// deletionConfirmed: the app goes only when its name was typed exactly
// (case and all; spaces around it do not count).
export function deletionConfirmed(typed: string, appName: string): boolean {
  return appName !== "" && typed.trim() === appName.trim();
}

// Plain words for what pushd refuses about members and accounts; null means
// the generic words (ui <Problem>) fit.
export function teamProblem(code: string | undefined, action: "invite" | "change" | "remove" | "account" | "grant"): string | null {
  if (code === "CONFLICT" && action === "invite") return null; // pushd names the clash: a member already, or too many pending
  if (code === "NOT_FOUND" && (action === "change" || action === "remove")) return i18n.t("accounts:problems.memberGone");
  if (code === "CONFLICT" && action === "account") return i18n.t("accounts:problems.accountExists");
  if (code === "CONFLICT") return i18n.t("accounts:problems.lastOwner");
  return null;
}

// membershipSummary is an account's apps for the accounts list, owners
// first: "name (role)".
export function membershipSummary(ms: readonly { appID: string; role: Role; app?: { name: string } | null }[]): { appID: string; name: string; role: Role }[] {
  return byRole(
    ms.map((m) => ({ appID: m.appID, role: m.role, name: m.app?.name ?? m.appID })),
    (m) => m.name,
  );
}
