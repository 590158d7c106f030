/**
 * The paper's analysis, step by step, on a study in StudyPatient/StudyFeatures form: radiomics
 * signature on the training cohort (signature.ts), rad-score ROC and Youden cut-off, Kaplan–Meier and
 * log-rank by risk group, the univariate → multivariable Cox table, the clinical, radiomics and
 * combined models with C-indices and their comparison, the nomogram, calibration (apparent, bootstrap,
 * external), decision and clinical impact curves — in both cohorts, with nothing fitted on validation.
 */
import { InputError } from "../errors.js";
import { kaplanMeier, type KaplanMeierResult } from "../survival/kaplanMeier.js";
import { logRank, type LogRankResult } from "../survival/logRank.js";
import { coxph, type CoxphFit, type CoxphData } from "../survival/coxph.js";
import { coxTable, type CoxTableResult } from "../survival/coxTable.js";
import { concordance, type ConcordanceResult } from "../survival/concordance.js";
import { compareConcordance, type CompareConcordanceResult } from "../survival/compareConcordance.js";
import { roc, type RocResult } from "../stats/roc.js";
import { qnorm } from "../stats/distributions.js";
import { binaryAtHorizon } from "../stats/binaryOutcome.js";
import { applyScaler } from "../stats/preprocess.js";
import { cvLasso, type CvLassoResult } from "../penalized/cvLasso.js";
import { nomogram, type Nomogram } from "../evaluate/nomogram.js";
import { calibration, externalCalibration, predictSurvival, type CalibrationResult } from "../evaluate/calibration.js";
import { validate, type ValidateResult } from "../evaluate/validate.js";
import { decisionCurve, type DecisionCurveMulti } from "../evaluate/decisionCurve.js";
import { clinicalImpact, type ClinicalImpactResult } from "../evaluate/clinicalImpact.js";
import { fitSignature, scoreSignature, riskGroupOf, type Signature, type SignatureRow } from "./signature.js";
import type { StudyFeatures, StudyPatient, StudySettings } from "./types.js";

export type Cohort = "training" | "validation";
export const COHORTS: Cohort[] = ["training", "validation"];

export interface CIndex extends Pick<ConcordanceResult, "c" | "se"> {
  lower: number;
  upper: number;
}

export interface ModelResult {
  name: "clinical" | "radiomics" | "combined";
  terms: string[];
  fit: CoxphFit;
  cindex: Record<Cohort, CIndex>;
  /** Linear predictor per patient (training coefficients), by cohort. */
  lp: Record<Cohort, Float64Array>;
  /** Predicted probability of progression by the horizon, 1 − S(horizon | x), by cohort. */
  risk: Record<Cohort, Float64Array>;
}

export interface StudyResult {
  settings: StudySettings;
  n: Record<Cohort, number>;
  events: Record<Cohort, number>;
  signature: Signature;
  /** The paper's "LASSO logistic": binary outcome at the horizon, censored-before-horizon patients excluded. */
  logistic: { cv: CvLassoResult; selected: string[]; nUsed: number; nExcluded: number; excludedIds: string[]; overlap: string[] };
  radScore: Record<Cohort, Float64Array>;
  riskGroup: Record<Cohort, Uint8Array>;
  roc: Record<Cohort, RocResult>;
  km: Record<Cohort, KaplanMeierResult>;
  logRank: Record<Cohort, LogRankResult>;
  coxTable: CoxTableResult;
  clinicalTable: CoxTableResult;
  models: Record<ModelResult["name"], ModelResult>;
  comparison: Record<Cohort, CompareConcordanceResult>;
  nomogram: Nomogram;
  calibration: { t: number; training: CalibrationResult; validation: CalibrationResult }[];
  validate: ValidateResult;
  decision: Record<Cohort, DecisionCurveMulti>;
  clinicalImpact: Record<Cohort, ClinicalImpactResult>;
  ids: Record<Cohort, string[]>;
  warnings: string[];
}

export type StageListener = (stage: string) => void;

const z975 = qnorm(0.975);

export function cIndexOf(time: ArrayLike<number>, status: ArrayLike<number>, risk: ArrayLike<number>): CIndex {
  const c = concordance(time, status, risk);
  return { c: c.c, se: c.se, lower: c.c - z975 * c.se, upper: c.c + z975 * c.se };
}

