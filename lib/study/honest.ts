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

export function honestValidation(
  patients: StudyPatient[],
  features: StudyFeatures,
  result: StudyResult,
  s: StudySettings,
  onResample: (done: number, total: number) => void = () => {},
): HonestValidation {
  const byId = new Map(patients.map((p) => [p.id, p]));
  const train = result.ids.training.map((id) => byId.get(id)!);
  const rows: SignatureRow[] = train.map((p) => ({ time: p.time, status: p.status, readings: features.readings.get(p.id)! }));
  const clinicalTerms = result.models.combined.terms.filter((t) => t !== "radiomics");
  const time = rows.map((r) => r.time);
  const status = rows.map((r) => r.status);
  const rng = createRng(s.seed ^ 0x5eed);
  const n = rows.length;
  const app: number[] = [], test: number[] = [], slopes: number[] = [], hrApp: number[] = [], hrTest: number[] = [];
  const counts = new Map<string, number>();
  const nSelected: number[] = [];
  const failures: string[] = [];
  let emptySelections = 0;
  const logHr = (t: number[], st: number[], g: ArrayLike<number>): number => {
    const f = coxph({ time: t, status: st, x: { g } });
    return f.coef[0];
  };
  for (let b = 0; b < s.pipelineBootstrap; b++) {
    const idx = Array.from({ length: n }, () => rng.int(n));
    const sample = idx.map((i) => rows[i]);
    // Folds by patient: every copy of a resampled patient falls in the same CV fold.
    const distinct = [...new Set(idx)];
    const patientFold = new Map<number, number>();
    foldIds(distinct.length, Math.min(s.nfolds, distinct.length), createRng(s.seed + 1 + b)).forEach((f, k) => patientFold.set(distinct[k], f));
    const foldid = idx.map((i) => patientFold.get(i)!);
    try {
      const sig = fitSignature(sample, features.names, s, s.seed + 1 + b, foldid);
      const scoreB = scoreSignature(sig, sample);
      const scoreO = scoreSignature(sig, rows);
      const groupB = riskGroupOf(scoreB, sig.cutoff);
      const groupO = riskGroupOf(scoreO, sig.cutoff);
      const xOf = (ids: number[], g: Uint8Array): Record<string, ArrayLike<number>> => ({
        ...Object.fromEntries(clinicalTerms.map((t) => [t, ids.map((i) => train[i].clinical[t])])),
        radiomics: g,
      });
      const tB = idx.map((i) => time[i]);
      const sB = idx.map((i) => status[i]);
      const fit = coxph({ time: tB, status: sB, x: xOf(idx, groupB) });
      const lpB = linearPredictor(fit, xOf(idx, groupB));
      const lpO = linearPredictor(fit, xOf(rows.map((_, i) => i), groupO));
      const cB = concordance(tB, sB, lpB).c;
      const cO = concordance(time, status, lpO).c;
      const slope = coxph({ time, status, x: { lp: lpO } }).coef[0];
      if (![cB, cO, slope].every(Number.isFinite)) throw new Error("non-finite index");
      app.push(cB);
      test.push(cO);
      slopes.push(slope);
      hrApp.push(logHr(tB, sB, groupB));
      hrTest.push(logHr(time, status, groupO));
      nSelected.push(sig.selected.length);
      if (sig.warnings.some((w) => w.startsWith("LASSO selected no feature"))) emptySelections++;
      for (const f of sig.selected) counts.set(f, (counts.get(f) ?? 0) + 1);
    } catch (e) {
      failures.push(`resample ${b + 1}: ${(e as Error).message}`);
    }
    onResample(b + 1, s.pipelineBootstrap);
  }
  const ok = app.length;
  const mean = (v: number[]) => (v.length ? v.reduce((a, c) => a + c, 0) / v.length : NaN);
  const optC = mean(app) - mean(test);
  const optSlope = 1 - mean(slopes);
  const optHr = mean(hrApp) - mean(hrTest);
  const cApparent = result.models.combined.cindex.training.c;
  const hrApparent = logHr(time, status, result.riskGroup.training);
  const selectionFrequency = Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, v / ok]));
  return {
    B: s.pipelineBootstrap,
    failed: failures.length,
    failures,
    cIndex: { apparent: cApparent, optimism: optC, corrected: cApparent - optC },
    slope: { apparent: 1, optimism: optSlope, corrected: 1 - optSlope },
    logHrRiskGroup: { apparent: hrApparent, optimism: optHr, corrected: hrApparent - optHr },
    selectionFrequency,
    nSelected,
    emptySelections,
  };
}
