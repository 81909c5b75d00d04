// Devices, users, groups and templates: the filters the list pages keep in
// the URL, the GraphQL inputs built from them and from the forms, and the
// template rules of push/template.go mirrored so the form can warn before
// pushd refuses.
import type {
  AppUserWhereInput,
  CreateTemplateInput,
  DeviceOrderField,
  DeviceWhereInput,
  Platform,
  UpdateTemplateInput,
} from "../gql/graphql";
import i18n from "../i18n";
import { count, utf8Bytes } from "./format";
import { placeholders, validVarName } from "./template";

// ---- Templates ----------------------------------------------------------

// Template names are used in URLs, logs and push calls (ent/schema/template.go).
export function validTemplateName(s: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(s) && s.length <= 100;
}

export type VariableRow = { name: string; fallback: string };

export type TemplateForm = {
  name: string;
  title: string;
  body: string;
  variables: VariableRow[];
};

export const emptyTemplateForm: TemplateForm = { name: "", title: "", body: "", variables: [] };

export type TemplateCheck = {
  // used: the placeholders of title and body, in order.
  used: string[];
  // declared: the variable names of the form (blank rows left out).
  declared: string[];
  // undeclared: placeholders missing from a non-empty declaration; pushd
  // refuses the template then. With nothing declared pushd declares the
  // placeholders itself, so nothing is undeclared.
  undeclared: string[];
  // unused: declared variables no placeholder uses (allowed: a warning).
  unused: string[];
  // problems pushd would refuse, in plain words.
  errors: string[];
};

// list joins names the way the console's language does ("a, b" or "a、b").
const list = (names: string[]) => names.join(i18n.t("compose:separator"));

// checkTemplate mirrors checkTemplate in push/template.go; its messages are
// in the language of the moment it runs.
export function checkTemplate(f: TemplateForm): TemplateCheck {
  const used = placeholders(f.title);
  for (const n of placeholders(f.body)) if (!used.includes(n)) used.push(n);
  const rows = f.variables.map((v) => ({ name: v.name.trim(), fallback: v.fallback })).filter((v) => v.name !== "" || v.fallback !== "");
  const declared = rows.map((v) => v.name).filter((n) => n !== "");
  const errors: string[] = [];
  if (f.name.trim() === "") errors.push(i18n.t("compose:template.noName"));
  else if (!validTemplateName(f.name.trim())) errors.push(i18n.t("compose:template.badName"));
  if (f.title.trim() === "" && f.body.trim() === "") errors.push(i18n.t("compose:template.noContent"));
  // pushd counts bytes (UTF-8), not characters: 1,024 for the title, 4,096 for the body.
  if (utf8Bytes(f.title) > 1024) errors.push(i18n.t("compose:template.titleTooLong", { n: count(utf8Bytes(f.title)) }));
  if (utf8Bytes(f.body) > 4096) errors.push(i18n.t("compose:template.bodyTooLong", { n: count(utf8Bytes(f.body)) }));
  if (rows.some((v) => v.name === "")) errors.push(i18n.t("compose:template.defaultWithoutName"));
  for (const n of declared) if (!validVarName(n)) errors.push(i18n.t("compose:template.badVarName", { name: n }));
  const dupes = declared.filter((n, i) => declared.indexOf(n) !== i);
  if (dupes.length) errors.push(i18n.t("compose:template.declaredTwice", { names: list([...new Set(dupes)]) }));
  const undeclared = declared.length === 0 ? [] : used.filter((n) => !declared.includes(n));
  if (undeclared.length) errors.push(i18n.t("compose:template.undeclared", { names: list(undeclared) }));
  const unused = declared.filter((n) => !used.includes(n));
  return { used, declared, undeclared, unused, errors };
}

// addUndeclared declares every placeholder the form does not declare yet,
// keeping the rows there are.
export function addUndeclared(f: TemplateForm): TemplateForm {
  const c = checkTemplate(f);
  const missing = c.used.filter((n) => !c.declared.includes(n));
  if (!missing.length) return f;
  const rows = f.variables.filter((v) => v.name.trim() !== "" || v.fallback !== "");
  return { ...f, variables: [...rows, ...missing.map((name) => ({ name, fallback: "" }))] };
}

// defaultsOf is the defaults map of the form: a blank default means none
// (the sender must give that variable).
export function defaultsOf(f: TemplateForm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of f.variables) if (v.name.trim() && v.fallback !== "") out[v.name.trim()] = v.fallback;
  return out;
}

