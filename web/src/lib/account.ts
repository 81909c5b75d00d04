// Credentials of console accounts (the account page, the reset page, the
// admins' accounts page): form state → GraphQL inputs, the reset link an
// admin passes on, an account's state in words, and pushd's refusals in
// plain words. pushd checks all of it again (auth/lifecycle.go).
import { passwordProblem, type Built } from "./team";

const fail = (field: string, error: string) => ({ error, field }) as const;

export type PasswordChange = { current: string; next: string };

export function changePasswordInput(f: PasswordChange): Built<{ currentPassword: string; newPassword: string }> {
  if (!f.current) return fail("currentPassword", "Give your current password.");
  const problem = passwordProblem(f.next);
  if (problem) return fail("newPassword", problem);
  if (f.next === f.current) return fail("newPassword", "The new password must differ from the current one.");
  return { input: { currentPassword: f.current, newPassword: f.next } };
}

export function resetPasswordInput(token: string, next: string): Built<{ token: string; newPassword: string }> {
  if (!token) return fail("token", "This page needs the reset link an admin gave you: open that link as it is.");
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
  const what = others ? "other session" : "session";
  if (n === 0) return `No ${what} was open.`;
  return `${n} ${what}${n === 1 ? "" : "s"} ended.`;
}

export type AccountAction = "password" | "reset" | "disable" | "delete" | "answer";

// accountProblem: plain words for pushd's refusals on these pages; null
// means the generic words (ui <Problem>) fit. CONFLICT messages from
// deleteAccount and disableAccount name the app or the rule, so they are
// shown as pushd says them.
export function accountProblem(code: string | undefined, field: string | undefined, action: AccountAction): string | null {
  if (action === "password" && code === "INVALID_ARGUMENT" && field === "currentPassword") return "That is not your current password.";
  if (action === "reset" && code === "INVALID_ARGUMENT" && field === "token") {
    return "This reset link does not work: it was used, replaced by a newer one or is older than 24 hours. Ask an admin for a new one.";
  }
  if (action === "reset" && code === "CONFLICT") return "The account is disabled: enable it before resetting its password.";
  if (action === "answer" && code === "NOT_FOUND") return "That invitation is gone (withdrawn, expired or answered already); the list is now up to date.";
  return null;
}
