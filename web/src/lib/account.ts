// Credentials of console accounts (the account page, the reset page, the
// admins' accounts page): form state → GraphQL inputs, the reset link an
// admin passes on, an account's state in words, and pushd's refusals in
// plain words. pushd checks all of it again (auth/lifecycle.go).
import i18n from "../i18n";
import { passwordProblem, type Built } from "./team";

const fail = (field: string, error: string) => ({ error, field }) as const;

export type PasswordChange = { current: string; next: string };

export function changePasswordInput(f: PasswordChange): Built<{ currentPassword: string; newPassword: string }> {
  if (!f.current) return fail("currentPassword", i18n.t("account:check.currentNeeded"));
  const problem = passwordProblem(f.next);
  if (problem) return fail("newPassword", problem);
  if (f.next === f.current) return fail("newPassword", i18n.t("account:check.sameAsCurrent"));
  return { input: { currentPassword: f.current, newPassword: f.next } };
}

export function resetPasswordInput(token: string, next: string): Built<{ token: string; newPassword: string }> {
  if (!token) return fail("token", i18n.t("account:check.tokenNeeded"));
  const problem = passwordProblem(next);
  if (problem) return fail("newPassword", problem);
  return { input: { token, newPassword: next } };
}

// resetLink is what an admin passes on. The token travels in the fragment,
// which the browser never sends to a server: it stays out of access logs
// and Referer headers.
export const RESET_PATH = "/reset-password";

export function resetLink(origin: string, token: string): string {
  return `${origin}${RESET_PATH}#${encodeURIComponent(token)}`;
}

// tokenFromHash reads the token back from location.hash.
export function tokenFromHash(hash: string): string {
  try {
    return decodeURIComponent(hash.replace(/^#/, "")).trim();
  } catch {
    return "";
  }
}

export type AccountState = "active" | "disabled" | "reset";

// accountState: disabled wins over a pending reset (disabling ends it); a
// reset whose token expired still leaves the account without a password.
export function accountState(a: { disabledAt?: string | null; passwordResetExpiresAt?: string | null }): AccountState {
  if (a.disabledAt) return "disabled";
  if (a.passwordResetExpiresAt) return "reset";
  return "active";
}

export function resetPending(a: { passwordResetExpiresAt?: string | null }, now = new Date()): "pending" | "expired" | null {
  if (!a.passwordResetExpiresAt) return null;
  return new Date(a.passwordResetExpiresAt) > now ? "pending" : "expired";
}

// sessionsEnded says what changePassword and logoutEverywhere ended.
export function sessionsEnded(n: number, others: boolean): string {
  if (n === 0) return i18n.t(others ? "account:ended.noneOther" : "account:ended.none");
  return i18n.t(others ? "account:ended.othersEnded" : "account:ended.ended", { count: n });
}

export type AccountAction = "password" | "reset" | "disable" | "delete" | "answer";

// accountProblem: plain words for pushd's refusals on these pages; null
// means the generic words (ui <Problem>) fit. CONFLICT messages from
// deleteAccount and disableAccount name the app or the rule, so they are
// shown as pushd says them.
export function accountProblem(code: string | undefined, field: string | undefined, action: AccountAction): string | null {
  if (action === "password" && code === "INVALID_ARGUMENT" && field === "currentPassword") return i18n.t("account:problems.wrongCurrent");
  if (action === "reset" && code === "INVALID_ARGUMENT" && field === "token") {
    return i18n.t("account:problems.resetLinkDead");
  }
  if (action === "reset" && code === "CONFLICT") return i18n.t("account:problems.resetDisabled");
  if (action === "answer" && code === "NOT_FOUND") return i18n.t("account:problems.invitationGone");
  return null;
}
