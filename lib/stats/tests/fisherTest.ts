/**
 * Fisher's exact test of independence, as R's fisher.test(x) (two-sided).
 *
 * 2 × 2: p-value from the hypergeometric distribution of the [1, 1] cell, plus the conditional maximum
 * likelihood odds ratio and its 95% interval. R finds those by uniroot() at its default tolerance
 * (≈1.2e-4), so they are only accurate to about 4 digits; to give R's numbers and not merely close ones
 * we run the same Brent iteration with the same tolerance and brackets.
 *
 * r × c: exact p-value by enumerating every table with the observed margins. R's network algorithm
 * (FEXACT) gives the same sum, counting tables whose log-probability is within 3.45254e-7 of the
 * observed one's as "as extreme"; we use that tolerance. Enumeration is fine for Table 1 sizes; beyond
 * a budget we stop with an InputError instead of running for hours.
 */
import { InputError } from "../../errors.js";
import { checkTable } from "./contingency.js";
import { logGamma } from "../beta.js";

export interface FisherTestResult {
  p: number;
  /** Conditional MLE of the odds ratio (2 × 2 only); Infinity when a zero cell makes it unbounded. */
  estimate?: number;
  /** 95% confidence interval of the odds ratio (2 × 2 only). */
  confInt?: [number, number];
  method: string;
  /** Number of tables enumerated (r × c only). */
  tables?: number;
}

export interface FisherTestOptions {
  /** Confidence level for the 2 × 2 odds-ratio interval. */
  confLevel?: number;
  /** Largest number of tables to enumerate for r × c before giving up (default 1e7, about 2 s). */
  maxTables?: number;
}

const DBL_EPSILON = 2.220446049250313e-16;
/** R's uniroot default tol, .Machine$double.eps^0.25. */
const UNIROOT_TOL = Math.pow(DBL_EPSILON, 0.25);
/** FEXACT's tolerance on the log-probability scale. */
const FEXACT_TOL = 3.45254e-7;

export function fisherTest(table: ArrayLike<ArrayLike<number>>, opts: FisherTestOptions = {}): FisherTestResult {
  const checked = checkTable(table, "fisherTest", { integer: true });
  const confLevel = opts.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InputError(`fisherTest: confLevel must be in (0, 1), got ${confLevel}`);
  const method = "Fisher's Exact Test for Count Data";
  if (checked.counts.length === 2 && checked.counts[0].length === 2) return { ...fisher2x2(checked.counts, confLevel), method };
  const { p, tables } = fisherRxC(checked.counts, checked.rowSums, checked.colSums, checked.total, opts.maxTables ?? 1e7);
  return { p, method, tables };
}

// ---------------------------------------------------------------------------------------------------
// 2 × 2

interface NoncentralHypergeometric {
  lo: number;
  hi: number;
  x: number;
  support: number[];
  logdc: number[];
}

function fisher2x2(counts: number[][], confLevel: number): Omit<FisherTestResult, "method"> {
  // Margins as R names them: m = first column, n = second column, k = first row; x = cell [1, 1].
  const m = counts[0][0] + counts[1][0];
  const n = counts[0][1] + counts[1][1];
  const k = counts[0][0] + counts[0][1];
  const x = counts[0][0];
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const support: number[] = [];
  for (let s = lo; s <= hi; s++) support.push(s);
  // log dhyper up to a constant (dnhyper renormalises), from exact ratios of successive probabilities:
  // P(s + 1) / P(s) = (m - s)(k - s) / ((s + 1)(n - k + s + 1)).
  const logdc = new Array<number>(support.length);
  logdc[0] = 0;
  for (let i = 1; i < support.length; i++) {
    const s = support[i - 1];
    logdc[i] = logdc[i - 1] + Math.log(((m - s) * (k - s)) / ((s + 1) * (n - k + s + 1)));
  }
  const h: NoncentralHypergeometric = { lo, hi, x, support, logdc };

  // Two-sided p-value at odds ratio 1: tables no more probable than the observed one, R's 1e-7 slack.
  const d = dnhyper(h, 1);
  const dObs = d[x - lo] * (1 + 1e-7);
  let p = 0;
  for (const v of d) if (v <= dObs) p += v;

  const estimate = mle(h);
  const alpha = (1 - confLevel) / 2;
  const confInt: [number, number] = [ncpLower(h, alpha), ncpUpper(h, alpha)];
  return { p, estimate, confInt };
}

/** Probabilities of the support under odds ratio ncp (R's dnhyper). */
function dnhyper(h: NoncentralHypergeometric, ncp: number): number[] {
  const logNcp = Math.log(ncp);
  const d = h.logdc.map((l, i) => l + logNcp * h.support[i]);
  let max = -Infinity;
  for (const v of d) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    d[i] = Math.exp(d[i] - max);
    sum += d[i];
  }
  return d.map((v) => v / sum);
}

function mnhyper(h: NoncentralHypergeometric, ncp: number): number {
  if (ncp === 0) return h.lo;
  if (ncp === Infinity) return h.hi;
  const d = dnhyper(h, ncp);
  let mean = 0;
  for (let i = 0; i < d.length; i++) mean += h.support[i] * d[i];
  return mean;
}

/** P(X <= q) (or P(X >= q) when upperTail) under odds ratio ncp. */
function pnhyper(h: NoncentralHypergeometric, q: number, ncp: number, upperTail: boolean): number {
  if (ncp === 0) return Number(upperTail ? q <= h.lo : q >= h.lo);
  if (ncp === Infinity) return Number(upperTail ? q <= h.hi : q >= h.hi);
  const d = dnhyper(h, ncp);
  let s = 0;
  for (let i = 0; i < d.length; i++) if (upperTail ? h.support[i] >= q : h.support[i] <= q) s += d[i];
  return s;
}

