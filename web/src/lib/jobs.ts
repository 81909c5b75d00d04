// What the pushes pages compute from a PushJob: progress from its counts,
// which actions fit its status, the filters of the list, the report table
// and short descriptions of a job's message, schedule and TTL.
import type { DeliveryStatus, JobCountsFieldsFragment, PushJobStatus, PushKind, ReportCountsFieldsFragment } from "../gql/graphql";
import i18n from "../i18n";
import { placeholders } from "./template";

export const JOB_STATUSES: PushJobStatus[] = ["SCHEDULED", "QUEUED", "SENDING", "DONE", "CANCELLED", "REVOKED", "FAILED"];
export const JOB_KINDS: PushKind[] = ["SIMPLE", "TEMPLATE", "MULTIPLE", "BROADCAST"];
export const DELIVERY_STATUSES: DeliveryStatus[] = ["PENDING", "SENDING", "SENT", "ARRIVED", "OPENED", "IGNORED", "FAILED", "EXPIRED", "REVOKED"];

// A finished job changes no more on its own (a DONE job's deliveries may
// still arrive or be opened, but its progress is complete), so its row
// needs no live updates.
const FINISHED = new Set<string>(["DONE", "CANCELLED", "REVOKED", "FAILED"]);

// kindName and platformName name a push kind and a device platform in the
// console's language; a value the console does not know yet shows as pushd
// spells it, in lower case.
export function kindName(kind: string): string {
  return i18n.t(`jobs:kind.${kind}` as "jobs:kind.SIMPLE", { defaultValue: kind.toLowerCase() });
}

export function platformName(platform: string): string {
  return i18n.t(`jobs:platform.${platform}` as "jobs:platform.IOS", { defaultValue: platform.toLowerCase() });
}

export function isFinished(status: string): boolean {
  return FINISHED.has(status);
}

// The counts of PushJob.counts (fragment JobCountsFields): each delivery is
// in exactly one state, and targeted is how many there are.
export type JobCounts = JobCountsFieldsFragment;

export type Progress = {
  done: number;
  total: number;
  // 0..1, or null while nothing is targeted yet (a broadcast still fanning
  // out): the bar is then indeterminate rather than a misleading 0% or 100%.
  ratio: number | null;
};

// progress says how many deliveries had their first attempt (every state but
// PENDING). Counts are recomputed about once a second from the deliveries,
// so a snapshot may briefly disagree with targeted: the ratio is kept in
// 0..1 whatever the numbers.
export function progress(c: JobCounts): Progress {
  const done = Math.max(0, c.sent + c.arrived + c.opened + c.ignored + c.failed + c.expired + c.revoked);
  const total = Math.max(0, c.targeted, done);
  if (total === 0) return { done: 0, total: 0, ratio: null };
  return { done, total, ratio: Math.min(1, done / total) };
}

export function percent(ratio: number | null): string {
  return ratio == null ? "–" : `${Math.floor(ratio * 100)}%`;
}

// overlay lays a live update over a job as loaded, unless the loaded one
// is newer (the list was read again after the row's subscription ended).
export function overlay<J extends { updatedAt: string }, U extends { updatedAt: string }>(job: J, update: U | undefined): J {
  if (!update || Date.parse(update.updatedAt) < Date.parse(job.updatedAt)) return job;
  return { ...job, ...update };
}

// Revoke is for a push that went out (or is going out); a schedule is
// cancelled instead (pushd turns revokePush on a recurring push into
// cancelPush anyway).
export function canRevoke(job: { status: string; recurrence?: unknown }): boolean {
  return !job.recurrence && (job.status === "QUEUED" || job.status === "SENDING" || job.status === "DONE");
}

// Cancel is only for a push that has not started (cancelPush answers
// CONFLICT otherwise).
export function canCancel(job: { status: string }): boolean {
  return job.status === "SCHEDULED";
}

