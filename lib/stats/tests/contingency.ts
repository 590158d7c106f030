/** Validation shared by the contingency-table tests (chi-square and Fisher). */
import { InputError } from "../../errors.js";

export interface CheckedTable {
  counts: number[][];
  rowSums: number[];
  colSums: number[];
  total: number;
}

/** Checks a rectangular table of non-negative finite counts with at least 2 rows and 2 columns. */
export function checkTable(table: ArrayLike<ArrayLike<number>>, what: string, { integer = false } = {}): CheckedTable {
  if (!table || table.length < 2) throw new InputError(`${what}: table must have at least 2 rows and 2 columns`);
  const nc = table[0].length;
  if (nc < 2) throw new InputError(`${what}: table must have at least 2 rows and 2 columns`);
  const counts: number[][] = [];
  for (let i = 0; i < table.length; i++) {
    const row = table[i];
    if (row.length !== nc) throw new InputError(`${what}: row ${i + 1} has ${row.length} cells, row 1 has ${nc}`);
    const r: number[] = [];
    for (let j = 0; j < nc; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new InputError(`${what}: cell [${i + 1}, ${j + 1}] is ${v}; counts must be non-negative and finite`);
      }
      if (integer && !Number.isInteger(v)) {
        throw new InputError(`${what}: cell [${i + 1}, ${j + 1}] is ${v}; Fisher's test needs whole counts`);
      }
      r.push(v);
    }
    counts.push(r);
  }
  const rowSums = counts.map((r) => r.reduce((s, v) => s + v, 0));
  const colSums = counts[0].map((_, j) => counts.reduce((s, r) => s + r[j], 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  if (total === 0) throw new InputError(`${what}: at least one count must be positive`);
  return { counts, rowSums, colSums, total };
}