function mle(h: NoncentralHypergeometric): number {
  const { x, lo, hi } = h;
  if (x === lo) return 0;
  if (x === hi) return Infinity;
  const mu = mnhyper(h, 1);
  if (mu > x) return uniroot((t) => mnhyper(h, t) - x, 0, 1);
  if (mu < x) return 1 / uniroot((t) => mnhyper(h, 1 / t) - x, DBL_EPSILON, 1);
  return 1;
}

function ncpUpper(h: NoncentralHypergeometric, alpha: number): number {
  const { x, hi } = h;
  if (x === hi) return Infinity;
  const p = pnhyper(h, x, 1, false);
  if (p < alpha) return uniroot((t) => pnhyper(h, x, t, false) - alpha, 0, 1);
  if (p > alpha) return 1 / uniroot((t) => pnhyper(h, x, 1 / t, false) - alpha, DBL_EPSILON, 1);
  return 1;
}

function ncpLower(h: NoncentralHypergeometric, alpha: number): number {
  const { x, lo } = h;
  if (x === lo) return 0;
  const p = pnhyper(h, x, 1, true);
  if (p > alpha) return uniroot((t) => pnhyper(h, x, t, true) - alpha, 0, 1);
  if (p < alpha) return 1 / uniroot((t) => pnhyper(h, x, 1 / t, true) - alpha, DBL_EPSILON, 1);
  return 1;
}

/**
 * Brent's root finder with R's uniroot() defaults (tol = eps^0.25, 1000 iterations): the bracket
 * [lower, upper] with f evaluated at both ends first, then interpolation or bisection steps. Matching
 * R's iteration is what makes our odds ratio equal R's to many more digits than the tolerance.
 */
function uniroot(f: (t: number) => number, lower: number, upper: number, tol = UNIROOT_TOL, maxIter = 1000): number {
  let a = lower;
  let b = upper;
  let fa = f(a);
  let fb = f(b);
  if (fa * fb > 0) throw new InputError("fisherTest: odds-ratio search lost its bracket (f has the same sign at both ends)");
  let c = a;
  let fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  for (let iter = 0; iter <= maxIter; iter++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // Keep b as the best approximation so far.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * DBL_EPSILON * Math.abs(b) + tol / 2;
    let step = (c - b) / 2;
    if (Math.abs(step) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      // Try interpolation: secant with two distinct points, inverse quadratic with three.
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      // Accept the interpolated point only if it lands well inside [b, c] and shrinks the step.
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) step = p / q;
    }
    if (Math.abs(step) < tolAct) step = step > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += step;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------------
// r × c

function fisherRxC(
  counts: number[][],
  rowSums: number[],
  colSums: number[],
  total: number,
  maxTables: number,
): { p: number; tables: number } {
  // Enumerate along the longer margin so each column carries few free cells: orient the table so that
  // rows are the shorter dimension.
  let rows = rowSums;
  let cols = colSums;
  let cell = (i: number, j: number) => counts[i][j];
  if (rowSums.length > colSums.length) {
    rows = colSums;
    cols = rowSums;
    cell = (i: number, j: number) => counts[j][i];
  }
  const nr = rows.length;
  const nc = cols.length;
  const logFact = new Float64Array(total + 1);
  for (let i = 2; i <= total; i++) logFact[i] = logGamma(i + 1);
  // log P(table) = Σ log r_i! + Σ log c_j! - log n! - Σ log n_ij!
  let constant = -logFact[total];
  for (const r of rows) constant += logFact[r];
  for (const c of cols) constant += logFact[c];
  let observed = constant;
  for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) observed -= logFact[cell(i, j)];
  const threshold = observed + FEXACT_TOL;

  const remaining = rows.slice();
  // Suffix sums of column totals: what the remaining columns must absorb.
  let p = 0;
  let tables = 0;
  const tooLarge = () =>
    new InputError(
      `fisherTest: the ${counts.length} × ${counts[0].length} table with n = ${total} has more than ${maxTables} tables with ` +
        "its margins; exact enumeration is too large. Use chisqTest, or a simulated (Monte Carlo) p-value.",
    );

  // Fill column j, row i onwards; `left` is what column j still needs; `acc` is log P so far.
  const fillColumn = (j: number, i: number, left: number, acc: number): void => {
    if (j === nc - 1) {
      // The last column is forced by the remaining row totals.
      let a = acc;
      for (let r = 0; r < nr; r++) a -= logFact[remaining[r]];
      tables++;
      if (tables > maxTables) throw tooLarge();
      if (a <= threshold) p += Math.exp(a);
      return;
    }
    if (i === nr - 1) {
      // Last row of the column is forced.
      if (left > remaining[i]) return;
      remaining[i] -= left;
      fillColumn(j + 1, 0, cols[j + 1], acc - logFact[left]);
      remaining[i] += left;
      return;
    }
    // Rows below i can take at most the sum of their remaining totals.
    let capacityBelow = 0;
    for (let r = i + 1; r < nr; r++) capacityBelow += remaining[r];
    const from = Math.max(0, left - capacityBelow);
    const to = Math.min(left, remaining[i]);
    for (let v = from; v <= to; v++) {
      remaining[i] -= v;
      fillColumn(j, i + 1, left - v, acc - logFact[v]);
      remaining[i] += v;
    }
  };
  fillColumn(0, 0, cols[0], constant);
  return { p: Math.max(0, Math.min(1, p)), tables };
}
