// The push composer's logic: form state in, GraphQL push inputs out, with
// the checks pushd would make (push/request.go, push/accept.go) done first
// so mistakes show next to their field instead of after a round trip.
// Error keys are pushd's field paths ("options.ttlSeconds",
// "items[3].vars"), so an INVALID_ARGUMENT from pushd lands on the same
// field as a local check.
import { GraphQLError } from "../api";
import type {
  AudienceInput,
  BindFilter,
  Channel,
  MessageClassification,
  Platform,
  PushAction,
  PushBroadcastInput,
  PushMessageInput,
  PushMultipleInput,
  PushMultipleItemInput,
  PushOptionsInput,
  PushPriority,
  PushSimpleInput,
  PushTarget,
  PushTemplateInput,
} from "../gql/graphql";
import i18n, { locale } from "../i18n";
import type { en } from "../locales";
import { count, fromLocalInput, utf8Bytes as bytes } from "./format";
import { renderTemplate, type TemplateLike } from "./template";
import { describeCron } from "./cron";

export type Mode = "simple" | "template" | "multiple" | "broadcast";
export const MODES: Mode[] = ["simple", "template", "multiple", "broadcast"];

export function modeOf(v: string | null): Mode {
  return MODES.includes(v as Mode) ? (v as Mode) : "simple";
}

// Limits of docs/api.md.
export const MAX_TARGETS = 1000;
export const MAX_ITEMS = 10_000;
export const MAX_TTL = 2_592_000;
export const DEFAULT_TTL = 259_200;
export const MAX_MSG_KEY = 128;
export const MAX_TASK_NAME = 200;
export const MAX_USER_ID = 128;
export const MAX_FILTER_VALUES = 100;
const MAX_AHEAD_MS = 366 * 24 * 3600_000;
const SLACK_MS = 60_000;

export type Errors = Record<string, string>;
export type Built<T> = { input: T; errors?: undefined } | { input?: undefined; errors: Errors };

function done<T>(input: T, errors: Errors): Built<T> {
  return Object.keys(errors).length ? { errors } : { input };
}

// Messages are made when a check runs, so they are in the language of the
// moment; list joins names the way that language does ("a, b" or "a、b").
const list = (names: string[]) => names.join(i18n.t("compose:separator"));

// The example of a payload, the same in every language (it is JSON).
export const PAYLOAD_EXAMPLE = '{"orderID": "42"}';

// ---------------------------------------------------------------- targets

export type TargetKind = "device" | "user";

// parseList reads IDs one per line or comma separated; blanks and repeats
// go (pushd removes repeats too, and counts the limit after that).
export function parseList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const v = raw.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

export function targetInput(kind: TargetKind, ids: string[]): PushTarget {
  return kind === "device" ? { deviceIDs: ids } : { userIDs: ids };
}

function checkTarget(kind: TargetKind, ids: string[], field: string, errors: Errors, max = MAX_TARGETS): PushTarget | undefined {
  if (ids.length === 0) {
    errors[field] = i18n.t(kind === "device" ? "compose:errors.target.noDevice" : "compose:errors.target.noUser");
    return undefined;
  }
  if (ids.length > max) {
    errors[field] = i18n.t("compose:errors.target.tooMany", { max: count(max), n: count(ids.length) });
    return undefined;
  }
  if (kind === "user") {
    const long = ids.find((u) => bytes(u) > MAX_USER_ID);
    if (long) {
      errors[field] = i18n.t("compose:errors.target.userTooLong", { max: MAX_USER_ID, start: long.slice(0, 20) });
      return undefined;
    }
  }
  return targetInput(kind, ids);
}

// ---------------------------------------------------------------- message

export type MessageForm = {
  title: string;
  body: string;
  payload: string;
  uri: string;
  action: "" | PushAction;
  silent: boolean;
  badge: string;
  sound: string;
  imageURL: string;
  collapseKey: string;
  priority: "" | PushPriority;
  androidChannelID: string;
  category: string;
  classification: "" | MessageClassification;
};

