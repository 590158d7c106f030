/**
 * A TRIPOD+AI / CLEAR-style checklist filled from the pipeline's own provenance: each item is marked
 * met or not met with the evidence that decided it, so a reviewer can check the claim.
 */
import type { ExclusionFlow } from "../cohort/exclusionFlow.js";
import type { StudyResult } from "./analyse.js";
import type { HonestValidation } from "./honest.js";

export interface ChecklistItem {
  item: string;
  source: string;
  met: boolean;
  evidence: string;
}

export function reportingChecklist(
  r: StudyResult,
  flow: ExclusionFlow | null,
  honest: HonestValidation | null,
  provenance: { gitCommit: string | null; dropped: number },
): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const add = (item: string, source: string, met: boolean, evidence: string) => items.push({ item, source, met, evidence });
  if (flow) {
    const excluded = flow.steps.reduce((a, s) => a + s.nExcluded, 0);
    const adds = flow.nScreened - excluded === flow.nIncluded && flow.nIncluded === r.n.training + r.n.validation + provenance.dropped;
    add("Participant flow: counts add up", "TRIPOD+AI 20a", adds,
      `${flow.nScreened} screened − ${excluded} excluded (${flow.steps.map((s) => `${s.id}: ${s.nExcluded}`).join(", ")}) = ${flow.nIncluded}; analysed ${r.n.training} + ${r.n.validation}` + (provenance.dropped ? `; ${provenance.dropped} dropped for missing data` : ""));
  }
  const candidates = r.signature.kept.length + Object.keys(r.coxTable.univariateFits).length;
  const epv = r.events.training / candidates;
  add("Events per candidate predictor ≥ 10", "TRIPOD+AI 9 / CLEAR", epv >= 10,
    `${r.events.training} training events for ${r.signature.kept.length} reproducible features + ${Object.keys(r.coxTable.univariateFits).length} candidate factors: ${epv.toFixed(2)} events per candidate (penalised selection mitigates, does not cure, overfitting)`);
  const replaced = r.signature.replaced.reduce((a, b) => a + b, 0);
  add("Missing data and abnormal values: handling stated and counted", "TRIPOD+AI 9 / CLEAR", true,
    `${provenance.dropped} patients dropped (named in results.json); ${replaced} feature values (|z| > ${r.settings.outlierZ} or missing) replaced by the training median`);
  add("Feature reproducibility assessed (multiple readers)", "CLEAR 20", true,
    `2 readers × 2 readings; ${r.settings.iccForm} > ${r.settings.iccThreshold} for inter- and intra-observer agreement; ${r.signature.kept.length} of ${r.signature.featureNames.length} features kept`);
  add("Feature selection and all fitting on training data only", "CLEAR 32 / TRIPOD+AI 12", true,
    "ICC filter, scaler, LASSO, rad-score refit, cut-off and Cox models are fitted on the training cohort; the validation cohort is only scored");
  add("Risk-group cut-off pre-specified", "TRIPOD+AI 12e", false,
    `Youden-optimal cut-off ${r.signature.cutoff.toPrecision(4)} chosen on the training data it is then tested on (its optimism is quantified in the honest validation)`);
  const s0 = r.nomogram.survival.map((a) => `t = ${a.t}`).join(", ");
  add("Full model specification incl. baseline survival", "TRIPOD+AI 22", true,
    `combined-model coefficients (${r.models.combined.terms.join(", ")}) and baseline survival S0(t) at ${s0} in results.json and the nomogram`);
  const ci = r.models.combined.cindex;
  add("Discrimination with confidence intervals, both cohorts", "TRIPOD+AI 23a", true,
    `C-index ${ci.training.c.toFixed(3)} (${ci.training.lower.toFixed(3)}–${ci.training.upper.toFixed(3)}) training, ${ci.validation.c.toFixed(3)} (${ci.validation.lower.toFixed(3)}–${ci.validation.upper.toFixed(3)}) validation`);
  add("Calibration assessed", "TRIPOD+AI 23a", r.calibration.length > 0,
    `calibration at ${r.calibration.map((c) => c.t).join(" and ")} months: training apparent + bootstrap (B = ${r.settings.bootstrap}), validation external`);
  add("Internal validation of the whole modelling process", "TRIPOD+AI 12f", honest !== null && honest.B - honest.failed > 0,
    honest ? `bootstrap of the whole pipeline (B = ${honest.B}, ${honest.failed} failed): optimism-corrected C ${honest.cIndex.corrected.toFixed(3)} vs apparent ${honest.cIndex.apparent.toFixed(3)}` : "not run");
  add("Code availability", "TRIPOD+AI 18f", provenance.gitCommit !== null, provenance.gitCommit ? `radsurv at git commit ${provenance.gitCommit}` : "not in a git checkout");
  add("Data availability", "TRIPOD+AI 18e", true, "synthetic twin cohort, regenerated from the seed by `radsurv twin` (the original patient data are not public)");
  return items;
}
