/**
 * Rows → CSV text in the format of data/public (header row, comma-separated, empty field = NA).
 * Numbers are written with up to 15 significant digits so that files are byte-stable across
 * platforms and read back to the same doubles that matter.
 */
import { InputError } from "../errors.js";

export type CsvValue = string | number | boolean | null | undefined;

const field = (v: CsvValue, column: string, row: number): string => {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "";
    if (!Number.isFinite(v)) throw new InputError(`toCsv: column "${column}" row ${row} is ${v}`);
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  }
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV text for rows (columns = `columns` or the first row's keys), ending in a newline. */
export function toCsv<T extends object>(rows: T[], columns?: (keyof T & string)[]): string {
  const cols = columns ?? (rows.length ? (Object.keys(rows[0]) as (keyof T & string)[]) : []);
  const lines = [cols.join(",")];
  rows.forEach((r, i) => lines.push(cols.map((c) => field((r as Record<string, CsvValue>)[c], c, i + 1)).join(",")));
  return lines.join("\n") + "\n";
}