function declaredNames(f: TemplateForm): string[] {
  return f.variables.map((v) => v.name.trim()).filter((n) => n !== "");
}

export function createTemplateInput(appID: string, f: TemplateForm): CreateTemplateInput {
  const vars = declaredNames(f);
  const defaults = defaultsOf(f);
  return {
    appID,
    name: f.name.trim(),
    title: f.title,
    body: f.body,
    ...(vars.length ? { variables: vars } : {}),
    ...(Object.keys(defaults).length ? { defaults } : {}),
  };
}

// updateTemplateInput replaces everything: an empty declaration lets pushd
// declare the placeholders again, no defaults clears them.
export function updateTemplateInput(f: TemplateForm): UpdateTemplateInput {
  const vars = declaredNames(f);
  const defaults = defaultsOf(f);
  return {
    name: f.name.trim(),
    title: f.title,
    body: f.body,
    ...(vars.length ? { variables: vars } : { clearVariables: true }),
    ...(Object.keys(defaults).length ? { defaults } : { clearDefaults: true }),
  };
}

// templateForm is the form of a stored template. Defaults are strings in
// pushd; anything else is shown as JSON so nothing is lost silently.
export function templateForm(t: {
  name: string;
  title: string;
  body: string;
  variables?: string[] | null;
  defaults?: Record<string, unknown> | null;
}): TemplateForm {
  const defaults = t.defaults ?? {};
  const names = [...(t.variables ?? [])];
  for (const k of Object.keys(defaults)) if (!names.includes(k)) names.push(k);
  return {
    name: t.name,
    title: t.title,
    body: t.body,
    variables: names.map((name) => {
      const d = defaults[name];
      return { name, fallback: d == null ? "" : typeof d === "string" ? d : JSON.stringify(d) };
    }),
  };
}

// ---- Devices -----------------------------------------------------------

export const PLATFORMS: Platform[] = ["ANDROID", "IOS", "HARMONY", "WEB"];

export type DeviceSort = "LAST_SEEN" | "NEWEST" | "OLDEST";

export type DeviceFilter = {
  // q: a device ID (dev_…) or part of an installation ID.
  q: string;
  // user: the backend's user ID a device is bound to, exactly (the users
  // page links here; a part would also match longer IDs).
  user: string;
  // tag: one tag, exactly (devices carry tags their app sets).
  tag: string;
  platform: Platform | "";
  bound: "" | "yes" | "no";
  push: "" | "on" | "off";
  sort: DeviceSort;
};

const SORTS: DeviceSort[] = ["LAST_SEEN", "NEWEST", "OLDEST"];

// deviceFilter reads the devices page's filter from its URL; unknown values
// are dropped rather than sent to pushd.
export function deviceFilter(p: URLSearchParams): DeviceFilter {
  const platform = p.get("platform")?.toUpperCase() ?? "";
  const bound = p.get("bound") ?? "";
  const push = p.get("push") ?? "";
  const sort = p.get("sort") ?? "";
  return {
    q: (p.get("q") ?? "").trim(),
    user: (p.get("user") ?? "").trim(),
    tag: (p.get("tag") ?? "").trim(),
    platform: (PLATFORMS as string[]).includes(platform) ? (platform as Platform) : "",
    bound: bound === "yes" || bound === "no" ? bound : "",
    push: push === "on" || push === "off" ? push : "",
    sort: (SORTS as string[]).includes(sort) ? (sort as DeviceSort) : "LAST_SEEN",
  };
}

// deviceParams writes a filter back as search params, leaving defaults out
// so URLs stay short.
export function deviceParams(f: DeviceFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.user) p.set("user", f.user);
  if (f.tag) p.set("tag", f.tag);
  if (f.platform) p.set("platform", f.platform);
  if (f.bound) p.set("bound", f.bound);
  if (f.push) p.set("push", f.push);
  if (f.sort !== "LAST_SEEN") p.set("sort", f.sort);
  return p;
}

// Node IDs carry their type as a prefix (ent/schema/nodeid).
export const isDeviceID = (s: string) => /^dev_[0-9A-Za-z]+$/.test(s);

// Device IDs are "dev_" and a ULID: 26 characters of Crockford's base32.
const ULID_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ULID_LENGTH = 26;

