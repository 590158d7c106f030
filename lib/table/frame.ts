/**
 * Result tables as danfojs DataFrames (what notebook users print and slice) and as HTML.
 */
import * as dfd from "danfojs";

export type Row = Record<string, string | number | boolean | null>;

/** A danfojs DataFrame from an array of row objects (column order = first row's key order). */
export function toDataFrame(rows: Row[]): dfd.DataFrame {
  if (rows.length === 0) return new dfd.DataFrame([]);
  const columns = Object.keys(rows[0]);
  return new dfd.DataFrame(
    rows.map((r) => columns.map((c) => r[c] ?? null)),
    { columns },
  );
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A plain HTML table of rows (strings escaped; numbers shown with `digits` significant digits). */
export function htmlTable(rows: Row[], { digits = 4, caption }: { digits?: number; caption?: string } = {}): string {
  if (rows.length === 0) return "<table></table>";
  const columns = Object.keys(rows[0]);
  const cell = (v: Row[string]): string =>
    v === null || v === undefined ? "" : typeof v === "number" ? escapeHtml(formatNumber(v, digits)) : escapeHtml(String(v));
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`).join("\n");
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : "";
  return `<table class="radsurv">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Formats a number as R's print does with `digits` significant digits (integers stay whole). */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NA" : v > 0 ? "Inf" : "-Inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}