// The classifications by class, in the order the composer lists them; the
// satisfies clause fails the build when the schema adds one.
const classOf = {
  SERVICE: "SERVICE", IM: "SERVICE", VOIP: "SERVICE", ACCOUNT: "SERVICE", FINANCE: "SERVICE", ORDER: "SERVICE",
  EXPRESS: "SERVICE", TODO: "SERVICE", DEVICE_REMINDER: "SERVICE", SYSTEM_REMINDER: "SERVICE",
  SUBSCRIPTION: "SERVICE", TRAVEL: "SERVICE", HEALTH: "SERVICE", WORK: "SERVICE", MAIL: "SERVICE",
  PLAY_VOICE: "SERVICE",
  MARKETING: "MARKETING", NEWS: "MARKETING", CONTENT: "MARKETING", SOCIAL: "MARKETING",
} as const satisfies Record<MessageClassification, "SERVICE" | "MARKETING">;

export type MessageClass = (typeof classOf)[MessageClassification];

const ofClass = (cls: MessageClass) => (Object.keys(classOf) as MessageClassification[]).filter((c) => classOf[c] === cls);

export const CLASSIFICATIONS: Record<MessageClass, MessageClassification[]> = { SERVICE: ofClass("SERVICE"), MARKETING: ofClass("MARKETING") };

export const emptyMessage: MessageForm = {
  title: "",
  body: "",
  payload: "",
  uri: "",
  action: "",
  silent: false,
  badge: "",
  sound: "",
  imageURL: "",
  collapseKey: "",
  priority: "",
  androidChannelID: "",
  category: "",
  classification: "",
};

// parsePayload reads the payload box: empty is no payload; anything else
// must be a JSON object.
export function parsePayload(text: string): { value?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    // The reason is the browser's own words, in the browser's language.
    return { error: i18n.t("compose:errors.payload.invalid", { reason: e instanceof Error ? e.message : String(e) }) };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return { error: i18n.t("compose:errors.payload.notObject", { example: PAYLOAD_EXAMPLE }) };
  }
  return { value: v as Record<string, unknown> };
}

// Vendor limits pushd checks before sending (push/request.go checkMessage).
const fieldLimits: [keyof MessageForm, number][] = [
  ["collapseKey", 64],
  ["category", 64],
  ["androidChannelID", 128],
  ["sound", 256],
  ["imageURL", 2048],
];

// messageInput builds a PushMessageInput of the form, empty fields left
// out. With content, the message must say something (a title, a body or a
// payload); without, it only adds to a template and may be undefined.
export function messageInput(f: MessageForm, errors: Errors, field = "message", content = true): PushMessageInput | undefined {
  const m: PushMessageInput = {};
  // Title and body are sent as written: spaces in them are the author's.
  if (f.title) m.title = f.title;
  if (f.body) m.body = f.body;
  const payload = parsePayload(f.payload);
  if (payload.error) errors[`${field}.payload`] = payload.error;
  else if (payload.value) m.payload = payload.value;
  for (const k of ["uri", "sound", "imageURL", "collapseKey", "androidChannelID", "category"] as const) {
    const v = f[k].trim();
    if (v) m[k] = v;
  }
  if (f.action) m.action = f.action;
  if (f.priority) m.priority = f.priority;
  if (f.classification) m.classification = f.classification;
  if (f.silent) m.silent = true;
  if (f.badge.trim()) {
    const n = Number(f.badge);
    if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647) errors[`${field}.badge`] = i18n.t("compose:errors.badge");
    else m.badge = n;
  }
  for (const [k, max] of fieldLimits) {
    const n = bytes(f[k] as string);
    if (n > max) errors[`${field}.${k}`] = i18n.t("compose:errors.bytes", { max, n });
  }
  if (m.imageURL && !m.imageURL.startsWith("https://") && !errors[`${field}.imageURL`]) {
    errors[`${field}.imageURL`] = i18n.t("compose:errors.imageURL");
  }
  if (m.silent && !m.payload && !errors[`${field}.payload`]) {
    errors[`${field}.payload`] = i18n.t("compose:errors.silent");
  }
  if (content && !m.title && !m.body && !m.payload && !errors[`${field}.payload`]) {
    errors[field] = i18n.t("compose:errors.noContent");
  }
  return Object.keys(m).length ? m : undefined;
}

// ---------------------------------------------------------------- options

export type TTLUnit = "s" | "min" | "h" | "d";
export const TTL_UNITS: Record<TTLUnit, number> = { s: 1, min: 60, h: 3600, d: 86400 };
export type When = "now" | "at" | "repeat";

