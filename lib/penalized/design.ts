/**
 * Input checks and glmnet's preprocessing shared by the penalized fits: a rows-of-numbers design
 * validated cell by cell, copied to one column-major Float64Array (coordinate descent walks
 * columns), glmnet's test for constant columns, and its weighted standardisation (mean and
 * 1/n-denominator SD, so that the penalty treats every feature on the same scale).
 */
import { InputError } from "../errors.js";
import type { Kernels } from "./kernels.js";

export interface Design {
  n: number;
  p: number;
  /** Column-major: x[j * n + i]. */
  x: Float64Array;
}

/** Validates a number[][] of rows and copies it column-major; names the offending row/column. */
export function designFromRows(rows: ArrayLike<ArrayLike<number>>, what: string, featureNames?: string[]): Design {
  if (!rows || rows.length === 0) throw new InputError(`${what}: x has no rows`);
  const n = rows.length;
  const first = rows[0];
  if (!first || typeof first.length !== "number") throw new InputError(`${what}: x must be an array of rows (number[][])`);
  const p = first.length;
  if (p < 2) throw new InputError(`${what}: x should have 2 or more columns (glmnet's rule), got ${p}`);
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!r || r.length !== p) {
      throw new InputError(`${what}: row ${i + 1} of x has ${r ? r.length : 0} values but row 1 has ${p}`);
    }
    for (let j = 0; j < p; j++) {
      const v = r[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        const col = featureNames?.[j] !== undefined ? `column ${j + 1} (${featureNames[j]})` : `column ${j + 1}`;
        throw new InputError(
          `${what}: x has a missing or non-finite value (${v}) at row ${i + 1}, ${col}; ` +
            "remove or impute it first (glmnet refuses missing values in x)",
        );
      }
      x[j * n + i] = v;
    }
  }
  return { n, p, x };
}

/** glmnet's chkvars: a column whose values are all equal can never enter the model (1 = usable). */
export function usableColumns(d: Design): Uint8Array {
  const { n, p, x } = d;
  const ju = new Uint8Array(p);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    const t = x[off];
    for (let i = 1; i < n; i++) {
      if (x[off + i] !== t) {
        ju[j] = 1;
        break;
      }
    }
  }
  return ju;
}

export interface Standardized {
  /** Centered (when center) and scaled (when scale) copy, column-major. */
  x: Float64Array;
  /** Weighted column means that were subtracted (0 when not centered). */
  xm: Float64Array;
  /** Weighted 1/n-denominator SDs that were divided out (1 when not scaled). */
  xs: Float64Array;
}

/**
 * Centres each usable column by its weighted mean and, when `scale`, divides by the weighted SD
 * with the 1/n denominator — glmnet's definition (not R's sd()). `w` must sum to 1.
 */
export function standardize(d: Design, w: Float64Array, ju: Uint8Array, center: boolean, scale: boolean): Standardized {
  const { n, p } = d;
  const x = Float64Array.from(d.x);
  const xm = new Float64Array(p);
  const xs = new Float64Array(p).fill(1);
  for (let j = 0; j < p; j++) {
    if (!ju[j]) continue;
    const off = j * n;
    if (center) {
      let m = 0;
      for (let i = 0; i < n; i++) m += w[i] * x[off + i];
      xm[j] = m;
      for (let i = 0; i < n; i++) x[off + i] -= m;
    }
    if (scale) {
      let v = 0;
      for (let i = 0; i < n; i++) v += w[i] * x[off + i] * x[off + i];
      const s = Math.sqrt(v);
      xs[j] = s;
      for (let i = 0; i < n; i++) x[off + i] /= s;
    }
  }
  return { x, xm, xs };
}

/** Soft-thresholded coordinate update shared by both families. */
export function softUpdate(u: number, v: number, l1: number, l2: number): number {
  const au = Math.abs(u) - l1;
  if (au <= 0) return 0;
  return (u > 0 ? au : -au) / (v + l2);
}

