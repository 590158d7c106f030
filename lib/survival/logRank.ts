/**
 * The G-rho family of k-sample tests, matched to R's survdiff (survival 3.5.3): rho = 0 is the
 * log-rank (Mantel–Haenszel) test, rho = 1 the Peto & Peto modification of the Gehan–Wilcoxon
 * test. Each death time is weighted by S(t-)^rho, S the Kaplan–Meier of the pooled sample of its
 * stratum; observed, expected and the variance are summed over strata.
 *
 * No case weights: R's survdiff has no weights argument (survival 3.5.3), so there is no R
 * reference to match; for a weighted comparison use coxph() with `weights` (its robust score
 * test) instead.
 */
import { InputError, NumericalError, check } from "../errors.js";
import { pchisq } from "../stats/distributions.js";
import { checkLength, levelsOf, survivalInput } from "./input.js";

export interface LogRankOptions {
  /** Weight exponent: 0 = log-rank, 1 = Peto–Peto. */
  rho?: number;
  /** Stratification variable; the test compares groups within strata and sums. */
  strata?: ArrayLike<string | number | null | undefined>;
}

export interface LogRankResult {
  /** Group levels in R's factor order. */
  groups: (string | number)[];
  /** Observations per group. */
  n: number[];
  /** Weighted observed and expected events per group (summed over strata). */
  observed: number[];
  expected: number[];
  /** Variance–covariance matrix of observed - expected. */
  variance: number[][];
  chisq: number;
  /** Groups with expected > 0, minus 1. */
  df: number;
  p: number;
  /** Rows dropped because group or stratum was missing (R's na.omit). */
  dropped: number;
  /** R-like notes on degenerate tests (no events, a single group with events). */
  warnings: string[];
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** Position of each value among `levels` (levelsOf compares numbers as numbers, anything else as text). */
function codes(values: (string | number)[], levels: (string | number)[]): Int32Array {
  const numeric = levels.every((v) => typeof v === "number");
  const map = new Map<string | number, number>();
  levels.forEach((l, i) => map.set(l, i));
  return Int32Array.from(values, (v) => map.get(numeric ? v : String(v)) as number);
}

export function logRank(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  group: ArrayLike<string | number | null | undefined>,
  options: LogRankOptions = {},
): LogRankResult {
  const what = "logRank";
  const rho = options.rho ?? 0;
  check(typeof rho === "number" && Number.isFinite(rho), `${what}: rho must be a finite number (got ${rho})`);
  check(group !== undefined && group !== null, `${what}: group is required`);
  // Every row's time and status are checked (row numbers are the caller's), then rows with a
  // missing group or stratum are dropped as na.omit in survdiff's model frame would.
  const all = survivalInput(time, status, what);
  checkLength(group, time.length, "group", what);
  const { strata } = options;
  if (strata !== undefined) checkLength(strata, time.length, "strata", what);

  const keep: number[] = [];
  let dropped = 0;
  for (let i = 0; i < time.length; i++) {
    if (isMissing(group[i]) || (strata !== undefined && isMissing(strata[i]))) dropped++;
    else keep.push(i);
  }
  check(keep.length > 0, `${what}: every row has a missing group${strata ? " or stratum" : ""}`);
  const input = {
    time: Float64Array.from(keep, (i) => all.time[i]),
    status: Uint8Array.from(keep, (i) => all.status[i]),
  };
  const g = keep.map((i) => group[i] as string | number);
  const levels = levelsOf(g);
  if (levels.length < 2) {
    throw new InputError(
      `${what}: group has only one level (${String(levels[0])}) among the rows used; a test needs at least two groups`,
    );
  }
  const gi = codes(g, levels);
  const k = levels.length;
  let si: Int32Array;
  let nstrat = 1;
  if (strata !== undefined) {
    const sv = keep.map((i) => strata[i] as string | number);
    const sl = levelsOf(sv);
    si = codes(sv, sl);
    nstrat = sl.length;
  } else {
    si = new Int32Array(keep.length);
  }

  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const variance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const nPer = new Array<number>(k).fill(0);
  for (let j = 0; j < gi.length; j++) nPer[gi[j]]++;

  for (let s = 0; s < nstrat; s++) {
    const rows: number[] = [];
    for (let j = 0; j < si.length; j++) if (si[j] === s) rows.push(j);
    rows.sort((a, b) => input.time[a] - input.time[b]);
    addStratum(rows, input.time, input.status, gi, k, rho, observed, expected, variance);
  }

  // survdiff: drop groups with nothing expected, then the first remaining group (the
  // variance of the k differences has rank k - 1), and solve the reduced system.
  const used: number[] = [];
  for (let j = 0; j < k; j++) if (expected[j] > 0) used.push(j);
  const df = used.length - 1;
  let chisq = 0;
  if (used.length >= 2) {
    const idx = used.slice(1);
    const b = idx.map((j) => observed[j] - expected[j]);
    const a = idx.map((r) => idx.map((c) => variance[r][c]));
    const x = solve(a, b);
    for (let j = 0; j < b.length; j++) chisq += x[j] * b[j];
  }
  // R: with one group expecting events the statistic is 0 on 0 df (p = 1); with none the test
  // is undefined (pchisq warns "NaNs produced").
  const warnings: string[] = [];
  let p: number;
  if (df > 0) p = pchisq(chisq, df, false);
  else if (df === 0) {
    p = 1;
    warnings.push("Only one group has expected events > 0: the test has 0 degrees of freedom.");
  } else {
    p = NaN;
    warnings.push("There are no events: the test is undefined (R returns p = NaN).");
  }
  return { groups: levels, n: nPer, observed, expected, variance, chisq, df, p, dropped, warnings };
}

/** Accumulates one stratum; `rows` are sorted by time. */
function addStratum(
  rows: number[],
  time: Float64Array,
  status: Uint8Array,
  group: Int32Array,
  k: number,
  rho: number,
  observed: number[],
  expected: number[],
  variance: number[][],
): void {
  const n = rows.length;
  // Number at risk per group: start with everyone, remove each time's rows after using them.
  const risk = new Array<number>(k).fill(0);
  for (const r of rows) risk[group[r]]++;
  const deathsBy = new Array<number>(k).fill(0);
  let km = 1;
  for (let i = 0; i < n; ) {
    const t = time[rows[i]];
    const nrisk = n - i;
    deathsBy.fill(0);
    let deaths = 0;
    let e = i;
    for (; e < n && time[rows[e]] === t; e++) {
      if (status[rows[e]] === 1) {
        deaths++;
        deathsBy[group[rows[e]]]++;
      }
    }
    // Weight uses the pooled KM just before t.
    const wt = rho === 0 ? 1 : Math.pow(km, rho);
    if (deaths > 0) {
      for (let j = 0; j < k; j++) {
        observed[j] += wt * deathsBy[j];
        expected[j] += (wt * deaths * risk[j]) / nrisk;
      }
      // A single subject at risk carries no variance (hypergeometric with n = 1).
      if (nrisk > 1) {
        const w2 = wt * wt;
        for (let j = 0; j < k; j++) {
          const tmp = (w2 * deaths * risk[j] * (nrisk - deaths)) / (nrisk * (nrisk - 1));
          variance[j][j] += tmp;
          for (let c = 0; c < k; c++) variance[j][c] -= (tmp * risk[c]) / nrisk;
        }
      }
      km = (km * (nrisk - deaths)) / nrisk;
    }
    for (let r = i; r < e; r++) risk[group[rows[r]]]--;
    i = e;
  }
}

/** Solves a x = b by Gaussian elimination with partial pivoting (small, symmetric a). */
function solve(a: number[][], b: number[]): number[] {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]]);
  let scale = 0;
  for (const row of a) for (const v of row) scale = Math.max(scale, Math.abs(v));
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    if (!(Math.abs(A[piv][c]) > scale * 1e-14)) {
      throw new NumericalError(
        "logRank: the variance matrix of observed - expected is singular (R: system is computationally singular)",
      );
    }
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = c + 1; r < m; r++) {
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let q = c; q <= m; q++) A[r][q] -= f * A[c][q];
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = A[r][m];
    for (let q = r + 1; q < m; q++) s -= A[r][q] * x[q];
    x[r] = s / A[r][r];
  }
  return x;
}
