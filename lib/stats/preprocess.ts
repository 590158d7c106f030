/**
 * The paper's preprocessing — "z-score standardisation; abnormal values replaced by the feature's
 * median" — made precise, and fitted on the training cohort only:
 *
 *  - fitScaler(train) records, per feature, the training mean and SD (n − 1 denominator, as R's
 *    scale()) and the training median, over the finite training values (R's na.rm = TRUE).
 *    Outliers are NOT removed before the mean/SD are computed: z is the plain scale() z-score.
 *  - applyScaler(scaler, x) turns any cohort (training or validation) into z = (x − mean) / SD with
 *    those training numbers, then replaces every "abnormal value" — |z| > outlierZ (default 3,
 *    strictly greater), or a missing / non-finite value — by the training median in z units,
 *    (median − mean) / SD, and reports how many values of each feature were replaced and in which rows.
 *
 * applyScaler treats each row on its own with the scaler's fixed numbers, so a validation row's
 * result cannot depend on which other validation rows exist; nothing is ever estimated from the
 * data it is applied to (test/preprocess.test.ts checks both).
 */
import { InputError } from "../errors.js";

export interface ScalerOptions {
  /** A value is abnormal when |z| > outlierZ (strictly). Default 3. Infinity disables the bound (non-finite values are still replaced). */
  outlierZ?: number;
  /** Feature names, in column order (default x1, x2, …). */
  names?: string[];
}

export interface Scaler {
  names: string[];
  /** Training means (finite values only). */
  mean: number[];
  /** Training SDs with the n − 1 denominator (R's sd() / scale()). */
  sd: number[];
  /** Training medians (R's median(), finite values only), on the original scale. */
  median: number[];
  /** The training medians in z units, (median − mean) / sd: the replacement value (0 for a constant feature). */
  medianZ: number[];
  outlierZ: number;
  /** Training rows the scaler was fitted on. */
  nTrain: number;
  /** Finite training values per feature (nTrain minus missing ones). */
  nFinite: number[];
  /** R-like notes, e.g. a constant feature. */
  warnings: string[];
}

export interface ScaledMatrix {
  /** z-scores after replacement, rows × features. */
  x: number[][];
  names: string[];
  /** Per feature: how many values were replaced by the training median. */
  replaced: number[];
  /** Per feature: the rows (1-based, as modelFrame's rowsUsed) whose value was replaced. */
  replacedRows: number[][];
  /** Per feature: of the replaced values, how many were missing / non-finite (the rest had |z| > outlierZ). */
  nonFinite: number[];
  /** Total number of replaced values. */
  nReplaced: number;
  outlierZ: number;
}

type Matrix = ArrayLike<ArrayLike<number | null | undefined>>;

function checkRows(x: Matrix, p: number | null, what: string): number {
  if (!x || typeof x.length !== "number") throw new InputError(`${what}: x must be an array of rows (number[][])`);
  let width = p;
  for (let i = 0; i < x.length; i++) {
    const r = x[i];
    if (!r || typeof r.length !== "number") throw new InputError(`${what}: row ${i + 1} of x is not an array`);
    if (width === null) width = r.length;
    else if (r.length !== width) {
      throw new InputError(
        `${what}: row ${i + 1} of x has ${r.length} values but ${p === null ? "row 1 has" : "the scaler has"} ${width} features`,
      );
    }
  }
  return width ?? 0;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** R's median of the finite values (mean of the two middle values when their number is even). */
function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const m = s.length;
  const h = m >> 1;
  return m % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Fits the z-score scaler on the training matrix (rows × features). */
export function fitScaler(train: Matrix, options: ScalerOptions = {}): Scaler {
  const what = "fitScaler";
  const outlierZ = options.outlierZ ?? 3;
  if (typeof outlierZ !== "number" || !(outlierZ > 0)) throw new InputError(`${what}: outlierZ must be a positive number, got ${outlierZ}`);
  const n = train?.length ?? 0;
  if (n < 2) throw new InputError(`${what}: the training matrix needs at least 2 rows, got ${n}`);
  const p = checkRows(train, null, what);
  if (p === 0) throw new InputError(`${what}: the training matrix has no columns`);
  const names = options.names ? options.names.slice() : Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new InputError(`${what}: names has ${names.length} entries but x has ${p} columns`);
  const scaler: Scaler = {
    names,
    mean: [],
    sd: [],
    median: [],
    medianZ: [],
    outlierZ,
    nTrain: n,
    nFinite: [],
    warnings: [],
  };
  for (let j = 0; j < p; j++) {
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      const xi = train[i][j];
      if (finite(xi)) v.push(xi);
    }
    if (v.length < 2) {
      throw new InputError(`${what}: feature ${names[j]} has ${v.length} finite training value(s); its SD is undefined`);
    }
    let m = 0;
    for (const xi of v) m += xi;
    m /= v.length;
    let ss = 0;
    for (const xi of v) ss += (xi - m) * (xi - m);
    const sd = Math.sqrt(ss / (v.length - 1));
    const med = median(v);
    scaler.mean.push(m);
    scaler.sd.push(sd);
    scaler.median.push(med);
    scaler.nFinite.push(v.length);
    if (sd > 0) {
      scaler.medianZ.push((med - m) / sd);
    } else {
      // A constant training feature: every z is 0 or non-finite, so every value maps to 0.
      scaler.medianZ.push(0);
      scaler.warnings.push(`feature ${names[j]} is constant in the training data (SD 0); its z-scores are all 0`);
    }
    if (v.length < n) {
      scaler.warnings.push(`feature ${names[j]}: ${n - v.length} missing or non-finite training value(s) left out of its mean, SD and median`);
    }
  }
  return scaler;
}

/**
 * z-scores of `x` (rows × features, same columns as the training matrix) with the scaler's
 * training numbers; abnormal values (|z| > outlierZ, or missing/non-finite) → training median (z units).
 */
export function applyScaler(scaler: Scaler, x: Matrix): ScaledMatrix {
  const what = "applyScaler";
  const p = scaler.names.length;
  checkRows(x, p, what);
  const n = x.length;
  const { mean, sd, medianZ, outlierZ } = scaler;
  const replaced = new Array<number>(p).fill(0);
  const nonFinite = new Array<number>(p).fill(0);
  const replacedRows: number[][] = Array.from({ length: p }, () => []);
  const out: number[][] = [];
  let nReplaced = 0;
  for (let i = 0; i < n; i++) {
    const r = x[i];
    const z = new Array<number>(p);
    for (let j = 0; j < p; j++) {
      const v = r[j];
      let zj = finite(v) ? (sd[j] > 0 ? (v - mean[j]) / sd[j] : v === mean[j] ? 0 : NaN) : NaN;
      if (!Number.isFinite(zj) || Math.abs(zj) > outlierZ) {
        if (!finite(v)) nonFinite[j]++;
        zj = medianZ[j];
        replaced[j]++;
        replacedRows[j].push(i + 1);
        nReplaced++;
      }
      z[j] = zj;
    }
    out.push(z);
  }
  return { x: out, names: scaler.names.slice(), replaced, replacedRows, nonFinite, nReplaced, outlierZ };
}
