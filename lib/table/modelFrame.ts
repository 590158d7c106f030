/**
 * From a Table to what a survival model takes, as R's model.frame + model.matrix do it:
 * complete cases over the variables used (na.omit, reporting which rows were dropped),
 * factors expanded with treatment contrasts (first level = reference, columns named
 * `<variable><level>` like R's).
 */
import { InputError } from "../errors.js";
import { levelsOf } from "../survival/input.js";
import { type Table, numericColumn } from "./csv.js";

export interface ModelFrameSpec {
  time: string;
  /** Column holding the event indicator. */
  status: string;
  /** Value of the status column that means "event" (lung.csv: 2). Default 1. */
  eventValue?: number;
  /** Covariates in model order; each numeric unless listed in `factors`. */
  covariates?: string[];
  /** Covariates treated as factors; optional explicit level order (first = reference). */
  factors?: Record<string, (string | number)[] | true>;
  /** Extra columns that must also be complete (e.g. a grouping variable). */
  alsoComplete?: string[];
}

export interface ModelFrame {
  time: Float64Array;
  status: Uint8Array;
  /** Model-matrix columns (factors expanded), in order. */
  x: Record<string, Float64Array>;
  /** Term (input covariate) of each model-matrix column. */
  assign: Record<string, string>;
  /** 1-based rows of the table kept (R's rows_used after na.omit). */
  rowsUsed: number[];
  /** 1-based rows dropped for a missing value, with the column(s) that were missing. */
  dropped: { row: number; missing: string[] }[];
  n: number;
}

export function modelFrame(table: Table, spec: ModelFrameSpec): ModelFrame {
  const covariates = spec.covariates ?? [];
  const factors = spec.factors ?? {};
  const eventValue = spec.eventValue ?? 1;
  const used = [spec.time, spec.status, ...covariates, ...(spec.alsoComplete ?? [])];
  for (const name of used) {
    if (!(name in table.data)) {
      throw new InputError(`${table.source}: no column "${name}" (columns: ${table.columns.join(", ")})`);
    }
  }
  const isMissing = (name: string, i: number): boolean => {
    const v = table.data[name][i];
    return v === null || (typeof v === "number" && Number.isNaN(v));
  };
  const rowsUsed: number[] = [];
  const dropped: { row: number; missing: string[] }[] = [];
  for (let i = 0; i < table.nRows; i++) {
    const missing = used.filter((name) => isMissing(name, i));
    if (missing.length > 0) dropped.push({ row: i + 1, missing: [...new Set(missing)] });
    else rowsUsed.push(i + 1);
  }
  const n = rowsUsed.length;
  const timeCol = numericColumn(table, spec.time);
  const statusCol = numericColumn(table, spec.status);
  const time = Float64Array.from(rowsUsed, (r) => timeCol[r - 1]);
  const status = Uint8Array.from(rowsUsed, (r) => (statusCol[r - 1] === eventValue ? 1 : 0));
  const x: Record<string, Float64Array> = {};
  const assign: Record<string, string> = {};
  for (const name of covariates) {
    const spec = factors[name];
    if (spec === undefined) {
      const col = numericColumn(table, name);
      x[name] = Float64Array.from(rowsUsed, (r) => col[r - 1]);
      assign[name] = name;
      continue;
    }
    const raw = table.data[name];
    const values = rowsUsed.map((r) => raw[r - 1] as string | number);
    const levels = spec === true ? levelsOf(values) : spec;
    const asKey = (v: string | number) => String(v);
    const known = new Set(levels.map(asKey));
    values.forEach((v, k) => {
      if (!known.has(asKey(v))) {
        throw new InputError(`${table.source}: column "${name}" row ${rowsUsed[k]} has level "${v}" not in ${levels.join(", ")}`);
      }
    });
    for (const level of levels.slice(1)) {
      const col = `${name}${level}`;
      x[col] = Float64Array.from(values, (v) => (asKey(v) === asKey(level) ? 1 : 0));
      assign[col] = name;
    }
  }
  return { time, status, x, assign, rowsUsed, dropped, n };
}
