/**
 * Intraclass correlation: the six Shrout–Fleiss (1979) forms as psych::ICC(x, lmer = FALSE) reports
 * them (closed-form two-way ANOVA mean squares, F tests, F-based confidence bounds), plus the
 * paper's vectorised inter-/intra-observer screen over many radiomic features (iccByFeature).
 */
import { InputError } from "../errors.js";
import { pfUpper, qfUpper } from "./fDistribution.js";

// ---------------------------------------------------------------------------------------------
// Mean squares and the six forms
// ---------------------------------------------------------------------------------------------

export type IccForm = "ICC1" | "ICC2" | "ICC3" | "ICC1k" | "ICC2k" | "ICC3k";
export const ICC_FORMS: readonly IccForm[] = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"];

/** Mean squares of the two-way ANOVA without interaction (subjects + raters), as psych names them. */
export interface IccMeanSquares {
  /** Between subjects. */
  MSB: number;
  /** Between raters (judges). */
  MSJ: number;
  /** Residual of the two-way model. */
  MSE: number;
  /** Within subjects (one-way model) = (SSJ + SSE) / (n (k - 1)), as psych pools it. */
  MSW: number;
}

/**
 * Mean squares of an n × k layout held in `data`, rater j's n values starting at offsets[j]
 * (contiguous). Shared by icc() and iccByFeature() so both give bit-identical results.
 * Sums are of centred deviations (no SST − SSB − SSJ subtraction), so nothing cancels.
 */
function meanSquares(data: ArrayLike<number>, offsets: ArrayLike<number>, n: number, k: number, rowMean: Float64Array): IccMeanSquares {
  // Grand mean in two passes (mean, then mean of residuals) for accuracy with large offsets.
  let total = 0;
  for (let j = 0; j < k; j++) {
    const o = offsets[j];
    for (let i = 0; i < n; i++) total += data[o + i];
  }
  let grand = total / (n * k);
  let corr = 0;
  for (let j = 0; j < k; j++) {
    const o = offsets[j];
    for (let i = 0; i < n; i++) corr += data[o + i] - grand;
  }
  grand += corr / (n * k);

  rowMean.fill(0, 0, n);
  let ssJ = 0;
  const colDev = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const o = offsets[j];
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = data[o + i] - grand;
      rowMean[i] += d;
      s += d;
    }
    colDev[j] = s / n;
    ssJ += colDev[j] * colDev[j];
  }
  ssJ *= n;
  let ssB = 0;
  for (let i = 0; i < n; i++) {
    rowMean[i] /= k; // now the subject mean minus the grand mean
    ssB += rowMean[i] * rowMean[i];
  }
  ssB *= k;
  let ssE = 0;
  for (let j = 0; j < k; j++) {
    const o = offsets[j];
    const cj = colDev[j];
    for (let i = 0; i < n; i++) {
      const e = data[o + i] - grand - rowMean[i] - cj;
      ssE += e * e;
    }
  }
  const dfB = n - 1;
  const dfJ = k - 1;
  const dfE = (n - 1) * (k - 1);
  return { MSB: ssB / dfB, MSJ: ssJ / dfJ, MSE: ssE / dfE, MSW: (ssJ + ssE) / (dfJ + dfE) };
}

/** The point estimate of one form from the mean squares (Shrout & Fleiss; McGraw & Wong). */
function iccValue(ms: IccMeanSquares, n: number, k: number, form: IccForm): number {
  const { MSB, MSJ, MSE, MSW } = ms;
  switch (form) {
    case "ICC1":
      return (MSB - MSW) / (MSB + (k - 1) * MSW);
    case "ICC2":
      return (MSB - MSE) / (MSB + (k - 1) * MSE + (k * (MSJ - MSE)) / n);
    case "ICC3":
      return (MSB - MSE) / (MSB + (k - 1) * MSE);
    case "ICC1k":
      return (MSB - MSW) / MSB;
    case "ICC2k":
      return (MSB - MSE) / (MSB + (MSJ - MSE) / n);
    case "ICC3k":
      return (MSB - MSE) / MSB;
  }
}

export interface IccOptions {
  /** Confidence level of the bounds (psych's 1 - alpha); default 0.95. */
  confLevel?: number;
}