export type OptionsForm = {
  ttl: string;
  ttlUnit: TTLUnit;
  msgKey: string;
  taskName: string;
  when: When;
  scheduleAt: string; // <input type="datetime-local"> value, local time
  cron: string;
  timeZone: string;
  startAt: string;
  endAt: string;
  channels: Channel[];
};

export function emptyOptions(timeZone = "UTC"): OptionsForm {
  return { ttl: "", ttlUnit: "h", msgKey: "", taskName: "", when: "now", scheduleAt: "", cron: "", timeZone, startAt: "", endAt: "", channels: [] };
}

// ttlSeconds converts the TTL box and its unit; empty means pushd's
// default (3 days).
export function ttlSeconds(value: string, unit: TTLUnit): { seconds?: number; error?: string } {
  if (!value.trim()) return {};
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return { error: i18n.t("compose:errors.ttl.notNumber") };
  const s = n * TTL_UNITS[unit];
  if (!Number.isInteger(s)) return { error: i18n.t("compose:errors.ttl.fraction") };
  if (s > MAX_TTL) return { error: i18n.t("compose:errors.ttl.tooLong") };
  return { seconds: s };
}

// scheduleISO turns a datetime-local value into the instant pushd takes;
// it checks pushd's window (up to 60 s late is "now", at most 366 days
// ahead).
export function scheduleISO(local: string, now = Date.now()): { iso?: string; error?: string } {
  if (!local) return { error: i18n.t("compose:errors.schedule.empty") };
  const iso = fromLocalInput(local);
  if (!iso) return { error: i18n.t("compose:errors.schedule.invalid") };
  const t = Date.parse(iso);
  if (t < now - SLACK_MS) return { error: i18n.t("compose:errors.schedule.past") };
  if (t > now + MAX_AHEAD_MS) return { error: i18n.t("compose:errors.schedule.tooFar") };
  return { iso };
}

export function optionsInput(f: OptionsForm, errors: Errors, opts: { now?: number; recurrence?: boolean } = {}): PushOptionsInput | undefined {
  const o: PushOptionsInput = {};
  const ttl = ttlSeconds(f.ttl, f.ttlUnit);
  if (ttl.error) errors["options.ttlSeconds"] = ttl.error;
  else if (ttl.seconds !== undefined) o.ttlSeconds = ttl.seconds;
  if (f.msgKey) {
    if (bytes(f.msgKey) > MAX_MSG_KEY) errors["options.msgKey"] = i18n.t("compose:errors.bytes", { max: MAX_MSG_KEY, n: bytes(f.msgKey) });
    else o.msgKey = f.msgKey;
  }
  const task = f.taskName.trim();
  if (task) {
    if (bytes(task) > MAX_TASK_NAME) errors["options.taskName"] = i18n.t("compose:errors.maxBytes", { max: MAX_TASK_NAME });
    else o.taskName = task;
  }
  if (f.channels.length) o.channels = [...f.channels];
  if (f.when === "at") {
    const at = scheduleISO(f.scheduleAt, opts.now);
    if (at.error) errors["options.scheduleAt"] = at.error;
    else o.scheduleAt = at.iso;
  } else if (f.when === "repeat") {
    if (opts.recurrence === false) {
      errors["options.recurrence"] = i18n.t("compose:errors.noRecurrence");
    } else {
      const cron = f.cron.trim().replace(/\s+/g, " ");
      const words = describeCron(cron);
      if (words.error) errors["options.recurrence.cron"] = words.error;
      const timeZone = f.timeZone.trim();
      if (!timeZone) errors["options.recurrence.timeZone"] = i18n.t("compose:errors.timeZone.empty");
      else if (!isTimeZone(timeZone)) errors["options.recurrence.timeZone"] = i18n.t("compose:errors.timeZone.unknown", { zone: timeZone });
      const startAt = f.startAt ? fromLocalInput(f.startAt) : null;
      const endAt = f.endAt ? fromLocalInput(f.endAt) : null;
      if (f.startAt && !startAt) errors["options.recurrence.startAt"] = i18n.t("compose:errors.schedule.invalid");
      if (f.endAt && !endAt) errors["options.recurrence.endAt"] = i18n.t("compose:errors.schedule.invalid");
      if (startAt && endAt && Date.parse(endAt) <= Date.parse(startAt)) errors["options.recurrence.endAt"] = i18n.t("compose:errors.endBeforeStart");
      o.recurrence = { cron, timeZone, ...(startAt ? { startAt } : {}), ...(endAt ? { endAt } : {}) };
    }
  }
  return Object.keys(o).length ? o : undefined;
}

