// Cron expressions read back in plain words, so whoever schedules a
// recurring push sees what the five fields mean before pushd does.
//
// The words come from the locale files (send:cron.*) piece by piece: each
// value is named with its unit ("9" in English, "9 点" in Chinese), so a
// language can put the pieces in its own order (Chinese says the days
// before the time: 每周一至周五 09:00).
import i18n from "../i18n";

// FieldID names a field's texts in the locale files.
type FieldID = "minute" | "hour" | "dom" | "month" | "dow";
type CronField = { id: FieldID; min: number; max: number; names?: string[] };
// Three-letter names (jan, sun) are cron syntax, English in every language.
const MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const cronFields: CronField[] = [
  { id: "minute", min: 0, max: 59 },
  { id: "hour", min: 0, max: 23 },
  { id: "dom", min: 1, max: 31 },
  { id: "month", min: 1, max: 12, names: MONTHS },
  { id: "dow", min: 0, max: 6, names: DAYS },
];

type Part = { every?: number; from?: number; to?: number; star: boolean };

// The texts are looked up when a cron is described, in the language in force.
const tr = (key: string, values?: Record<string, unknown>) => i18n.t(`send:cron.${key}` as "send:cron.range", values as { from: string; to: string });
const sep = () => tr("separator");

// refuse throws what is wrong with one field, named in the console's language.
function refuse(f: CronField, problem: string, values: Record<string, unknown>): never {
  throw new Error(tr(`error.${problem}`, { field: tr(`field.${f.id}`), ...values }));
}

function cronValue(s: string, f: CronField): number {
  if (f.names && /^[a-z]{3}$/i.test(s)) {
    const i = f.names.findIndex((n) => n.slice(0, 3).toLowerCase() === s.toLowerCase());
    if (i >= f.min) return i;
  }
  if (!/^\d+$/.test(s)) refuse(f, "notNumber", { value: s });
  const n = Number(s);
  if (n < f.min || n > f.max) refuse(f, "outside", { n, min: f.min, max: f.max });
  return n;
}

function cronPart(s: string, f: CronField): Part {
  const [range, step, extra] = s.split("/");
  if (extra !== undefined || range === "") refuse(f, "notPart", { value: s });
  let every: number | undefined;
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) === 0) refuse(f, "step", { step });
    every = Number(step);
  }
  if (range === "*" || range === "?") return { star: every === undefined, every };
  const [a, b, more] = range.split("-");
  if (more !== undefined) refuse(f, "notRange", { value: s });
  const from = cronValue(a, f);
  const to = b !== undefined ? cronValue(b, f) : every !== undefined ? f.max : undefined;
  if (to !== undefined && to < from) refuse(f, "backwards", { from: a, to: b });
  return { from, to, every, star: false };
}

// name is one value with its unit, as the language says it ("January",
// "9 点", "周一").
function name(n: number, f: CronField): string {
  if (f.id === "month") return tr(`month.${n}`);
  if (f.id === "dow") return tr(`weekday.${n}`);
  return tr(`value.${f.id}`, { n });
}

function partWords(p: Part, f: CronField): string {
  if (p.star) return tr(`every.${f.id}`);
  if (p.every !== undefined) {
    const step = p.every === 1 ? tr(`every.${f.id}`) : tr(`everyN.${f.id}`, { n: p.every });
    if (p.from === undefined) return step;
    if (p.to === f.max) return tr("stepFrom", { step, from: name(p.from, f) });
    return tr("stepRange", { step, from: name(p.from, f), to: name(p.to!, f) });
  }
  return p.to !== undefined ? tr("range", { from: name(p.from!, f), to: name(p.to, f) }) : name(p.from!, f);
}

const single = (ps: Part[]) => ps.length === 1 && !ps[0].star && ps[0].every === undefined && ps[0].to === undefined;
const singles = (ps: Part[]) => ps.every((p) => !p.star && p.every === undefined && p.to === undefined);
const stepped = (ps: Part[]) => ps.some((p) => p.every !== undefined);
const pad = (n: number) => String(n).padStart(2, "0");
// spaced puts a space between a Chinese character and the number after it,
// as the console writes Chinese ("9 点至 17 点"), however the pieces met.
const spaced = (s: string) => s.replace(/(\p{Script=Han})(?=\d)/gu, "$1 ");

// describeCron reads a five-field cron expression (minute hour day month
// weekday, as pushd takes it) back in plain words, or says what is wrong.
export function describeCron(cron: string): { words?: string; error?: string } {
  const spec = cron.trim();
  if (!spec) return { error: tr("error.empty") };
  if (spec.startsWith("@") || spec.includes("TZ=")) return { error: tr("error.descriptor") };
  const raw = spec.split(/\s+/);
  if (raw.length !== 5) return { error: tr("error.count", { n: raw.length }) };
  let parts: Part[][];
  try {
    parts = raw.map((r, i) => r.split(",").map((s) => cronPart(s, cronFields[i])));
  } catch (e) {
    return { error: (e as Error).message };
  }
  const [min, hour, dom, month, dow] = parts;
  const words = (ps: Part[], i: number) => ps.map((p) => partWords(p, cronFields[i])).join(sep());
  const star = (ps: Part[]) => ps.length === 1 && ps[0].star;
  // clock: the time is one or more times of day (09:00, 17:00).
  const clock = single(min) && singles(hour) && !star(hour);
  let time: string;
  if (clock) {
    time = tr("time.at", { times: hour.map((h) => `${pad(h.from!)}:${pad(min[0].from!)}`).join(sep()) });
  } else if (star(hour)) {
    time = star(min) ? tr("every.minute") : min.length === 1 && min[0].from === undefined ? words(min, 0) : tr("time.minuteOfEveryHour", { minutes: words(min, 0) });
  } else {
    const h = hour.length === 1 && hour[0].from === undefined ? words(hour, 1) : tr("time.hours", { hours: words(hour, 1) });
    time = star(min) ? tr("time.everyMinuteOf", { hours: h }) : tr("time.minuteOf", { minutes: words(min, 0), hours: h });
  }
  // A language may word the days of the month differently when they are
  // steps (every 2 days) or when months are named (1 月 1 日, not 每月).
  const monthDays = () => tr(stepped(dom) ? "days.monthStep" : star(month) ? "days.month" : "days.monthIn", { days: words(dom, 2) });
  const weekDays = () => tr(stepped(dow) ? "days.weekStep" : "days.week", { weekdays: words(dow, 4) });
  let days: string;
  if (star(dom) && star(dow)) days = tr("days.every");
  else if (star(dow)) days = monthDays();
  else if (star(dom)) days = weekDays();
  else days = tr("days.either", { month: monthDays(), week: weekDays() });
  const kind = clock ? "clock" : "other";
  const s = star(month) ? tr(`sentence.${kind}`, { time, days }) : tr(`sentence.${kind}Months`, { time, days, months: words(month, 3) });
  return { words: spaced(s[0].toUpperCase() + s.slice(1)) };
}