/** Internal controls of glmnet.control() that the solvers use. */
export const control = {
  fdev: 1e-5,
  eps: 1e-6,
  big: 9.9e35,
  mnlam: 5,
  devmax: 0.999,
  pmin: 1e-9,
} as const;

/**
 * The path's lambda for step m (0-based), as glmnet's solvers choose it: user values as given;
 * otherwise the first step is "infinite" (all coefficients zero), the second is alf·λmax with
 * λmax = max_j |gradient_j| / penalty_j / max(alpha, 1e-3) at the null model, and each later step
 * multiplies by alf = ratio^(1/(nlam-1)).
 */
export function nextLambda(
  m: number,
  prev: number,
  user: Float64Array | null,
  alf: number,
  ga: Float64Array,
  vp: Float64Array,
  ju: Uint8Array,
  alpha: number,
): { al: number; al0: number } {
  if (user) return { al: user[m], al0: prev };
  if (m === 0) return { al: control.big, al0: prev };
  if (m > 1) return { al: prev * alf, al0: prev };
  let lmax = 0;
  for (let j = 0; j < ga.length; j++) {
    if (!ju[j] || !(vp[j] > 0)) continue;
    lmax = Math.max(lmax, ga[j] / vp[j]);
  }
  lmax /= Math.max(alpha, 1e-3);
  return { al: alf * lmax, al0: lmax };
}

/**
 * The working sets of a path: the strong set as an ascending index list (coordinate sweeps visit
 * features in column order, as glmnet does) and the active set in order of entry (glmnet's m(1:nin)).
 */
export class WorkingSets {
  readonly strong: Uint8Array;
  readonly strongList: Int32Array;
  nStrong = 0;
  readonly isActive: Uint8Array;
  readonly active: Int32Array;
  nActive = 0;
  constructor(p: number) {
    this.strong = new Uint8Array(p);
    this.strongList = new Int32Array(p);
    this.isActive = new Uint8Array(p);
    this.active = new Int32Array(p);
  }
  /** Rebuilds the ascending strong list after flags were set. */
  syncStrong(): void {
    let c = 0;
    const s = this.strong;
    for (let j = 0; j < s.length; j++) if (s[j]) this.strongList[c++] = j;
    this.nStrong = c;
  }
  activate(j: number): void {
    if (!this.isActive[j]) {
      this.isActive[j] = 1;
      this.active[this.nActive++] = j;
    }
  }
}

/**
 * One coordinate-descent sweep over `list[0..len)` of a penalised weighted least-squares problem.
 * The design (column j at heap offset j·n), the gradient residual r (gradient of coordinate j =
 * x_j·r) and the weights w live in the kernels' heap at the given offsets; `xv` is the curvature.
 * Each coefficient gets its soft-thresholded Newton value, and r is updated with the weights.
 * Returns the largest xv_j·δ_j² (glmnet's convergence measure).
 */
export function sweep(
  k: Kernels,
  list: Int32Array,
  len: number,
  n: number,
  r: number,
  w: number,
  b: Float64Array,
  xv: Float64Array,
  vp: Float64Array,
  l1: number,
  l2: number,
  ws: WorkingSets,
): number {
  let dmax = 0;
  for (let s = 0; s < len; s++) {
    const j = list[s];
    const off = j * n;
    const bj = b[j];
    const u = bj * xv[j] + k.dot(off, r, n);
    const au = Math.abs(u) - vp[j] * l1;
    const bn = au <= 0 ? 0 : (u > 0 ? au : -au) / (xv[j] + vp[j] * l2);
    if (bn === bj) continue;
    const d = bn - bj;
    b[j] = bn;
    k.update(r, d, w, off, n);
    ws.activate(j);
    const dl = xv[j] * d * d;
    if (dl > dmax) dmax = dl;
  }
  return dmax;
}