// ---------------------------------------------------------------- template vars

// varsInput keeps the values given: an empty box means "not given", so the
// template's default applies (as in a CSV cell), and pushd reports names
// with neither.
export function varsInput(values: Record<string, string>, variables: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of variables) if (values[v]) out[v] = values[v];
  return out;
}

function checkVars(t: TemplateLike, vars: Record<string, string>, field: string, errors: Errors) {
  const { missing } = renderTemplate(t, vars);
  if (missing.length) errors[field] = i18n.t("compose:errors.missingVars", { names: list(missing) });
}

// ---------------------------------------------------------------- the four pushes

export type SimpleForm = { targetKind: TargetKind; targets: string; message: MessageForm; options: OptionsForm };

export function buildSimple(appID: string, f: SimpleForm, now?: number): Built<PushSimpleInput> {
  const errors: Errors = {};
  const target = checkTarget(f.targetKind, parseList(f.targets), "target", errors);
  const message = messageInput(f.message, errors);
  const options = optionsInput(f.options, errors, { now });
  return done({ appID, target: target!, message: message ?? {}, ...(options ? { options } : {}) }, errors);
}

export type TemplateForm = {
  targetKind: TargetKind;
  targets: string;
  template?: TemplateLike & { name: string };
  vars: Record<string, string>;
  extras: MessageForm; // payload, badge, ...: everything but title and body
  options: OptionsForm;
};

export function buildTemplate(appID: string, f: TemplateForm, variables: string[], now?: number): Built<PushTemplateInput> {
  const errors: Errors = {};
  const target = checkTarget(f.targetKind, parseList(f.targets), "target", errors);
  if (!f.template) errors.templateName = i18n.t("compose:errors.noTemplate");
  const vars = varsInput(f.vars, variables);
  if (f.template) checkVars(f.template, vars, "vars", errors);
  const message = messageInput({ ...f.extras, title: "", body: "" }, errors, "message", false);
  const options = optionsInput(f.options, errors, { now });
  return done(
    {
      appID,
      target: target!,
      templateName: f.template?.name ?? "",
      ...(Object.keys(vars).length ? { vars } : {}),
      ...(message ? { message } : {}),
      ...(options ? { options } : {}),
    },
    errors,
  );
}

export type Row = { target: string; vars: Record<string, string> };

// dropBlankRows drops rows with nothing in them (the editor keeps one to type
// in); do it before building, so item i of the push is row i on screen and
// pushd's "items[i]" errors point at the right row.
export function dropBlankRows(rows: Row[]): Row[] {
  return rows.filter((r) => r.target.trim() || Object.values(r.vars).some(Boolean));
}

export type MultipleForm = {
  targetKind: TargetKind;
  template?: TemplateLike & { name: string };
  rows: Row[];
  extras: MessageForm;
  options: OptionsForm;
};

export function buildMultiple(appID: string, f: MultipleForm, variables: string[], now?: number): Built<PushMultipleInput> {
  const errors: Errors = {};
  if (!f.template) errors.templateName = i18n.t("compose:errors.noTemplate");
  const rows = f.rows;
  if (rows.length === 0) errors.items = i18n.t("compose:errors.rows.none");
  if (rows.length > MAX_ITEMS) errors.items = i18n.t("compose:errors.rows.tooMany", { max: count(MAX_ITEMS), n: count(rows.length) });
  // The extras are the same for every row: pushd has no push-wide message
  // for multiple pushes, so each item carries them.
  const message = messageInput({ ...f.extras, title: "", body: "" }, errors, "message", false);
  let total = 0;
  const items: PushMultipleItemInput[] = rows.map((r, i) => {
    const ids = parseList(r.target);
    total += ids.length;
    const target = checkTarget(f.targetKind, ids, `items[${i}].target`, errors, MAX_ITEMS);
    const vars = varsInput(r.vars, variables);
    if (f.template) checkVars(f.template, vars, `items[${i}].vars`, errors);
    return { target: target!, ...(Object.keys(vars).length ? { vars } : {}), ...(message ? { message } : {}) };
  });
  if (total > MAX_ITEMS && !errors.items) errors.items = i18n.t("compose:errors.rows.tooManyTargets", { max: count(MAX_ITEMS), n: count(total) });
  const options = optionsInput(f.options, errors, { now, recurrence: false });
  return done({ appID, templateName: f.template?.name ?? "", items, ...(options ? { options } : {}) }, errors);
}

