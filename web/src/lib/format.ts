// Numbers and times as the console shows them.
export const pct = (r: number | null | undefined) => (r == null ? "–" : `${(r * 100).toFixed(1)}%`);

export const count = (n: number | null | undefined) => (n == null ? "–" : n.toLocaleString("en-US"));

export function when(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}

// ago says how long before now an instant was, in the largest whole unit.
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 0) return "in " + span(-s);
  if (s < 5) return "just now";
  return span(s) + " ago";
}

function span(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
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
const CHANNEL_NAMES: Record<string, string> = { SELF: "WebSocket", APNS: "APNs", FCM: "FCM", HUAWEI: "Huawei", XIAOMI: "Xiaomi" };
export const channelName = (c: string) => CHANNEL_NAMES[c.toUpperCase()] ?? c;