// idPrefixRange turns the start of a device ID ("dev_01HX") into the range
// of IDs that begin with it, [from, to): IDs compare as strings and the
// API has no prefix filter for them. null when nothing can follow.
export function idPrefixRange(prefix: string): { from: string; to: string } | null {
  const head = prefix.slice(0, 4);
  let tail = prefix.slice(4).toUpperCase();
  const from = head + tail;
  while (tail) {
    const i = ULID_CHARS.indexOf(tail[tail.length - 1]);
    if (i < 0) return null;
    if (i < ULID_CHARS.length - 1) return { from, to: head + tail.slice(0, -1) + ULID_CHARS[i + 1] };
    tail = tail.slice(0, -1);
  }
  return null;
}

export function deviceWhere(appID: string, f: DeviceFilter): DeviceWhereInput {
  const w: DeviceWhereInput = { appID };
  if (f.q) {
    const range = isDeviceID(f.q) && f.q.length < 4 + ULID_LENGTH ? idPrefixRange(f.q) : null;
    if (range) {
      w.idGTE = range.from;
      w.idLT = range.to;
    } else if (isDeviceID(f.q)) w.id = f.q;
    else w.installationIDContainsFold = f.q;
  }
  if (f.user) w.hasUserWith = [{ externalID: f.user }];
  if (f.tag) w.hasTag = f.tag;
  if (f.platform) w.platform = f.platform;
  if (f.bound === "yes") w.userIDNotNil = true;
  if (f.bound === "no") w.userIDIsNil = true;
  if (f.push === "on") w.pushEnabled = true;
  if (f.push === "off") w.pushEnabled = false;
  return w;
}

export function deviceOrder(s: DeviceSort): { field: DeviceOrderField; direction: "ASC" | "DESC" } {
  if (s === "NEWEST") return { field: "CREATED_AT", direction: "DESC" };
  if (s === "OLDEST") return { field: "CREATED_AT", direction: "ASC" };
  return { field: "LAST_SEEN_AT", direction: "DESC" };
}

export type TokenLike = { channel: string; status: string };

// tokenSummary says which vendor channels a device can be reached on and
// which of its tokens the vendors declared dead.
export function tokenSummary(tokens: TokenLike[] | null | undefined): { active: string[]; dead: string[]; text: string } {
  const ts = [...(tokens ?? [])].sort((a, b) => a.channel.localeCompare(b.channel));
  const active = ts.filter((t) => t.status === "ACTIVE").map((t) => t.channel);
  const dead = ts.filter((t) => t.status !== "ACTIVE").map((t) => t.channel);
  const parts = [...active, ...dead.map((channel) => i18n.t("compose:tokens.dead", { channel }))];
  return { active, dead, text: parts.length ? list(parts) : i18n.t("compose:tokens.none") };
}

// maskToken shows the ends of a vendor token: enough to match it against
// an app's logs without putting the whole token on screen.
export function maskToken(t: string): string {
  return t.length <= 16 ? t : `${t.slice(0, 8)}…${t.slice(-6)}`;
}

// ---- Users and groups -----------------------------------------------------

export type UserFilter = { q: string; group: string };

export function userFilter(p: URLSearchParams): UserFilter {
  return { q: (p.get("q") ?? "").trim(), group: (p.get("group") ?? "").trim() };
}

export function userWhere(appID: string, f: UserFilter): AppUserWhereInput {
  const w: AppUserWhereInput = { appID };
  if (f.q) w.externalIDContainsFold = f.q;
  if (f.group) w.hasGroupsWith = [{ id: f.group }];
  return w;
}

// parseUserIDs splits a list of the backend's user IDs typed one per line
// or separated by commas, dropping blanks and repeats.
export function parseUserIDs(text: string): string[] {
  const out: string[] = [];
  for (const s of text.split(/[\n,]/)) {
    const id = s.trim();
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

// resolveUsers matches typed user IDs to the app users pushd found: the
// node IDs to add and the user IDs pushd does not know (they have no
// device bound yet, so there is nothing to add).
export function resolveUsers(wanted: string[], found: { id: string; externalID: string }[]): { ids: string[]; unknown: string[] } {
  const byExternal = new Map(found.map((u) => [u.externalID, u.id]));
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const w of wanted) {
    const id = byExternal.get(w);
    if (id) ids.push(id);
    else unknown.push(w);
  }
  return { ids, unknown };
}

// parseTags reads tags typed as one line: commas or spaces between them,
// duplicates dropped (pushd sorts them and checks each).
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}
