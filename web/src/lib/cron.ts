// Cron expressions read back in plain words, so whoever schedules a
// recurring push sees what the five fields mean before pushd does.

type CronField = { name: string; unit: string; min: number; max: number; names?: string[] };
const MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const cronFields: CronField[] = [
  { name: "minute", unit: "minute", min: 0, max: 59 },
  { name: "hour", unit: "hour", min: 0, max: 23 },
  { name: "day of month", unit: "day", min: 1, max: 31 },
  { name: "month", unit: "month", min: 1, max: 12, names: MONTHS },
  { name: "weekday", unit: "day", min: 0, max: 6, names: DAYS },
];

type Part = { every?: number; from?: number; to?: number; star: boolean };

function cronValue(s: string, f: CronField): number {
  if (f.names && /^[a-z]{3}$/i.test(s)) {
    const i = f.names.findIndex((n) => n.slice(0, 3).toLowerCase() === s.toLowerCase());
    if (i >= f.min) return i;
  }
  if (!/^\d+$/.test(s)) throw new Error(`${f.name}: "${s}" is not a number`);
  const n = Number(s);
  if (n < f.min || n > f.max) throw new Error(`${f.name}: ${n} is outside ${f.min}–${f.max}`);
  return n;
}

function cronPart(s: string, f: CronField): Part {
  const [range, step, extra] = s.split("/");
  if (extra !== undefined || range === "") throw new Error(`${f.name}: "${s}" is not a value, range or step`);
  let every: number | undefined;
  if (step !== undefined) {
    if (!/^\d+$/.test(step) || Number(step) === 0) throw new Error(`${f.name}: step "${step}" must be a number above 0`);
    every = Number(step);
  }
  if (range === "*" || range === "?") return { star: every === undefined, every };
  const [a, b, more] = range.split("-");
  if (more !== undefined) throw new Error(`${f.name}: "${s}" is not a range`);
  const from = cronValue(a, f);
  const to = b !== undefined ? cronValue(b, f) : every !== undefined ? f.max : undefined;
  if (to !== undefined && to < from) throw new Error(`${f.name}: ${a}-${b} goes backwards`);
  return { from, to, every, star: false };
}

function name(n: number, f: CronField): string {
  if (f.names) return f.names[n];
  return String(n);
}

function partWords(p: Part, f: CronField): string {
  if (p.star) return `every ${f.unit}`;
  const plural = `${f.unit}s`;
  if (p.every !== undefined) {
    const step = `every ${p.every === 1 ? f.unit : `${p.every} ${plural}`}`;
    if (p.from === undefined) return step;
    return `${step} from ${name(p.from, f)}${p.to !== f.max ? ` to ${name(p.to!, f)}` : ""}`;
  }
  return p.to !== undefined ? `${name(p.from!, f)} to ${name(p.to, f)}` : name(p.from!, f);
}

const single = (ps: Part[]) => ps.length === 1 && !ps[0].star && ps[0].every === undefined && ps[0].to === undefined;
const singles = (ps: Part[]) => ps.every((p) => !p.star && p.every === undefined && p.to === undefined);
const pad = (n: number) => String(n).padStart(2, "0");

// describeCron reads a five-field cron expression (minute hour day month
// weekday, as pushd takes it) back in plain words, or says what is wrong.
export function describeCron(cron: string): { words?: string; error?: string } {
  const spec = cron.trim();
  if (!spec) return { error: "Give five fields: minute hour day-of-month month weekday." };
  if (spec.startsWith("@") || spec.includes("TZ=")) return { error: "Use five fields (minute hour day month weekday), not @descriptors or TZ=." };
  const raw = spec.split(/\s+/);
  if (raw.length !== 5) return { error: `Five fields: minute hour day-of-month month weekday (this has ${raw.length}).` };
  let parts: Part[][];
  try {
    parts = raw.map((r, i) => r.split(",").map((s) => cronPart(s, cronFields[i])));
  } catch (e) {
    return { error: (e as Error).message };
  }
  const [min, hour, dom, month, dow] = parts;
  const words = (ps: Part[], i: number) => ps.map((p) => partWords(p, cronFields[i])).join(", ");
  const star = (ps: Part[]) => ps.length === 1 && ps[0].star;
  let time: string;
  if (single(min) && singles(hour) && !star(hour)) {
    time = "at " + hour.map((h) => `${pad(h.from!)}:${pad(min[0].from!)}`).join(", ");
  } else if (star(hour)) {
    time = star(min) ? "every minute" : min.length === 1 && min[0].from === undefined ? words(min, 0) : `at minute ${words(min, 0)} of every hour`;
  } else {
    const h = hour.length === 1 && hour[0].from === undefined ? words(hour, 1) : `hour ${words(hour, 1)}`;
    time = star(min) ? `every minute of ${h}` : `at minute ${words(min, 0)} of ${h}`;
  }
  let days: string;
  if (star(dom) && star(dow)) days = "every day";
  else if (star(dow)) days = `on day ${words(dom, 2)} of the month`;
  else if (star(dom)) days = `on ${words(dow, 4)}`;
  else days = `on day ${words(dom, 2)} of the month or on ${words(dow, 4)}`;
  const months = star(month) ? "" : `, in ${words(month, 3)}`;
  const s = `${time}, ${days}${months}`;
  return { words: s[0].toUpperCase() + s.slice(1) };
}
