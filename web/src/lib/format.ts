// Numbers and times as the console shows them, in the console's language.
import i18n, { locale } from "../i18n";

// Dates in English read day-first with a 24-hour clock ("4 Dec 2026,
// 20:48:21"), one format wherever the console shows an instant.
const dateLocale = () => (locale() === "zh-CN" ? "zh-CN" : "en-GB");
const numberLocale = () => (locale() === "zh-CN" ? "zh-CN" : "en-US");

export const pct = (r: number | null | undefined) => (r == null ? "–" : `${(r * 100).toFixed(1)}%`);

export const count = (n: number | null | undefined) => (n == null ? "–" : n.toLocaleString(numberLocale()));

export function when(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(dateLocale(), { dateStyle: "medium", timeStyle: "medium" });
}

// day is a calendar day ("4 Dec 2026", "2026年12月4日"), for day buckets.
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString(dateLocale(), { dateStyle: "medium" });
}

// hour is a day and hour, for hour buckets.
export function hour(iso: string): string {
  return new Date(iso).toLocaleString(dateLocale(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

// ago says how long before now an instant was, in the largest whole unit.
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return i18n.t("time.never");
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 0) return i18n.t("time.in", { span: span(-s) });
  if (s < 5) return i18n.t("time.justNow");
  return i18n.t("time.ago", { span: span(s) });
}

function span(s: number): string {
  if (s < 60) return i18n.t("time.s", { n: s });
  if (s < 3600) return i18n.t("time.min", { n: Math.floor(s / 60) });
  if (s < 86400) return i18n.t("time.h", { n: Math.floor(s / 3600) });
  return i18n.t("time.d", { n: Math.floor(s / 86400) });
}

// toLocalInput and fromLocalInput convert between an ISO instant and the
// value of an <input type="datetime-local"> (local time, minutes).
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? null : d.toISOString();
}

// dayUpTo is the 24 hours before now, ending at the next whole minute
// (statistics are per minute; the range ends exclusive).
export function dayUpTo(now: number): { from: string; to: string } {
  const to = Math.floor(now / 60_000) * 60_000 + 60_000;
  return { from: new Date(to - 24 * 3600_000).toISOString(), to: new Date(to).toISOString() };
}

// utf8Bytes is a string's length as pushd measures its limits: UTF-8 bytes.
export const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

// channelName is the one name the console gives each delivery channel,
// wherever it shows one (the composer, reports, deliveries, devices, charts).
export function channelName(c: string): string {
  const key = `channel.${c.toUpperCase()}`;
  return i18n.exists(key) ? i18n.t(key as "channel.SELF") : c;
}
