// The audit log page (docs/security.md, "Audit log"): who did what to which
// object of an app, in words. pushd records the kinds and names as plain
// strings; anything this does not know shows as it came.

// AUDIT_PAGE is the records asked for at a time (pushd's default page).
export const AUDIT_PAGE = 50;

const actors: Record<string, string> = { account: "account", api_key: "API key" };

// actorKind is who made a change, in a word: "account" or "API key".
export function actorKind(kind: string): string {
  return actors[kind] ?? kind.replace(/_/g, " ");
}

const actions: Record<string, string> = { create: "created", update: "changed", delete: "deleted" };

export function actionLabel(action: string): string {
  return actions[action] ?? action;
}

const targets: Record<string, string> = {
  App: "app",
  APIKey: "API key",
  ChannelConfig: "channel",
  Membership: "membership",
  Template: "template",
  PushJob: "push",
  Webhook: "webhook",
  Invitation: "invitation",
};

// targetLabel is an object's type as the console names it elsewhere.
export function targetLabel(type: string): string {
  return targets[type] ?? type;
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
