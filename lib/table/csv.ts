/**
 * CSV → columns. Numeric columns become Float64Array with NaN for a missing value (R's NA);
 * any other column stays text, with null for missing. papaparse does the parsing because
 * danfojs' readCSV needs a browser XMLHttpRequest.
 */
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { InputError } from "../errors.js";

export type Column = Float64Array | (string | null)[];

export interface Table {
  /** Where the rows came from (file path or a label); error messages name it. */
  source: string;
  columns: string[];
  nRows: number;
  data: Record<string, Column>;
}

/** Parses CSV text (one header row) into a Table. `source` names the file in errors. */
export function parseCsv(text: string, source = "<csv>"): Table {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new InputError(`${source}: CSV parse error at row ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0) throw new InputError(`${source}: no header row`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new InputError(`${source}: column "${h}" appears twice in the header`);
    seen.add(h);
  }
  rows.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new InputError(`${source}: row ${i + 2} has ${r.length} fields, the header has ${header.length}`);
    }
  });
  const data: Record<string, Column> = {};
  header.forEach((name, j) => {
    const raw = rows.map((r) => r[j].trim());
    const numeric = raw.every((v) => v === "" || v === "NA" || Number.isFinite(Number(v)));
    data[name] = numeric
      ? Float64Array.from(raw, (v) => (v === "" || v === "NA" ? NaN : Number(v)))
      : raw.map((v) => (v === "" || v === "NA" ? null : v));
  });
  return { source, columns: header, nRows: rows.length, data };
}

/** Reads a CSV file into a Table (see parseCsv). */
export function readCsv(path: string): Table {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read CSV file ${path}: ${(e as Error).message}`);
  }
  return parseCsv(text, path);
}

/** A numeric column by name; the error names the table and column. */
export function numericColumn(table: Table, name: string): Float64Array {
  const col = table.data[name];
  if (col === undefined) {
    throw new InputError(`${table.source}: no column "${name}" (columns: ${table.columns.join(", ")})`);
  }
  if (!(col instanceof Float64Array)) {
    const bad = col.find((v) => v !== null && !Number.isFinite(Number(v)));
    throw new InputError(`${table.source}: column "${name}" is not numeric (value "${bad}")`);
  }
  return col;
}

/** A text column by name (numbers are turned into their text). */
export function textColumn(table: Table, name: string): (string | null)[] {
  const col = table.data[name];
  if (col === undefined) {
    throw new InputError(`${table.source}: no column "${name}" (columns: ${table.columns.join(", ")})`);
  }
  return col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? null : String(v))) : col;
}
