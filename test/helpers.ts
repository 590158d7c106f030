/** Shared test utilities: fixtures and tolerance assertions that say what failed and by how much. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { readCsv, type Table } from "../lib/table/index.js";

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, "..");

/** A JSON fixture from test/fixtures. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(here, "fixtures", name), "utf8"));
}

/** A public dataset from data/public. */
export function dataset(name: string): Table {
  return readCsv(join(root, "data", "public", name));
}

export interface Tol {
  /** Relative tolerance |a - e| <= rel * |e| ... */
  rel?: number;
  /** ... or absolute tolerance |a - e| <= abs (either suffices). */
  abs?: number;
}

/** Asserts a ≈ e; null in a reference means R's NA/NaN/Inf and matches null, NaN or ±Infinity. */
export function close(actual: number | null | undefined, expected: number | null, tol: Tol, label: string): void {
  if (expected === null) {
    assert.ok(
      actual === null || actual === undefined || !Number.isFinite(actual),
      `${label}: expected NA (null), got ${actual}`,
    );
    return;
  }
  assert.ok(typeof actual === "number" && Number.isFinite(actual), `${label}: expected ${expected}, got ${actual}`);
  const diff = Math.abs(actual - expected);
  const ok = diff <= (tol.abs ?? 0) || diff <= (tol.rel ?? 0) * Math.abs(expected) || diff === 0;
  assert.ok(ok, `${label}: got ${actual}, R has ${expected} (|diff| ${diff.toExponential(3)}, tol rel ${tol.rel ?? "-"} abs ${tol.abs ?? "-"})`);
}

/** Element-wise close() over arrays of equal length. */
export function closeAll(
  actual: ArrayLike<number | null>,
  expected: ArrayLike<number | null>,
  tol: Tol,
  label: string,
): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, R has ${expected.length}`);
  for (let i = 0; i < expected.length; i++) close(actual[i] as number | null, expected[i], tol, `${label}[${i}]`);
}
