// The simple shapes of a recurring push (every day, some weekdays, one day
// of the month, each at one time), built as cron and read back from it, so
// the composer offers choices for what most schedules are and keeps raw
// cron for the rest. The cron stays the one value the form holds.
//
// Only what pushd takes is offered: it parses with robfig/cron's
// ParseStandard (push/request.go), five fields, weekdays 0–6 with Sunday 0,
// no "L" for the last day of the month, no "7" for Sunday. So a monthly day
// is 1–31, and months without that day are skipped.

export type Clock = { hour: number; minute: number };
export type Shape =
  | ({ kind: "daily" } & Clock)
  // days: cron weekdays (0 = Sunday … 6 = Saturday), sorted, at least one.
  | ({ kind: "weekly"; days: number[] } & Clock)
  | ({ kind: "monthly"; day: number } & Clock);
export type Kind = Shape["kind"];

export const DEFAULT_CLOCK: Clock = { hour: 9, minute: 0 };
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

// weekdayList writes days as cron, a run of three or more as a range, so
// Monday to Friday reads "1-5" (and is described "Monday to Friday").
export function weekdayList(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) out.push(`${sorted[i]}-${sorted[j]}`);
    else out.push(...sorted.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return out.join(",");
}

// buildCron writes a shape as five cron fields: minute hour day month weekday.
export function buildCron(s: Shape): string {
  const at = `${s.minute} ${s.hour}`;
  if (s.kind === "daily") return `${at} * * *`;
  if (s.kind === "weekly") return `${at} * * ${weekdayList(s.days)}`;
  return `${at} ${s.day} * *`;
}

// number reads one plain cron value within min–max, or undefined.
function number(s: string, min: number, max: number): number | undefined {
  if (!/^\d{1,2}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

const weekday = (s: string) => {
  const named = DAY_NAMES.indexOf(s.toLowerCase());
  return named >= 0 ? named : number(s, 0, 6);
};

// weekdays reads a weekday field made of values and ranges (1,3,5 or
// mon-fri); a step or a star is not a simple shape.
function weekdays(field: string): number[] | undefined {
  const days = new Set<number>();
  for (const item of field.split(",")) {
    const [a, b, more] = item.split("-");
    const from = weekday(a);
    const to = b === undefined ? from : weekday(b);
    if (more !== undefined || from === undefined || to === undefined || to < from) return undefined;
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort((x, y) => x - y);
}

// cronClock reads the time of day of a cron whose minute and hour are one
// value each ("30 8 …" is 08:30), so switching shapes keeps the time.
export function cronClock(cron: string): Clock | undefined {
  const [m, h] = cron.trim().split(/\s+/);
  const minute = number(m ?? "", 0, 59);
  const hour = number(h ?? "", 0, 23);
  return minute === undefined || hour === undefined ? undefined : { hour, minute };
}

// parseCron reads a cron back as a simple shape, or undefined when it is
// something else (steps, several times, months…), which stays raw cron.
export function parseCron(cron: string): Shape | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const clock = cronClock(cron);
  const [, , dom, month, dow] = fields;
  if (!clock || month !== "*") return undefined;
  if (dom === "*" && dow === "*") return { kind: "daily", ...clock };
  if (dom === "*") {
    const days = weekdays(dow);
    return days ? { kind: "weekly", ...clock, days } : undefined;
  }
  const day = number(dom, 1, 31);
  return dow === "*" && day !== undefined ? { kind: "monthly", ...clock, day } : undefined;
}

// reshape is the shape of kind that a cron turns into when its kind is
// picked: itself if it already has it, else the same time on Monday or on
// the 1st.
export function reshape(cron: string, kind: Kind): Shape {
  const now = parseCron(cron);
  if (now?.kind === kind) return now;
  const clock = now ? { hour: now.hour, minute: now.minute } : (cronClock(cron) ?? DEFAULT_CLOCK);
  if (kind === "daily") return { kind, ...clock };
  if (kind === "weekly") return { kind, ...clock, days: [1] };
  return { kind, ...clock, day: 1 };
}

const pad = (n: number) => String(n).padStart(2, "0");

// clockText is a time as an <input type="time"> holds it, "08:30".
export const clockText = (c: Clock) => `${pad(c.hour)}:${pad(c.minute)}`;

// parseClock reads "08:30" (or "08:30:00"); seconds are dropped, as cron
// has none.
export function parseClock(s: string): Clock | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(s.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

// toggleDay adds or removes a weekday, keeping at least one: a weekly
// schedule on no day is not a schedule.
export function toggleDay(days: number[], day: number): number[] {
  const next = days.includes(day) ? days.filter((d) => d !== day) : [...days, day];
  return next.length ? next.sort((a, b) => a - b) : days;
}

// weekOrder lists the cron weekdays from the week's first day, given as
// Intl's weekInfo.firstDay (1 = Monday … 7 = Sunday).
export function weekOrder(firstDay: number): number[] {
  const start = ((firstDay % 7) + 7) % 7;
  return Array.from({ length: 7 }, (_, i) => (start + i) % 7);
}

// firstDayOf is the first day of the week where locale is spoken (1 =
// Monday … 7 = Sunday), Monday where the browser cannot say.
export function firstDayOf(locale: string): number {
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    return (l.getWeekInfo?.() ?? l.weekInfo)?.firstDay ?? 1;
  } catch {
    return 1;
  }
}

// weekdayName names a cron weekday in locale ("Mon", "周一").
export function weekdayName(day: number, locale: string, width: "short" | "long" = "short"): string {
  // 1 January 2023 was a Sunday, cron's day 0.
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" }).format(Date.UTC(2023, 0, 1 + day));
}

// ---------------------------------------------------------------- zones

// The regions of IANA names (Asia/Shanghai is in Asia); a name outside
// them (UTC, Etc/GMT+3) is in "other".
export const REGIONS = ["Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"] as const;
export type Region = (typeof REGIONS)[number] | "suggested" | "other";
export type Zone = { zone: string; offset: string };
export type ZoneGroup = { region: Region; zones: Zone[] };

// zoneOffset is zone's offset from UTC at the instant at, "+08:00", or
// undefined for a zone the browser does not know.
export function zoneOffset(zone: string, at: Date): string | undefined {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at);
    const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    // "GMT+08:00", and plain "GMT" for UTC itself.
    const offset = name.replace(/^GMT/, "").replace("\u2212", "-");
    return offset || "+00:00";
  } catch {
    return undefined;
  }
}

const regionOf = (zone: string): Region => {
  const r = REGIONS.find((name) => zone.startsWith(`${name}/`));
  return r ?? "other";
};

// zoneGroups is the list to pick a zone from: the first zones (the
// browser's, the likeliest others) as "suggested", then every zone by
// region, by name within one, each with its offset at the instant at.
export function zoneGroups(zones: string[], first: string[], at: Date): ZoneGroup[] {
  const withOffset = (zone: string): Zone[] => {
    const offset = zoneOffset(zone, at);
    return offset === undefined ? [] : [{ zone, offset }];
  };
  const groups: ZoneGroup[] = [{ region: "suggested", zones: [...new Set(first)].flatMap(withOffset) }];
  const byRegion = new Map<Region, Zone[]>();
  for (const zone of [...new Set(zones)].sort()) {
    const region = regionOf(zone);
    const list = byRegion.get(region) ?? [];
    list.push(...withOffset(zone));
    byRegion.set(region, list);
  }
  for (const region of [...REGIONS, "other"] as const) {
    const list = byRegion.get(region);
    if (list?.length) groups.push({ region, zones: list });
  }
  return groups.filter((g) => g.zones.length);
}
