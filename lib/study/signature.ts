/**
 * The radiomics signature, fitted on one cohort (the training cohort, or a bootstrap resample of it
 * in the honest validation): ICC filter → z-score with median replacement → LASSO-Cox with 10-fold
 * CV → rad-score = linear predictor of a Cox refit on the selected features → Youden cut-off of the
 * rad-score against progression by the horizon. Everything is estimated from `rows` only; applying
 * the signature to other patients (`score`) uses the fitted numbers unchanged.
 */
import { InputError } from "../errors.js";
import { iccByFeature, type IccByFeatureResult } from "../stats/icc.js";
import { fitScaler, applyScaler, type Scaler } from "../stats/preprocess.js";
import { cvLasso, type CvLassoResult } from "../penalized/cvLasso.js";
import { radScoreCox, radScoreCutoff, riskGroup, type RadScore } from "../penalized/radScore.js";
import type { RocResult } from "../stats/roc.js";
import { binaryAtHorizon, type BinaryAtHorizon } from "../stats/binaryOutcome.js";
import type { StudySettings } from "./types.js";

/** One analysis row: survival and the four readings' feature vectors (ICC_READINGS order). */
export interface SignatureRow {
  time: number;
  status: 0 | 1;
  readings: Float64Array[];
}

export interface Signature {
  featureNames: string[];
  icc: IccByFeatureResult;
  /** Features with both ICCs above the threshold. */
  kept: string[];
  scaler: Scaler;
  /** Values replaced by the training median (|z| > outlierZ or missing), per kept feature. */
  replaced: number[];
  cv: CvLassoResult;
  lambda: number;
  /** Features with a non-zero LASSO coefficient at the chosen λ. */
  selected: string[];
  lassoCoef: number[];
  /** Cox refit on the selected features (z-scores): its linear predictor (centred at the training means) is the rad-score. */
  radScore: RadScore;
  /** Binary outcome (progression by the horizon) of the fitting rows, for the ROC and cut-off. */
  binary: BinaryAtHorizon;
  roc: RocResult;
  cutoff: number;
  warnings: string[];
}

/** Reader 1, reading 1: the values the models use (the others only serve the ICC). */
const ANALYSIS_READING = 0;

/**
 * `foldid` (1..nfolds per row) fixes the LASSO's CV folds; a bootstrap resample must pass one that keeps
 * all copies of a patient in the same fold, or CV would test on patients it also trained on.
 */
export function fitSignature(rows: SignatureRow[], names: string[], s: StudySettings, seed: number, foldid?: ArrayLike<number>): Signature {
  const n = rows.length;
  const p = names.length;
  if (n < s.nfolds) throw new InputError(`fitSignature: ${n} patients cannot be split into ${s.nfolds} folds`);
  const warnings: string[] = [];
  const values = new Float64Array(p * 4 * n);
  rows.forEach((r, i) => {
    if (r.readings.length !== 4) throw new InputError(`fitSignature: row ${i + 1} has ${r.readings.length} readings, need 4 (2 readers × 2 readings)`);
    for (let rd = 0; rd < 4; rd++) for (let f = 0; f < p; f++) values[(f * 4 + rd) * n + i] = r.readings[rd][f];
  });
  const icc = iccByFeature(values, { nPatients: n, form: s.iccForm, threshold: s.iccThreshold, names });
  const keptIdx: number[] = [];
  icc.keep.forEach((k, f) => k && keptIdx.push(f));
  if (keptIdx.length === 0) throw new InputError(`fitSignature: no feature has inter- and intra-observer ${s.iccForm} above ${s.iccThreshold}`);
  const kept = keptIdx.map((f) => names[f]);
  const raw = rows.map((r) => keptIdx.map((f) => r.readings[ANALYSIS_READING][f]));
  const scaler = fitScaler(raw, { outlierZ: s.outlierZ, names: kept });
  const scaled = applyScaler(scaler, raw);
  const time = rows.map((r) => r.time);
  const status = rows.map((r) => r.status);
  const cv = cvLasso(scaled.x, { time, status }, { family: "cox", nfolds: s.nfolds, seed, foldid, typeMeasure: "deviance", featureNames: kept });
  let index = s.lassoRule === "lambda.min" ? cv.indexMin : cv.index1se;
  let sel = cv.path.beta[index].map((b, j) => (b !== 0 ? j : -1)).filter((j) => j >= 0);
  if (sel.length === 0) {
    // An empty signature cannot be refitted; take the first λ on the path that selects a feature, and say so.
    const first = cv.path.beta.findIndex((b) => b.some((v) => v !== 0));
    if (first < 0) throw new InputError("fitSignature: LASSO selected no feature at any λ");
    warnings.push(`LASSO selected no feature at ${s.lassoRule} (λ = ${cv.lambda[index].toPrecision(3)}); used λ = ${cv.lambda[first].toPrecision(3)}, the largest λ with a non-zero coefficient`);
    index = first;
    sel = cv.path.beta[index].map((b, j) => (b !== 0 ? j : -1)).filter((j) => j >= 0);
  }
  const selected = sel.map((j) => kept[j]);
  const radScore = radScoreCox(scaled.x, { time, status }, selected, { names: kept, scaler });
  warnings.push(...radScore.warnings.map((w) => `rad-score Cox refit: ${w}`));
  const binary = binaryAtHorizon(time, status, s.horizon);
  const cut = radScoreCutoff(radScore.trainScore, binary);
  return {
    featureNames: names, icc, kept, scaler, replaced: scaled.replaced, cv, lambda: cv.lambda[index], selected,
    lassoCoef: sel.map((j) => cv.path.beta[index][j]), radScore, binary, roc: cut.roc, cutoff: cut.cutoff, warnings,
  };
}

/** Rad-scores of any patients: raw reader-1 values of the kept features, z-scored with the training scaler. */
export function scoreSignature(sig: Signature, rows: Pick<SignatureRow, "readings">[]): Float64Array {
  const keptIdx = sig.kept.map((name) => sig.featureNames.indexOf(name));
  return Float64Array.from(sig.radScore.score(rows.map((r) => keptIdx.map((f) => r.readings[ANALYSIS_READING][f]))));
}

/** High risk (1) = rad-score at or above the training cut-off (pROC's rule); the cut-off is never re-estimated. */
export const riskGroupOf = (score: ArrayLike<number>, cutoff: number): Uint8Array => Uint8Array.from(riskGroup(score, cutoff), (g) => (g === "high" ? 1 : 0));
