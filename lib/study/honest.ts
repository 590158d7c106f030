/**
 * What the paper could not show: the optimism of the WHOLE pipeline. Each bootstrap resample of the
 * training cohort redoes the ICC filter, the scaling, the LASSO-Cox selection (with its own 10-fold
 * CV), the rad-score refit and its Youden cut-off, and the combined Cox model (same clinical terms);
 * the resample's model is then scored on the resample itself (apparent) and on the original training
 * cohort (test). optimism = mean(apparent − test); corrected = original apparent − optimism
 * (Harrell's bootstrap). The LASSO's CV folds inside a resample are assigned by patient, so no
 * patient's copies sit on both sides of a fold. Also: how often each feature is selected, and how much of the high- vs
 * low-risk hazard ratio comes from choosing the cut-off on the data it is tested on.
 */
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { createRng, foldIds } from "../random/rng.js";
import { coxph } from "../survival/coxph.js";
import { concordance } from "../survival/concordance.js";
import { fitSignature, scoreSignature, riskGroupOf, type SignatureRow } from "./signature.js";
import { linearPredictor, type StudyResult } from "./analyse.js";
import type { StudyFeatures, StudyPatient, StudySettings } from "./types.js";

export interface HonestValidation {
  B: number;
  /** Resamples whose pipeline could not be fitted (no reproducible feature, no LASSO selection, …). */
  failed: number;
  failures: string[];
  cIndex: { apparent: number; optimism: number; corrected: number };
  /** Calibration slope of the combined model's linear predictor (apparent is 1 by construction). */
  slope: { apparent: number; optimism: number; corrected: number };
  /** log HR of high vs low risk: apparent (cut-off chosen on the same data) vs tested on the original cohort. */
  logHrRiskGroup: { apparent: number; optimism: number; corrected: number };
  /** Share of successful resamples selecting each feature (features never selected are left out). */
  selectionFrequency: Record<string, number>;
  /** Number of features selected per resample. */
  nSelected: number[];
  /** Resamples where LASSO selected nothing at the chosen λ and the first λ with a feature was used (as in the main analysis). */
  emptySelections: number;
}

/** What every resample needs: the training rows, their clinical terms, and the settings (sent once to each worker). */
export interface HonestData {
  rows: SignatureRow[];
  names: string[];
  /** Clinical terms of the combined model (fixed across resamples) and their values per training row. */
  clinicalTerms: string[];
  clinical: number[][];
  settings: StudySettings;
}

/** One resample: its rows (indices into HonestData.rows) and LASSO folds by patient. */
export interface HonestTask {
  b: number;
  idx: number[];
  foldid: number[];
}

export type HonestOutcome =
  | { ok: true; cApparent: number; cTest: number; slope: number; hrApparent: number; hrTest: number; selected: string[]; empty: boolean }
  | { ok: false; message: string };

const logHr = (t: ArrayLike<number>, st: ArrayLike<number>, g: ArrayLike<number>): number => coxph({ time: t, status: st, x: { g } }).coef[0];

export function honestData(patients: StudyPatient[], features: StudyFeatures, result: StudyResult, s: StudySettings): HonestData {
  const byId = new Map(patients.map((p) => [p.id, p]));
  const train = result.ids.training.map((id) => byId.get(id)!);
  const clinicalTerms = result.models.combined.terms.filter((t) => t !== "radiomics");
  return {
    rows: train.map((p) => ({ time: p.time, status: p.status, readings: features.readings.get(p.id)! })),
    names: features.names,
    clinicalTerms,
    clinical: train.map((p) => clinicalTerms.map((t) => p.clinical[t])),
    settings: s,
  };
}

/** The resamples, drawn in order from one seeded stream (so serial and parallel runs are the same). */
export function honestTasks(n: number, s: StudySettings): HonestTask[] {
  const rng = createRng(s.seed ^ 0x5eed);
  return Array.from({ length: s.pipelineBootstrap }, (_, b) => {
    const idx = Array.from({ length: n }, () => rng.int(n));
    // Folds by patient: every copy of a resampled patient falls in the same CV fold.
    const distinct = [...new Set(idx)];
    const patientFold = new Map<number, number>();
    foldIds(distinct.length, Math.min(s.nfolds, distinct.length), createRng(s.seed + 1 + b)).forEach((f, k) => patientFold.set(distinct[k], f));
    return { b, idx, foldid: idx.map((i) => patientFold.get(i)!) };
  });
}

