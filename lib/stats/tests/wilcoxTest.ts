/**
 * Two-sample Wilcoxon rank-sum (Mann–Whitney) test, as R's wilcox.test(x, y, exact, correct) with the
 * two-sided alternative. W = rank sum of x minus nx(nx + 1)/2.
 *
 * R's rule: the exact null distribution when both samples have fewer than 50 values (or exact = TRUE)
 * and there are no ties; otherwise the normal approximation with the tie-corrected variance and, when
 * correct, a 0.5 continuity correction toward the centre.
 */
import { InputError } from "../../errors.js";
import { pnorm } from "../distributions.js";
import { finiteSample } from "./sample.js";

export interface WilcoxTestOptions {
  /** Exact p-value; default: nx < 50 and ny < 50. Ignored (with R's warning) when there are ties. */
  exact?: boolean;
  correct?: boolean;
}

export interface WilcoxTestResult {
  /** W. */
  statistic: number;
  p: number;
  exact: boolean;
  method: string;
  warnings: string[];
}

export function wilcoxTest(x: ArrayLike<number>, y: ArrayLike<number>, opts: WilcoxTestOptions = {}): WilcoxTestResult {
  const xs = finiteSample(x, "x", "wilcoxTest");
  const ys = finiteSample(y, "y", "wilcoxTest");
  const nx = xs.length;
  const ny = ys.length;
  if (nx < 1) throw new InputError("wilcoxTest: not enough (non-missing) 'x' observations");
  if (ny < 1) throw new InputError("wilcoxTest: not enough 'y' observations");
  const correct = opts.correct ?? true;
  const exact = opts.exact ?? (nx < 50 && ny < 50);
  const { ranks, tieSizes } = midRanks(xs, ys);
  let rankSumX = 0;
  for (let i = 0; i < nx; i++) rankSumX += ranks[i];
  const statistic = rankSumX - (nx * (nx + 1)) / 2;
  const ties = tieSizes.length > 0;
  const warnings: string[] = [];
  if (exact && !ties) {
    return { statistic, p: exactTwoSided(statistic, nx, ny), exact: true, method: "Wilcoxon rank sum exact test", warnings };
  }
  const N = nx + ny;
  let tieTerm = 0;
  for (const t of tieSizes) tieTerm += t * t * t - t;
  const sigma = Math.sqrt(((nx * ny) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  if (!(sigma > 0)) {
    throw new InputError("wilcoxTest: all observations are tied, so the rank-sum test is undefined");
  }
  let z = statistic - (nx * ny) / 2;
  const correction = correct ? Math.sign(z) * 0.5 : 0;
  z = (z - correction) / sigma;
  const p = 2 * Math.min(pnorm(z), pnorm(z, false));
  if (exact && ties) warnings.push("cannot compute exact p-value with ties");
  const method = correct ? "Wilcoxon rank sum test with continuity correction" : "Wilcoxon rank sum test";
  return { statistic, p, exact: false, method, warnings };
}

/** Average ranks of the pooled sample (x first), and the sizes of tied groups (> 1). */
function midRanks(xs: Float64Array, ys: Float64Array): { ranks: Float64Array; tieSizes: number[] } {
  const n = xs.length + ys.length;
  const v = new Float64Array(n);
  v.set(xs, 0);
  v.set(ys, xs.length);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && v[order[j + 1]] === v[order[i]]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/**
 * Two-sided exact p-value: twice the smaller tail of W's null distribution, at most 1. The tail is summed
 * directly (by symmetry, P(W >= w) = P(W <= nx·ny - w)) so a small p-value keeps its relative accuracy.
 */
function exactTwoSided(w: number, nx: number, ny: number): number {
  const q = w > (nx * ny) / 2 ? nx * ny - w : w;
  // When w > nx·ny/2 the upper tail P(W >= w) is P(W <= q); otherwise the lower tail P(W <= w).
  // W's null distribution is the same with the samples swapped; build it with the smaller one inner,
  // which keeps the work and memory at about max · min² / 2 numbers.
  const small = Math.min(nx, ny);
  const large = Math.max(nx, ny);
  if ((large * small * small) / 2 > 2e7) {
    throw new InputError(
      `wilcoxTest: exact p-value for samples of ${nx} and ${ny} is too large to compute; use exact: false (normal approximation)`,
    );
  }
  const counts = rankSumCounts(large, small);
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  let tail = 0;
  for (let i = 0; i <= q; i++) tail += counts[i];
  return Math.min(1, (2 * tail) / total);
}

/**
 * Number of arrangements giving each W = 0..nx·ny: c(k; m, n) = c(k - n; m - 1, n) + c(k; m, n - 1)
 * (the largest pooled value belongs to x or to y). Built up one m at a time, keeping all n.
 * Counts pass 2^53 for samples near 50 each; doubles keep them to ~1e-15 relative, as R's do.
 */
function rankSumCounts(m: number, n: number): Float64Array {
  // prev[j] = counts for (i - 1, j); cur[j] = counts for (i, j); each indexed by k.
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n; j++) {
    const a = new Float64Array(1);
    a[0] = 1; // m = 0: W = 0 in one way
    prev.push(a);
  }
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [];
    const a0 = new Float64Array(1);
    a0[0] = 1; // n = 0: W = 0 in one way
    cur.push(a0);
    for (let j = 1; j <= n; j++) {
      const a = new Float64Array(i * j + 1);
      const up = prev[j]; // (i - 1, j), max k = (i - 1) j, shifted by j
      for (let k = 0; k < up.length; k++) a[k + j] += up[k];
      const left = cur[j - 1]; // (i, j - 1)
      for (let k = 0; k < left.length; k++) a[k] += left[k];
      cur.push(a);
    }
    prev = cur;
  }
  return prev[n];
}