// oneOf reads a search parameter that must be one of a few enum values;
// anything else (a stale or hand-edited URL) means no filter.
export function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

// q finds pushes by title or body, task name or message key (any part,
// any case); from and to are calendar days (YYYY-MM-DD, the browser's
// time zone), both included.
export type JobFilter = { status?: PushJobStatus; kind?: PushKind; q?: string; from?: string; to?: string };

const isDay = (v: string | null | undefined): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(new Date(v + "T00:00").getTime());

export function jobFilter(params: URLSearchParams): JobFilter {
  const q = params.get("q")?.trim();
  const from = params.get("from");
  const to = params.get("to");
  return {
    status: oneOf(params.get("status"), JOB_STATUSES),
    kind: oneOf(params.get("kind"), JOB_KINDS),
    ...(q ? { q } : {}),
    ...(isDay(from) ? { from } : {}),
    ...(isDay(to) ? { to } : {}),
  };
}

type JobsWhere = {
  appID: string;
  status?: PushJobStatus;
  kind?: PushKind;
  createdAtGTE?: string;
  createdAtLT?: string;
  or?: ({ taskNameContainsFold: string } | { msgKeyContainsFold: string } | { messageContains: string })[];
};

// startOfDay is local midnight of a YYYY-MM-DD day, plus days.
function startOfDay(day: string, plus = 0): string {
  const d = new Date(day + "T00:00");
  d.setDate(d.getDate() + plus);
  return d.toISOString();
}

// jobsWhere is the pushJobs where-input of the list.
export function jobsWhere(appID: string, f: JobFilter): JobsWhere {
  const w: JobsWhere = { appID };
  if (f.status) w.status = f.status;
  if (f.kind) w.kind = f.kind;
  if (f.q) w.or = [{ messageContains: f.q }, { taskNameContainsFold: f.q }, { msgKeyContainsFold: f.q }];
  if (f.from) w.createdAtGTE = startOfDay(f.from);
  if (f.to) w.createdAtLT = startOfDay(f.to, 1);
  return w;
}

type Message = { title?: string | null; body?: string | null; silent?: boolean };

// jobTitle is the one line that names a push in a list.
export function jobTitle(job: { message?: Message | null; templateName?: string | null; taskName?: string | null }): string {
  const m = job.message;
  if (m?.title) return m.title;
  if (job.templateName) return i18n.t("jobs:title.template", { name: job.templateName });
  if (m?.body) return m.body.length > 80 ? m.body.slice(0, 79) + "…" : m.body;
  if (job.taskName) return job.taskName;
  return i18n.t(m?.silent ? "jobs:title.silent" : "jobs:title.untitled");
}

// audience summarises who a push goes to; PushJob keeps the number of
// deliveries it made, not the original target list.
export function audience(job: { kind: string; counts: { targeted: number }; unknownTargets?: string[] | null; status: string }): string {
  const n = job.counts.targeted;
  const unknown = job.unknownTargets?.length ?? 0;
  // A scheduled push picks its devices when it goes out.
  const who = job.status === "SCHEDULED" && n === 0 ? i18n.t("jobs:audience.whenDue") : i18n.t("jobs:audience.devices", { count: n });
  const parts = [job.kind === "BROADCAST" ? i18n.t("jobs:audience.broadcast", { who }) : who];
  if (unknown > 0) parts.push(i18n.t("jobs:audience.unknown", { count: unknown }));
  return parts.join(i18n.t("jobs:sep.clause"));
}

// ttl writes a TTL in seconds the way people say it.
export function ttl(seconds: number): string {
  if (seconds <= 0) return i18n.t("jobs:ttl.none");
  const units: [number, "day" | "hour" | "minute" | "second"][] = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0) return i18n.t(`jobs:ttl.${name}`, { count: seconds / size });
  }
  return i18n.t("jobs:ttl.second", { count: seconds });
}

