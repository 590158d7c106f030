/**
 * results.json: every reproduced number under a key named after the quantity
 * (`cindex.combined.validation`, `cox.multivariate.bclcC.hr`, …), each with its CI where one exists,
 * and the published-vs-reproduced comparison. Keys are documented in README.md.
 */
import { published, paperFeatures } from "./published.js";
import { COHORTS, type StudyResult } from "./analyse.js";
import type { HonestValidation } from "./honest.js";

export interface Estimate {
  value: number | null;
  lower?: number | null;
  upper?: number | null;
  p?: number | null;
}

export interface Comparison {
  key: string;
  label: string;
  paper: number;
  paperLower: number | null;
  paperUpper: number | null;
  ours: number | null;
  oursLower: number | null;
  oursUpper: number | null;
  difference: number | null;
  /** Whether ours falls in the paper's CI (null when the paper gives none). */
  inPaperCi: boolean | null;
  note?: string;
}

const fin = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

export function studyEstimates(r: StudyResult, honest: HonestValidation | null): Record<string, Estimate> {
  const out: Record<string, Estimate> = {};
  const put = (key: string, e: Estimate) => (out[key] = { value: fin(e.value), ...(e.lower !== undefined ? { lower: fin(e.lower), upper: fin(e.upper) } : {}), ...(e.p !== undefined ? { p: fin(e.p) } : {}) });
  for (const c of COHORTS) {
    put(`n.${c}`, { value: r.n[c] });
    put(`events.${c}`, { value: r.events[c] });
    for (const m of ["clinical", "radiomics", "combined"] as const) {
      const ci = r.models[m].cindex[c];
      put(`cindex.${m}.${c}`, { value: ci.c, lower: ci.lower, upper: ci.upper });
    }
    put(`auc.radiomics.${c}`, { value: r.roc[c].auc, lower: r.roc[c].lower, upper: r.roc[c].upper });
    for (const [g, label] of [["lowRisk", "low risk"], ["highRisk", "high risk"]] as const) {
      const s = r.km[c].strata.find((st) => st.group === label);
      put(`medianPfs.${g}.${c}`, { value: s?.median ?? null, lower: s?.medianLower ?? null, upper: s?.medianUpper ?? null });
      put(`n.${g}.${c}`, { value: s?.n ?? 0 });
    }
    put(`logrank.${c}.chisq`, { value: r.logRank[c].chisq, p: r.logRank[c].p });
    const cmp = r.comparison[c];
    put(`compare.combinedVsClinical.${c}.diff`, { value: cmp.diff, lower: cmp.diff - 1.959963984540054 * cmp.se, upper: cmp.diff + 1.959963984540054 * cmp.se, p: cmp.p });
    put(`compare.combinedVsClinical.${c}.p`, { value: cmp.p });
  }
  put("icc.kept.count", { value: r.signature.kept.length });
  put("icc.features.count", { value: r.signature.featureNames.length });
  put("features.selected.count", { value: r.signature.selected.length });
  put("features.selectedLogistic.count", { value: r.logistic.selected.length });
  put("features.selectedPaperOverlap.count", { value: r.signature.selected.filter((f) => paperFeatures.includes(f)).length });
  put("lasso.lambda", { value: r.signature.lambda });
  put("radscore.cutoff", { value: r.signature.cutoff });
  for (const row of r.coxTable.rows) {
    const u = row.univariate;
    put(`cox.univariate.${row.factor}.hr`, { value: u.hr, lower: u.lower, upper: u.upper, p: u.p });
    if (row.multivariate) {
      const m = row.multivariate;
      put(`cox.multivariate.${row.factor}.hr`, { value: m.hr, lower: m.lower, upper: m.upper, p: m.p });
    }
  }
  r.calibration.forEach((cal) => {
    for (const c of COHORTS) {
      const k = cal[c];
      const meanAbs = k.meanPredicted.reduce((acc, p, g) => acc + Math.abs((k.km[g] ?? NaN) - p), 0) / k.g;
      put(`calibration.t${cal.t}.${c}.meanAbsError`, { value: meanAbs });
    }
  });
  const v = r.validate;
  v.rows.forEach((row) => {
    if (row.index === "Dxy" || row.index === "Slope") put(`validate.${row.index === "Dxy" ? "dxy" : "slope"}.corrected`, { value: row.indexCorrected });
  });
  if (honest) {
    put("honest.cindex.apparent", { value: honest.cIndex.apparent });
    put("honest.cindex.optimism", { value: honest.cIndex.optimism });
    put("honest.cindex.corrected", { value: honest.cIndex.corrected });
    put("honest.slope.corrected", { value: honest.slope.corrected });
    put("honest.logHrRiskGroup.apparent", { value: honest.logHrRiskGroup.apparent });
    put("honest.logHrRiskGroup.corrected", { value: honest.logHrRiskGroup.corrected });
    put("honest.resamples", { value: honest.B - honest.failed });
  }
  return out;
}

export function publishedVsReproduced(estimates: Record<string, Estimate>): Comparison[] {
  return published.map((p) => {
    const e = estimates[p.key];
    const ours = e?.value ?? null;
    return {
      key: p.key,
      label: p.label,
      paper: p.value,
      paperLower: p.lower,
      paperUpper: p.upper,
      ours,
      oursLower: e?.lower ?? null,
      oursUpper: e?.upper ?? null,
      difference: ours === null ? null : ours - p.value,
      inPaperCi: ours === null || p.lower === null || p.upper === null ? null : ours >= p.lower && ours <= p.upper,
      ...(p.note ? { note: p.note } : {}),
    };
  });
}
