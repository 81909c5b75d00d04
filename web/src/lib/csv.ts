// CSV files the console hands out (analytics tables, push comparisons):
// RFC 4180 text that Excel, Numbers and LibreOffice open the same way.

export type Cell = string | number | null | undefined;

// BOM starts every file: without it Excel reads UTF-8 as the system code
// page and Chinese group names and headers come out garbled.
export const BOM = "\uFEFF";

// A text cell starting with one of these is run as a formula by
// spreadsheets (=HYPERLINK(…), +cmd|…, -2+3, @SUM(…)); tab and carriage
// return are on OWASP's list too, since some programs strip them first.
const FORMULA = /^[=+\-@\t\r]/;

// cell writes one value: numbers as they are (a number cannot be a
// formula, and -5 must stay a number), text defused with a leading ' and
// quoted when it holds a quote, a comma or a line break.
export function cell(v: Cell): string {
  if (v == null) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = v;
  if (FORMULA.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// csv is the text of a file: one line per row, CRLF between lines as RFC
// 4180 says, the BOM first.
export function csv(rows: Cell[][]): string {
  return BOM + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

// csvFileName makes a name safe on every file system: letters, digits and
// dashes, never empty.
export function csvFileName(name: string): string {
  const safe = name
    .normalize("NFKD")
    .replace(/[^\w-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
  return `${safe || "export"}.csv`;
}