// The counts of a StatPoint (fragment ReportCountsFields): cumulative, so
// sent includes what then arrived, and arrived includes opened and ignored.
export type StatCounts = ReportCountsFieldsFragment;

export type ReportRow = {
  group: string;
  counts: StatCounts;
  arrivalRate: number | null;
  openRate: number | null;
  ignoreRate: number | null;
};

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

function row(group: string, c: StatCounts): ReportRow {
  return { group, counts: c, arrivalRate: ratio(c.arrived, c.sent), openRate: ratio(c.opened, c.arrived), ignoreRate: ratio(c.ignored, c.arrived) };
}

const zero = (): StatCounts => ({ sent: 0, arrived: 0, opened: 0, ignored: 0, failed: 0, expired: 0 });

function add(a: StatCounts, b: StatCounts): StatCounts {
  return {
    sent: a.sent + b.sent,
    arrived: a.arrived + b.arrived,
    opened: a.opened + b.opened,
    ignored: a.ignored + b.ignored,
    failed: a.failed + b.failed,
    expired: a.expired + b.expired,
  };
}

// reportRows turns a job report grouped by one dimension into table rows,
// one per group (points of the same group are added up), largest first,
// with a total. Rates are null where nothing was there to divide by, so
// the table says "–" instead of a made-up 0%.
export function reportRows<P extends { counts: StatCounts }>(points: P[], group: (p: P) => string | null | undefined): { rows: ReportRow[]; total: ReportRow } {
  const by = new Map<string, StatCounts>();
  for (const p of points) {
    const g = group(p) ?? i18n.t("jobs:report.unknown");
    by.set(g, add(by.get(g) ?? zero(), p.counts));
  }
  const rows = [...by.entries()].map(([g, c]) => row(g, c)).sort((a, b) => b.counts.sent - a.counts.sent || a.group.localeCompare(b.group));
  const total = row(i18n.t("jobs:report.total"), rows.reduce((t, r) => add(t, r.counts), zero()));
  return { rows, total };
}

// schedule describes when a push goes (or went) out. A cancelled schedule
// has no next run, whatever time it still holds.
export function schedule(
  job: {
    status?: string;
    scheduleAt?: string | null;
    recurrence?: { cron: string; timeZone: string; startAt?: string | null; endAt?: string | null } | null;
  },
  when: (iso: string) => string,
): string {
  const r = job.recurrence;
  const cancelled = job.status === "CANCELLED";
  if (r) {
    // Each clause carries its own punctuation, which differs by language.
    let s = i18n.t("jobs:schedule.cron", { cron: r.cron, timeZone: r.timeZone });
    if (r.startAt) s += i18n.t("jobs:schedule.from", { when: when(r.startAt) });
    if (r.endAt) s += i18n.t("jobs:schedule.until", { when: when(r.endAt) });
    if (cancelled) s += i18n.t("jobs:schedule.cancelled");
    else if (job.scheduleAt) s += i18n.t("jobs:schedule.next", { when: when(job.scheduleAt) });
    return s;
  }
  if (job.scheduleAt) return i18n.t(cancelled ? "jobs:schedule.wasToGo" : "jobs:schedule.once", { when: when(job.scheduleAt) });
  return i18n.t("jobs:schedule.atOnce");
}

// perItemNote explains a multiple push's message: with a template, what
// the job holds is the template as written, and each item's own values fill
// its placeholders, so "{{order_id}}" is not what devices were shown.
export function perItemNote(kind: string, m: { title?: string | null; body?: string | null }): string | null {
  if (kind !== "MULTIPLE") return null;
  const names = [...new Set([...placeholders(m.title ?? ""), ...placeholders(m.body ?? "")])];
  if (names.length === 0) return null;
  // The names are interpolated as values, so their braces stay as written.
  return i18n.t("jobs:perItem", { names: names.map((n) => `{{${n}}}`).join(i18n.t("jobs:sep.list")) });
}