export interface IccResult {
  type: IccForm[];
  icc: number[];
  F: number[];
  df1: number[];
  df2: number[];
  p: number[];
  lower: number[];
  upper: number[];
  /** ANOVA mean squares behind the table. */
  ms: IccMeanSquares;
  /** Subjects used (complete cases) and raters. */
  nSubjects: number;
  nRaters: number;
  /** Subjects dropped for a missing (null/undefined) rating, and their 1-based rows. */
  nDropped: number;
  droppedRows: number[];
  confLevel: number;
  warnings: string[];
}

/**
 * psych::ICC(ratings, lmer = FALSE): all six Shrout–Fleiss forms with F tests and confidence bounds.
 * `ratings` is subject × rater. A null/undefined rating marks a missing value: that subject is
 * dropped (complete cases, reported in `nDropped`/`warnings`). NaN or ±Infinity is an input error.
 */
export function icc(ratings: ArrayLike<ArrayLike<number | null | undefined>>, options: IccOptions = {}): IccResult {
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InputError(`icc: confLevel must be in (0, 1), got ${confLevel}`);
  if (!ratings || ratings.length === 0) throw new InputError("icc: ratings has no rows (need subjects × raters)");
  const k = ratings[0]?.length ?? 0;
  const keep: number[] = [];
  const droppedRows: number[] = [];
  for (let i = 0; i < ratings.length; i++) {
    const row = ratings[i];
    if (!row || row.length !== k) {
      throw new InputError(`icc: row ${i + 1} of ratings has ${row ? row.length : 0} raters but row 1 has ${k}`);
    }
    let missing = false;
    for (let j = 0; j < k; j++) {
      const v = row[j];
      if (v === null || v === undefined) {
        missing = true;
        continue;
      }
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InputError(
          `icc: rating at row ${i + 1}, rater ${j + 1} is ${String(v)}; use null for a missing rating (that subject is then dropped)`,
        );
      }
    }
    if (missing) droppedRows.push(i + 1);
    else keep.push(i);
  }
  const n = keep.length;
  if (k < 2) throw new InputError(`icc: ratings has ${k} rater column(s); at least 2 raters are needed`);
  if (n < 2) {
    throw new InputError(
      `icc: ${n} subject(s) with complete ratings` +
        (droppedRows.length > 0 ? ` (${droppedRows.length} dropped for missing ratings)` : "") +
        "; at least 2 subjects are needed",
    );
  }
  // Rater-major copy so each rater's column is contiguous, the layout meanSquares() reads.
  const data = new Float64Array(n * k);
  const offsets = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    offsets[j] = j * n;
    for (let a = 0; a < n; a++) data[j * n + a] = ratings[keep[a]][j] as number;
  }
  const warnings: string[] = [];
  if (droppedRows.length > 0) {
    warnings.push(
      `missing data were found for ${droppedRows.length} subject(s) (rows ${droppedRows.join(", ")}); ` +
        `they were dropped, leaving ${n} of ${ratings.length}`,
    );
  }
  const ms = meanSquares(data, offsets, n, k, new Float64Array(n));
  return iccTable(ms, n, k, confLevel, warnings, droppedRows);
}