/** Refits the whole pipeline on one resample and scores it on the resample and on the original rows. */
export function honestResample(d: HonestData, task: HonestTask): HonestOutcome {
  const s = d.settings;
  const { idx } = task;
  const rows = d.rows;
  const sample = idx.map((i) => rows[i]);
  const time = rows.map((r) => r.time);
  const status = rows.map((r) => r.status);
  try {
    const sig = fitSignature(sample, d.names, s, s.seed + 1 + task.b, task.foldid);
    const groupB = riskGroupOf(scoreSignature(sig, sample), sig.cutoff);
    const groupO = riskGroupOf(scoreSignature(sig, rows), sig.cutoff);
    const xOf = (ids: ArrayLike<number>, g: Uint8Array): Record<string, ArrayLike<number>> => ({
      ...Object.fromEntries(d.clinicalTerms.map((t, k) => [t, Array.from(ids, (i) => d.clinical[i][k])])),
      radiomics: g,
    });
    const all = rows.map((_, i) => i);
    const tB = idx.map((i) => time[i]);
    const sB = idx.map((i) => status[i]);
    const fit = coxph({ time: tB, status: sB, x: xOf(idx, groupB) });
    const lpB = linearPredictor(fit, xOf(idx, groupB));
    const lpO = linearPredictor(fit, xOf(all, groupO));
    const cApparent = concordance(tB, sB, lpB).c;
    const cTest = concordance(time, status, lpO).c;
    const slope = coxph({ time, status, x: { lp: lpO } }).coef[0];
    if (![cApparent, cTest, slope].every(Number.isFinite)) throw new Error("a performance index is not finite");
    return {
      ok: true, cApparent, cTest, slope, hrApparent: logHr(tB, sB, groupB), hrTest: logHr(time, status, groupO), selected: sig.selected,
      empty: sig.warnings.some((w) => w.startsWith("LASSO selected no feature")),
    };
  } catch (e) {
    return { ok: false, message: `resample ${task.b + 1}: ${(e as Error).message}` };
  }
}

function summarise(d: HonestData, result: StudyResult, outcomes: HonestOutcome[]): HonestValidation {
  const good = outcomes.filter((o): o is Extract<HonestOutcome, { ok: true }> => o.ok);
  const mean = (v: number[]) => (v.length ? v.reduce((a, c) => a + c, 0) / v.length : NaN);
  const counts = new Map<string, number>();
  for (const o of good) for (const f of o.selected) counts.set(f, (counts.get(f) ?? 0) + 1);
  const optC = mean(good.map((o) => o.cApparent)) - mean(good.map((o) => o.cTest));
  const optSlope = 1 - mean(good.map((o) => o.slope));
  const optHr = mean(good.map((o) => o.hrApparent)) - mean(good.map((o) => o.hrTest));
  const cApparent = result.models.combined.cindex.training.c;
  const hrApparent = logHr(d.rows.map((r) => r.time), d.rows.map((r) => r.status), result.riskGroup.training);
  return {
    B: outcomes.length,
    failed: outcomes.length - good.length,
    failures: outcomes.filter((o): o is Extract<HonestOutcome, { ok: false }> => !o.ok).map((o) => o.message),
    cIndex: { apparent: cApparent, optimism: optC, corrected: cApparent - optC },
    slope: { apparent: 1, optimism: optSlope, corrected: 1 - optSlope },
    logHrRiskGroup: { apparent: hrApparent, optimism: optHr, corrected: hrApparent - optHr },
    selectionFrequency: Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, v / good.length])),
    nSelected: good.map((o) => o.selected.length),
    emptySelections: good.filter((o) => o.empty).length,
  };
}

/** The honest validation in this thread (notebooks, tests). */
export function honestValidation(
  patients: StudyPatient[],
  features: StudyFeatures,
  result: StudyResult,
  s: StudySettings,
  onResample: (done: number, total: number) => void = () => {},
): HonestValidation {
  const d = honestData(patients, features, result, s);
  const tasks = honestTasks(d.rows.length, s);
  const outcomes = tasks.map((t, k) => {
    const o = honestResample(d, t);
    onResample(k + 1, tasks.length);
    return o;
  });
  return summarise(d, result, outcomes);
}

/** The compiled worker next to this module (dist/study/honestWorker.js); from source (tsx) the .ts file. */
function workerFile(): string {
  const self = fileURLToPath(import.meta.url);
  return self.replace(/honest\.(ts|js)$/, "honestWorker.$1");
}

/** The same honest validation with the resamples spread over worker threads; identical results. */
export async function honestValidationParallel(
  patients: StudyPatient[],
  features: StudyFeatures,
  result: StudyResult,
  s: StudySettings,
  workers: number,
  onResample: (done: number, total: number) => void = () => {},
): Promise<HonestValidation> {
  const d = honestData(patients, features, result, s);
  const tasks = honestTasks(d.rows.length, s);
  if (workers <= 1 || tasks.length <= 1) return honestValidation(patients, features, result, s, onResample);
  const pool = new Piscina<HonestTask, HonestOutcome>({ filename: workerFile(), minThreads: workers, maxThreads: workers, workerData: d });
  let done = 0;
  try {
    const outcomes = await Promise.all(tasks.map((t) => pool.run(t).then((o) => (onResample(++done, tasks.length), o))));
    return summarise(d, result, outcomes);
  } finally {
    await pool.destroy();
  }
}