/** x · coef for new rows (uncentred; concordance and ranking do not depend on centring); aliased terms (R's NA) count 0. */
export function linearPredictor(fit: CoxphFit, x: Record<string, ArrayLike<number>>): Float64Array {
  const n = x[fit.terms[0]].length;
  const coef = fit.coef.map((b, k) => (fit.aliased[k] ? 0 : b));
  return Float64Array.from({ length: n }, (_, i) => fit.terms.reduce((acc, t, k) => acc + coef[k] * x[t][i], 0));
}

export function analyseStudy(patients: StudyPatient[], features: StudyFeatures, s: StudySettings, onStage: StageListener = () => {}): StudyResult {
  const warnings: string[] = [];
  const ids = { training: [] as string[], validation: [] as string[] };
  const byId = new Map(patients.map((p) => [p.id, p]));
  for (const p of patients) {
    if (!features.readings.has(p.id)) throw new InputError(`patient ${p.id} has no radiomic features`);
    ids[p.split].push(p.id);
  }
  if (ids.training.length === 0 || ids.validation.length === 0) throw new InputError("the study needs patients in both the training and the validation cohort");
  const rowsOf = (c: Cohort): SignatureRow[] =>
    ids[c].map((id) => ({ time: byId.get(id)!.time, status: byId.get(id)!.status, readings: features.readings.get(id)! }));
  const rows = { training: rowsOf("training"), validation: rowsOf("validation") };
  const time = { training: rows.training.map((r) => r.time), validation: rows.validation.map((r) => r.time) };
  const status = { training: rows.training.map((r) => r.status), validation: rows.validation.map((r) => r.status) };

  onStage("ICC filter, scaling, LASSO-Cox (10-fold CV)");
  const signature = fitSignature(rows.training, features.names, s, s.seed);
  warnings.push(...signature.warnings);

  onStage("LASSO-logistic variant");
  const logistic = logisticVariant(signature, rows.training, ids.training, s);

  onStage("rad-score, ROC, cut-off, Kaplan–Meier");
  const radScore = { training: scoreSignature(signature, rows.training), validation: scoreSignature(signature, rows.validation) };
  const riskGroup = { training: riskGroupOf(radScore.training, signature.cutoff), validation: riskGroupOf(radScore.validation, signature.cutoff) };
  const rocOf = (c: Cohort): RocResult => {
    const b = binaryAtHorizon(time[c], status[c], s.horizon);
    return roc(b.y, b.rows.map((i) => radScore[c][i]), { direction: "<" });
  };
  const rocs = { training: signature.roc, validation: rocOf("validation") };
  const groupLabel = (g: Uint8Array) => Array.from(g, (v) => (v ? "high risk" : "low risk"));
  const km = {
    training: kaplanMeier(time.training, status.training, { group: groupLabel(riskGroup.training) }),
    validation: kaplanMeier(time.validation, status.validation, { group: groupLabel(riskGroup.validation) }),
  };
  const lr = {
    training: logRank(time.training, status.training, groupLabel(riskGroup.training)),
    validation: logRank(time.validation, status.validation, groupLabel(riskGroup.validation)),
  };

  onStage("Cox tables and models");
  const clinicalNames = Object.keys(patients[0].clinical);
  const clinicalX = (c: Cohort): Record<string, number[]> =>
    Object.fromEntries(clinicalNames.map((k) => [k, ids[c].map((id) => byId.get(id)!.clinical[k])]));
  const cx = { training: clinicalX("training"), validation: clinicalX("validation") };
  const labels = { ...s.labels, radiomics: s.labels.radiomics ?? "Radiomics signature (high vs low risk)" };
  const clinicalTable = coxTable({ time: time.training, status: status.training, candidates: cx.training, labels }, { screenP: s.screenP });
  const table = coxTable(
    { time: time.training, status: status.training, candidates: { ...cx.training, radiomics: Array.from(riskGroup.training) }, labels },
    { screenP: s.screenP },
  );
  let clinicalTerms = clinicalTable.retained;
  if (clinicalTerms.length === 0) {
    clinicalTerms = clinicalTable.selected.length ? clinicalTable.selected : [clinicalTable.rows.slice().sort((a, b) => a.univariate.p - b.univariate.p)[0].factor];
    warnings.push(`no clinical factor kept p < ${s.screenP} in the multivariable model; the clinical model uses ${clinicalTerms.join(", ")}`);
  }
  const design = (c: Cohort, terms: string[]): Record<string, ArrayLike<number>> =>
    Object.fromEntries(terms.map((t) => [t, t === "radiomics" ? riskGroup[c] : t === "radScore" ? radScore[c] : cx[c][t]]));
  const model = (name: ModelResult["name"], terms: string[]): ModelResult => {
    const fit = coxph({ time: time.training, status: status.training, x: design("training", terms) });
    warnings.push(...fit.warnings.map((w) => `${name} model: ${w}`));
    const lp = { training: linearPredictor(fit, design("training", terms)), validation: linearPredictor(fit, design("validation", terms)) };
    const risk = {
      training: Float64Array.from(predictSurvival(fit, dataOf("training", terms), s.horizon), (v) => 1 - v),
      validation: Float64Array.from(predictSurvival(fit, dataOf("validation", terms), s.horizon), (v) => 1 - v),
    };
    return {
      name, terms, fit, lp, risk,
      cindex: { training: cIndexOf(time.training, status.training, lp.training), validation: cIndexOf(time.validation, status.validation, lp.validation) },
    };
  };
  const dataOf = (c: Cohort, terms: string[]): CoxphData => ({ time: time[c], status: status[c], x: design(c, terms) });
  const models = {
    clinical: model("clinical", clinicalTerms),
    radiomics: model("radiomics", ["radScore"]),
    combined: model("combined", [...clinicalTerms, "radiomics"]),
  };
  const comparison = {
    training: compareConcordance(time.training, status.training, models.clinical.lp.training, models.combined.lp.training),
    validation: compareConcordance(time.validation, status.validation, models.clinical.lp.validation, models.combined.lp.validation),
  };

  onStage("nomogram, calibration, validation");
  const combined = models.combined;
  const nom = nomogram(combined.fit, { t: s.times, funLabel: s.times.map((t) => `${t}-month PFS probability`) });
  const cal = s.times.map((t, k) => ({
    t,
    training: calibration(combined.fit, dataOf("training", combined.terms), { t, groups: s.calibrationGroups, B: s.bootstrap, seed: s.seed + k }),
    validation: externalCalibration(combined.fit, dataOf("validation", combined.terms), { t, groups: s.calibrationGroups }),
  }));
  const val = validate(combined.fit, dataOf("training", combined.terms), { B: s.bootstrap, seed: s.seed });

  onStage("decision and clinical impact curves");
  const thresholds = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const decisionOf = (c: Cohort): DecisionCurveMulti =>
    decisionCurve({
      time: time[c], status: status[c], t: s.horizon, thresholds,
      risk: { Clinical: models.clinical.risk[c], Radiomics: models.radiomics.risk[c], Combined: models.combined.risk[c] },
    });
  const impactOf = (c: Cohort): ClinicalImpactResult =>
    clinicalImpact({ time: time[c], status: status[c], t: s.horizon, thresholds, risk: models.combined.risk[c] });

  const count = (c: Cohort) => status[c].reduce((a: number, b) => a + b, 0);
  return {
    settings: s,
    n: { training: ids.training.length, validation: ids.validation.length },
    events: { training: count("training"), validation: count("validation") },
    signature, logistic, radScore, riskGroup, roc: rocs, km, logRank: lr, coxTable: table, clinicalTable, models, comparison,
    nomogram: nom, calibration: cal, validate: val,
    decision: { training: decisionOf("training"), validation: decisionOf("validation") },
    clinicalImpact: { training: impactOf("training"), validation: impactOf("validation") },
    ids, warnings,
  };
}

/** The paper's "LASSO logistic": progression by the horizon as a 0/1 outcome on the same scaled features. */
function logisticVariant(sig: Signature, rows: SignatureRow[], ids: string[], s: StudySettings): StudyResult["logistic"] {
  const b = binaryAtHorizon(rows.map((r) => r.time), rows.map((r) => r.status), s.horizon, { ids });
  const keptIdx = sig.kept.map((name) => sig.featureNames.indexOf(name));
  const z = applyScaler(sig.scaler, b.rows.map((i) => keptIdx.map((f) => rows[i].readings[0][f]))).x;
  const cv = cvLasso(z, b.y, { family: "binomial", nfolds: s.nfolds, seed: s.seed, typeMeasure: "deviance", featureNames: sig.kept });
  const index = s.lassoRule === "lambda.min" ? cv.indexMin : cv.index1se;
  const selected = sig.kept.filter((_, j) => cv.path.beta[index][j] !== 0);
  return {
    cv, selected, nUsed: b.rows.length, nExcluded: b.nExcluded, excludedIds: b.excludedIds.map(String),
    overlap: selected.filter((f) => sig.selected.includes(f)),
  };
}
