// Role rules of the API (docs/api.md), mirrored for the UI (tenant.Principal in Go):
// owners administer (keys, channels, webhooks, members), developers and
// owners change content and push, viewers read.
export type Role = "OWNER" | "DEVELOPER" | "VIEWER";

export type Permissions = { read: boolean; write: boolean; send: boolean; administer: boolean; role: Role | null };

export function roleIn(account: { admin: boolean; roles: Record<string, Role> }, appID: string): Role | null {
  if (account.admin) return "OWNER";
  return account.roles[appID] ?? null;
}

export function permissions(role: Role | null): Permissions {
  return {
    role,
    read: role !== null,
    write: role === "OWNER" || role === "DEVELOPER",
    send: role === "OWNER" || role === "DEVELOPER",
    administer: role === "OWNER",
  };
}