export type AudienceForm = {
  platforms: Platform[];
  appVersions: string;
  tags: string;
  groups: string[];
  bound: BindFilter;
  activeWithin: string; // seconds; "" for any time
};

export const emptyAudience: AudienceForm = { platforms: [], appVersions: "", tags: "", groups: [], bound: "ANY", activeWithin: "" };

// audienceInput leaves out every filter that filters nothing.
export function audienceInput(f: AudienceForm, errors: Errors = {}): AudienceInput {
  const a: AudienceInput = {};
  if (f.platforms.length) a.platforms = [...f.platforms];
  const versions = parseList(f.appVersions);
  if (versions.length) a.appVersions = versions;
  const tags = parseList(f.tags);
  if (tags.length) a.tags = tags;
  if (f.groups.length) a.groups = [...f.groups];
  if (f.bound !== "ANY") a.bound = f.bound;
  if (f.activeWithin) {
    const n = Number(f.activeWithin);
    if (!Number.isInteger(n) || n <= 0) errors["audience.activeWithinSeconds"] = i18n.t("compose:errors.audience.activeWithin");
    else a.activeWithinSeconds = n;
  }
  for (const k of ["appVersions", "tags", "groups"] as const) {
    if ((a[k]?.length ?? 0) > MAX_FILTER_VALUES) errors[`audience.${k}`] = i18n.t("compose:errors.audience.tooMany", { max: MAX_FILTER_VALUES });
  }
  return a;
}

export type BroadcastForm = {
  content: "message" | "template";
  message: MessageForm;
  template?: TemplateLike & { name: string };
  vars: Record<string, string>;
  audience: AudienceForm;
  options: OptionsForm;
};

export function buildBroadcast(appID: string, f: BroadcastForm, variables: string[], now?: number): Built<PushBroadcastInput> {
  const errors: Errors = {};
  const audience = audienceInput(f.audience, errors);
  const options = optionsInput(f.options, errors, { now });
  const input: PushBroadcastInput = { appID, audience, ...(options ? { options } : {}) };
  if (f.content === "template") {
    // pushd takes a template or a message for a broadcast, not both.
    if (!f.template) errors.templateName = i18n.t("compose:errors.noTemplate");
    else input.templateName = f.template.name;
    const vars = varsInput(f.vars, variables);
    if (f.template) checkVars(f.template, vars, "vars", errors);
    if (Object.keys(vars).length) input.vars = vars;
  } else {
    input.message = messageInput(f.message, errors);
  }
  return done(input, errors);
}

// ---------------------------------------------------------------- CSV

// parseCSV reads RFC 4180 CSV (quotes, "" inside quotes, CRLF) into lines
// of cells, each with its 1-based line number; blank lines are skipped.
export function parseCSV(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const end = () => {
    cells.push(cell);
    if (any || cells.length > 1 || cell.trim()) out.push({ line: start, cells });
    cells = [];
    cell = "";
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === "\n") line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      end();
      line++;
      start = line;
    } else {
      cell += c;
    }
  }
  if (cell || cells.length || any) end();
  return out;
}

export type LineError = { line: number; message: string };

