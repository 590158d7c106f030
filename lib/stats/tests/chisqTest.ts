/**
 * Pearson's chi-square test of independence on an r × c contingency table, as R's chisq.test(x, correct).
 */
import { InputError } from "../../errors.js";
import { pchisq } from "../distributions.js";
import { checkTable } from "./contingency.js";

export interface ChisqTestResult {
  statistic: number;
  /** Degrees of freedom, (r - 1)(c - 1). */
  parameter: number;
  p: number;
  expected: number[][];
  method: string;
  warnings: string[];
}

export function chisqTest(table: ArrayLike<ArrayLike<number>>, { correct = true }: { correct?: boolean } = {}): ChisqTestResult {
  const { counts, rowSums, colSums, total } = checkTable(table, "chisqTest");
  // R would return NaN here (0/0 expected counts); we say which margin is empty instead.
  rowSums.forEach((s, i) => {
    if (s === 0) throw new InputError(`chisqTest: row ${i + 1} has no counts; drop it before testing`);
  });
  colSums.forEach((s, j) => {
    if (s === 0) throw new InputError(`chisqTest: column ${j + 1} has no counts; drop it before testing`);
  });
  const nr = counts.length;
  const nc = counts[0].length;
  const expected = rowSums.map((r) => colSums.map((c) => (r * c) / total));
  let method = "Pearson's Chi-squared test";
  // R's Yates correction is one number for the whole 2 × 2 table: 0.5, or the smallest |O - E| when
  // that is below 0.5, so the correction never flips the sign of any deviation.
  let yates = 0;
  if (correct && nr === 2 && nc === 2) {
    yates = 0.5;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) yates = Math.min(yates, Math.abs(counts[i][j] - expected[i][j]));
    if (yates > 0) method += " with Yates' continuity correction";
  }
  let statistic = 0;
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      const dev = Math.abs(counts[i][j] - expected[i][j]) - yates;
      statistic += (dev * dev) / expected[i][j];
    }
  }
  const parameter = (nr - 1) * (nc - 1);
  const p = pchisq(statistic, parameter, false);
  const warnings: string[] = [];
  if (expected.some((r) => r.some((e) => e < 5))) warnings.push("Chi-squared approximation may be incorrect");
  return { statistic, parameter, p, expected, method, warnings };
}
