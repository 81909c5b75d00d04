// The audit log page (docs/security.md, "Audit log"): who did what to which
// object of an app, in words. pushd records the kinds and names as plain
// strings; anything this does not know shows as it came. The words are in
// the audit namespace, looked up at each call (the language may change).
import i18n from "../i18n";

// AUDIT_PAGE is the records asked for at a time (pushd's default page).
export const AUDIT_PAGE = 50;

// actorKind is who made a change, in a word: "account" or "API key".
export function actorKind(kind: string): string {
  return i18n.t(`audit:actors.${kind}` as "audit:actors.account", { defaultValue: kind.replace(/_/g, " ") });
}

// actionLabel is what was done, as a past tense: "created".
export function actionLabel(action: string): string {
  return i18n.t(`audit:actions.${action}` as "audit:actions.create", { defaultValue: action });
}

// targetLabel is an object's type as the console names it elsewhere.
export function targetLabel(type: string): string {
  return i18n.t(`audit:targets.${type}` as "audit:targets.App", { defaultValue: type });
}

// fieldsText lists the names of the fields a change set or cleared.
export function fieldsText(fields: readonly string[]): string {
  return fields.length ? fields.join(", ") : "–";
}

// olderThan is the `before` of the next page back: the id of the last
// record shown, when the page was full (a shorter one was the last).
export function olderThan(rows: readonly { id: string }[], page = AUDIT_PAGE): string | null {
  return rows.length >= page ? rows[rows.length - 1].id : null;
}