function iccTable(
  ms: IccMeanSquares,
  n: number,
  k: number,
  confLevel: number,
  warnings: string[],
  droppedRows: number[],
): IccResult {
  const { MSB, MSJ, MSE, MSW } = ms;
  const alpha = 1 - confLevel;
  const q = alpha / 2;
  const iccs = ICC_FORMS.map((form) => iccValue(ms, n, k, form));

  // One-way F for ICC1/ICC1k; two-way F for the others.
  const F1 = MSB / MSW;
  const df1n = n - 1;
  const df1d = n * (k - 1);
  const F2 = MSB / MSE;
  const df2n = n - 1;
  const df2d = (n - 1) * (k - 1);
  const p1 = pfUpper(F1, df1n, df1d);
  const p2 = pfUpper(F2, df2n, df2d);

  // Bounds for ICC1/ICC3 (and their averages) from the F ratio and F quantiles.
  const F1L = F1 / qfUpper(q, df1n, df1d);
  const F1U = F1 * qfUpper(q, df1d, df1n);
  const F3L = F2 / qfUpper(q, df2n, df2d);
  const F3U = F2 * qfUpper(q, df2d, df2n);
  const lower = new Array<number>(6);
  const upper = new Array<number>(6);
  lower[0] = (F1L - 1) / (F1L + (k - 1));
  upper[0] = (F1U - 1) / (F1U + k - 1);
  lower[2] = (F3L - 1) / (F3L + k - 1);
  upper[2] = (F3U - 1) / (F3U + k - 1);
  lower[3] = 1 - 1 / F1L;
  upper[3] = 1 - 1 / F1U;
  lower[5] = 1 - 1 / F3L;
  upper[5] = 1 - 1 / F3U;

  // ICC2: Satterthwaite-type degrees of freedom v (Shrout & Fleiss eq. for the random-raters case),
  // written exactly as psych evaluates it.
  const icc2 = iccs[1];
  const Fj = MSJ / MSE;
  const base = n * (1 + (k - 1) * icc2) - k * icc2;
  const vn = (k - 1) * (n - 1) * (k * icc2 * Fj + base) ** 2;
  const vd = (n - 1) * k * k * icc2 * icc2 * Fj * Fj + base * base;
  const v = vn / vd;
  const FvU = qfUpper(q, n - 1, v);
  const FvL = qfUpper(q, v, n - 1);
  const L2 = (n * (MSB - FvU * MSE)) / (FvU * (k * MSJ + (k * n - k - n) * MSE) + n * MSB);
  const U2 = (n * (FvL * MSB - MSE)) / (k * MSJ + (k * n - k - n) * MSE + n * FvL * MSB);
  lower[1] = L2;
  upper[1] = U2;
  lower[4] = (L2 * k) / (1 + L2 * (k - 1));
  upper[4] = (U2 * k) / (1 + U2 * (k - 1));

  if (MSE === 0 || MSW === 0) {
    warnings.push(
      "residual mean square is 0 (the raters agree exactly): F is infinite, p is 0 and some bounds are undefined",
    );
  }
  if (MSB === 0) warnings.push("subjects do not vary (between-subject mean square is 0): the ICCs are undefined");
  if (!(v > 0) && MSE !== 0) {
    warnings.push(`ICC2/ICC2k bounds are undefined: the Satterthwaite degrees of freedom are ${v}`);
  }
  for (let f = 0; f < 6; f++) {
    if (Number.isNaN(iccs[f]) || Number.isNaN(lower[f]) || Number.isNaN(upper[f])) {
      warnings.push(`${ICC_FORMS[f]}: NaN in the estimate or its bounds (degenerate mean squares)`);
    }
  }

  return {
    type: [...ICC_FORMS],
    icc: iccs,
    F: [F1, F2, F2, F1, F2, F2],
    df1: [df1n, df2n, df2n, df1n, df2n, df2n],
    df2: [df1d, df2d, df2d, df1d, df2d, df2d],
    p: [p1, p2, p2, p1, p2, p2],
    lower,
    upper,
    ms,
    nSubjects: n,
    nRaters: k,
    nDropped: droppedRows.length,
    droppedRows,
    confLevel,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// The paper's reproducibility screen, vectorised over features
// ---------------------------------------------------------------------------------------------

/** Readings per patient in the paper's design, in this order within each feature block. */
export const ICC_READINGS = ["reader1Reading1", "reader1Reading2", "reader2Reading1", "reader2Reading2"] as const;

export interface IccByFeatureOptions {
  /** Patients per reading. */
  nPatients: number;
  /** Which ICC form to report; default "ICC2" (two-way random, absolute agreement, single rater). */
  form?: IccForm;
  /** A feature is kept when both ICCs are strictly greater than this; default 0.75. */
  threshold?: number;
  /** Optional feature names (used in warnings and returned as is). */
  names?: readonly string[];
}

export interface IccByFeatureResult {
  form: IccForm;
  threshold: number;
  nFeatures: number;
  nPatients: number;
  names?: readonly string[];
  /** Reader 1 vs reader 2, first readings. */
  inter: Float64Array;
  /** Reader 1, reading 1 vs reading 2. */
  intra: Float64Array;
  /** 1 when inter > threshold and intra > threshold. */
  keep: Uint8Array;
  /** Patients used per feature for inter / intra (complete pairs). */
  nInter: Int32Array;
  nIntra: Int32Array;
  warnings: string[];
}

/**
 * Inter- and intra-observer ICC of every feature. `values` is feature-major:
 * values[((f * 4) + r) * nPatients + i] = feature f, reading r (ICC_READINGS order), patient i.
 * NaN marks a missing value: those patients are dropped from that feature's pair only.
 * Each value equals icc() on the same two-column matrix (same arithmetic, shared code).
 */
export function iccByFeature(values: ArrayLike<number>, options: IccByFeatureOptions): IccByFeatureResult {
  const n = options.nPatients;
  const form = options.form ?? "ICC2";
  const threshold = options.threshold ?? 0.75;
  if (!Number.isInteger(n) || n < 1) throw new InputError(`iccByFeature: nPatients must be a positive integer, got ${n}`);
  if (!ICC_FORMS.includes(form)) throw new InputError(`iccByFeature: form must be one of ${ICC_FORMS.join(", ")}, got ${form}`);
  const block = 4 * n;
  if (values.length % block !== 0) {
    throw new InputError(
      `iccByFeature: values has ${values.length} numbers, not a multiple of 4 readings × ${n} patients`,
    );
  }
  const nFeatures = values.length / block;
  if (options.names && options.names.length !== nFeatures) {
    throw new InputError(`iccByFeature: names has ${options.names.length} entries but values hold ${nFeatures} features`);
  }
  if (n < 2) throw new InputError(`iccByFeature: ${n} patient(s); at least 2 are needed`);
  const label = (f: number) => (options.names ? `feature ${f + 1} (${options.names[f]})` : `feature ${f + 1}`);

  const inter = new Float64Array(nFeatures);
  const intra = new Float64Array(nFeatures);
  const keep = new Uint8Array(nFeatures);
  const nInter = new Int32Array(nFeatures);
  const nIntra = new Int32Array(nFeatures);
  const warnings: string[] = [];
  const rowMean = new Float64Array(n);
  const scratch = new Float64Array(2 * n);
  const offsets = new Float64Array(2);
  const scratchOffsets = new Float64Array(2);

  const pair = (f: number, ra: number, rb: number, what: string): [number, number] => {
    const oa = (f * 4 + ra) * n;
    const ob = (f * 4 + rb) * n;
    let complete = true;
    for (let i = 0; i < n; i++) {
      const a = values[oa + i];
      const b = values[ob + i];
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        complete = false;
        break;
      }
    }
    let m = n;
    let ms: IccMeanSquares;
    if (complete) {
      offsets[0] = oa;
      offsets[1] = ob;
      ms = meanSquares(values, offsets, n, 2, rowMean);
    } else {
      // Complete pairs only, copied to scratch (rare: a feature that failed for some patients).
      m = 0;
      for (let i = 0; i < n; i++) {
        const a = values[oa + i];
        const b = values[ob + i];
        if (Number.isFinite(a) && Number.isFinite(b)) m++;
      }
      let w = 0;
      for (let i = 0; i < n; i++) {
        const a = values[oa + i];
        const b = values[ob + i];
        if (Number.isFinite(a) && Number.isFinite(b)) {
          scratch[w] = a;
          scratch[m + w] = b;
          w++;
        }
      }
      warnings.push(`${label(f)}: ${n - m} patient(s) with a missing value dropped from the ${what} ICC`);
      if (m < 2) {
        warnings.push(`${label(f)}: fewer than 2 complete patients for the ${what} ICC; it is NaN`);
        return [NaN, m];
      }
      scratchOffsets[0] = 0;
      scratchOffsets[1] = m;
      ms = meanSquares(scratch, scratchOffsets, m, 2, rowMean);
    }
    const value = iccValue(ms, m, 2, form);
    if (Number.isNaN(value)) warnings.push(`${label(f)}: ${what} ICC is undefined (no variation in the values)`);
    return [value, m];
  };

  for (let f = 0; f < nFeatures; f++) {
    [inter[f], nInter[f]] = pair(f, 0, 2, "inter-observer");
    [intra[f], nIntra[f]] = pair(f, 0, 1, "intra-observer");
    keep[f] = inter[f] > threshold && intra[f] > threshold ? 1 : 0;
  }
  return { form, threshold, nFeatures, nPatients: n, names: options.names, inter, intra, keep, nInter, nIntra, warnings };
}