// rowsFromCSV reads "target,var1,var2" with a header line: the first
// column is the target (a header of deviceID or userID also says which),
// the others are the template's variables. An empty cell means "not
// given", so the variable's default applies.
export function rowsFromCSV(
  text: string,
  variables: string[],
  defaults: Record<string, string> = {},
): { rows: (Row & { line: number })[]; errors: LineError[]; kind?: TargetKind; columns: string[] } {
  const lines = parseCSV(text);
  const errors: LineError[] = [];
  if (lines.length === 0) return { rows: [], errors, columns: [] };
  const [head, ...body] = lines;
  const columns = head.cells.map((c) => c.trim());
  const first = columns[0].toLowerCase().replace(/[\s_-]/g, "");
  const kind: TargetKind | undefined = /^(device|deviceid|deviceids)$/.test(first) ? "device" : /^(user|userid|userids)$/.test(first) ? "user" : undefined;
  const varCols = columns.slice(1);
  const unknown = varCols.filter((c) => !variables.includes(c));
  if (unknown.length) errors.push({ line: head.line, message: i18n.t("compose:errors.csv.unknownColumns", { columns: list(unknown), variables: list(variables) || i18n.t("compose:errors.csv.noVariables") }) });
  const repeated = varCols.filter((c, i) => varCols.indexOf(c) !== i);
  if (repeated.length) errors.push({ line: head.line, message: i18n.t("compose:errors.csv.repeated", { columns: list([...new Set(repeated)]) }) });
  const uncovered = variables.filter((v) => !varCols.includes(v) && !(v in defaults));
  if (uncovered.length) errors.push({ line: head.line, message: i18n.t("compose:errors.csv.uncovered", { names: list(uncovered) }) });
  const rows: (Row & { line: number })[] = [];
  for (const { line, cells } of body) {
    if (cells.length !== columns.length) {
      errors.push({ line, message: i18n.t("compose:errors.csv.cells", { cells: cells.length, columns: columns.length }) });
      continue;
    }
    const target = cells[0].trim();
    if (!target) {
      errors.push({ line, message: i18n.t("compose:errors.csv.noTarget") });
      continue;
    }
    const vars: Record<string, string> = {};
    varCols.forEach((c, i) => {
      if (cells[i + 1] !== "") vars[c] = cells[i + 1];
    });
    const empty = variables.filter((v) => !vars[v] && !(v in defaults) && varCols.includes(v));
    if (empty.length) {
      errors.push({ line, message: i18n.t("compose:errors.csv.noValue", { names: list(empty) }) });
      continue;
    }
    rows.push({ line, target, vars });
  }
  return { rows, errors, kind, columns };
}

// ---------------------------------------------------------------- errors from pushd

type FieldKey = keyof (typeof en)["compose"]["field"];

// labels names each pushd field path by its key in compose:field.
const labels: Record<string, FieldKey> = {
  target: "target",
  templateName: "templateName",
  vars: "vars",
  items: "items",
  message: "message",
  "message.payload": "payload",
  "message.badge": "badge",
  "message.priority": "priority",
  "message.imageURL": "imageURL",
  "message.collapseKey": "collapseKey",
  "message.category": "category",
  "message.classification": "classification",
  "message.androidChannelID": "androidChannelID",
  "message.sound": "sound",
  "options.ttlSeconds": "ttl",
  "options.msgKey": "msgKey",
  "options.taskName": "taskName",
  "options.channels": "channels",
  "options.scheduleAt": "scheduleAt",
  "options.recurrence": "recurrence",
  "options.recurrence.cron": "cron",
  "options.recurrence.timeZone": "timeZone",
  "options.recurrence.startAt": "startAt",
  "options.recurrence.endAt": "endAt",
  audience: "audience",
  "audience.platforms": "platforms",
  "audience.appVersions": "appVersions",
  "audience.tags": "tags",
  "audience.groups": "groups",
  "audience.bound": "bound",
  "audience.activeWithinSeconds": "activeWithin",
};

const label = (field: string) => (Object.hasOwn(labels, field) ? i18n.t(`compose:field.${labels[field]}` as const) : undefined);

// fieldLabel names a pushd field path the way the form labels it.
export function fieldLabel(field: string): string {
  const own = label(field);
  if (own) return own;
  const item = field.match(/^items\[(\d+)\]\.?(.*)$/);
  if (item) {
    const n = Number(item[1]) + 1;
    const rest = item[2] ? label(item[2]) ?? label(`message.${item[2].replace(/^message\./, "")}`) ?? item[2] : "";
    if (!rest) return i18n.t("compose:field.row", { n });
    // English writes "Row 3 variables"; other languages keep the label's case.
    return i18n.t("compose:field.rowField", { n, field: locale() === "en" ? rest.toLowerCase() : rest });
  }
  return field;
}

// namedError puts the field's label in front of pushd's message (which
// says only what is wrong, "is required"), for <Problem>.
export function namedError(e: unknown): unknown {
  if (e instanceof GraphQLError && e.field && (e.code === "INVALID_ARGUMENT" || e.code === "NOT_FOUND")) {
    const message = i18n.t("compose:field.named", { field: fieldLabel(e.field), message: e.message });
    return new GraphQLError(message, e.code === "NOT_FOUND" ? "INVALID_ARGUMENT" : e.code, e.field);
  }
  return e;
}

// isTimeZone reports whether the browser knows tz as an IANA time zone, so
// a misspelt zone is caught in the form rather than after the confirmation.
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
