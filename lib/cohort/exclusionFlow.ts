/**
 * Applies exclusion criteria in order, CONSORT-style. Every patient who leaves the cohort is
 * named at the step that removed them; a patient whose data cannot answer a criterion (missing
 * value) is removed at that step too, but listed apart as "missing data" — never guessed.
 */
import { InputError } from "../errors.js";

export type Value = string | number | boolean | null | undefined;
export type CohortRow = Record<string, Value>;

/** Comparison a rule applies to one column: exclude the patient when `column op value` holds. */
export type RuleOp = ">" | ">=" | "<" | "<=" | "==" | "!=" | "in" | "notIn";

export interface Criterion {
  id: string;
  label: string;
  /** Columns the criterion reads; each must exist, a missing value sends the row to `missing`. */
  columns: string[];
  /** True = exclude. Called only when all `columns` have a value. */
  exclude: (row: CohortRow) => boolean;
}

/** A criterion from a JSON-able rule (what `--config` files use): exclude when `row[column] op value`. */
export function rule(id: string, label: string, column: string, op: RuleOp, value: Value | Value[]): Criterion {
  const test = (x: Value): boolean => {
    switch (op) {
      case ">": return (x as number) > (value as number);
      case ">=": return (x as number) >= (value as number);
      case "<": return (x as number) < (value as number);
      case "<=": return (x as number) <= (value as number);
      case "==": return x === value;
      case "!=": return x !== value;
      case "in": return (value as Value[]).includes(x);
      case "notIn": return !(value as Value[]).includes(x);
    }
  };
  if ((op === "in" || op === "notIn") && !Array.isArray(value)) {
    throw new InputError(`criterion ${id}: operator "${op}" needs a list of values`);
  }
  return { id, label, columns: [column], exclude: (row) => test(row[column]) };
}

export interface FlowStep {
  id: string;
  label: string;
  nBefore: number;
  /** Excluded by the criterion itself. */
  excluded: string[];
  /** Excluded because a column the criterion reads was missing. */
  missing: { id: string; columns: string[] }[];
  nExcluded: number;
  nAfter: number;
}

export interface ExclusionFlow {
  nScreened: number;
  steps: FlowStep[];
  /** Ids left after the last criterion, in input order. */
  included: string[];
  nIncluded: number;
}

const isMissing = (v: Value) => v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/**
 * `rows` need an id column (`idColumn`, default "id"); ids must be unique. `source` names the
 * data in error messages (e.g. the CSV path).
 */
export function exclusionFlow(
  rows: CohortRow[],
  criteria: Criterion[],
  { idColumn = "id", source = "cohort" }: { idColumn?: string; source?: string } = {},
): ExclusionFlow {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const id = r[idColumn];
    if (isMissing(id)) throw new InputError(`${source}: row ${i + 1} has no ${idColumn}`);
    const key = String(id);
    if (seen.has(key)) throw new InputError(`${source}: ${idColumn} "${key}" appears twice (rows ${seen.get(key)! + 1} and ${i + 1})`);
    seen.set(key, i);
  });
  const columns = new Set(rows.flatMap((r) => Object.keys(r)));
  for (const c of criteria) {
    for (const col of c.columns) {
      if (!columns.has(col)) throw new InputError(`${source}: criterion ${c.id} (${c.label}) reads column "${col}", which is not in the data`);
    }
  }
  let remaining = rows;
  const steps: FlowStep[] = [];
  for (const c of criteria) {
    const kept: CohortRow[] = [];
    const excluded: string[] = [];
    const missing: FlowStep["missing"] = [];
    for (const r of remaining) {
      const id = String(r[idColumn]);
      const absent = c.columns.filter((col) => isMissing(r[col]));
      if (absent.length > 0) missing.push({ id, columns: absent });
      else if (c.exclude(r)) excluded.push(id);
      else kept.push(r);
    }
    steps.push({
      id: c.id,
      label: c.label,
      nBefore: remaining.length,
      excluded,
      missing,
      nExcluded: excluded.length + missing.length,
      nAfter: kept.length,
    });
    remaining = kept;
  }
  const included = remaining.map((r) => String(r[idColumn]));
  return { nScreened: rows.length, steps, included, nIncluded: included.length };
}
