/**
 * report.html's content: the study's figures and tables with the methods in plain words, the
 * published-vs-reproduced table, the honest validation and the reporting checklist.
 */
import type { ReportDocument, ReportSection } from "../report/html.js";
import type { Row } from "../table/frame.js";
import type { ExclusionFlow } from "../cohort/exclusionFlow.js";
import { COHORTS, type StudyResult } from "./analyse.js";
import type { HonestValidation } from "./honest.js";
import type { Comparison } from "./results.js";
import type { ChecklistItem } from "./checklist.js";
import type { NamedFigure } from "./figures.js";
import { paperFeatures } from "./published.js";

export interface ReportInput {
  title: string;
  result: StudyResult;
  flow: ExclusionFlow | null;
  baseline: Record<string, string>[] | null;
  honest: HonestValidation | null;
  comparisons: Comparison[];
  checklist: ChecklistItem[];
  figures: NamedFigure[];
  provenance: Record<string, unknown>;
  dropped: { id: string; reason: string }[];
}

const r3 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(3)));
const ciText = (v: number, lo: number, hi: number) => `${v.toFixed(3)} (${lo.toFixed(3)}–${hi.toFixed(3)})`;

export function studyReport(x: ReportInput): ReportDocument {
  const { result: r } = x;
  const fig = (name: string) => {
    const f = x.figures.find((g) => g.name === name);
    return f ? [{ kind: "figure" as const, name: f.name, caption: f.caption, figure: f.figure }] : [];
  };
  const sections: ReportSection[] = [];
  sections.push({
    id: "summary",
    title: "Published vs reproduced",
    blocks: [
      { kind: "text", text: `This report reproduces Fang et al. (Front Mol Biosci 2021) step by step on ${x.title}. Each published number stands beside ours; "in paper's CI" says whether ours falls inside the interval the paper printed. The twin cohort is synthetic: its generating model has the paper's effects, so agreement is expected in direction and size, not to the digit — and differences are what a second cohort of 113 patients would show.` },
      {
        kind: "table",
        caption: "Published vs reproduced",
        rows: x.comparisons.map((c) => ({
          quantity: c.label,
          paper: c.paperLower !== null ? `${c.paper} (${c.paperLower}–${c.paperUpper})` : String(c.paper),
          ours: c.ours === null ? "—" : c.oursLower != null && c.oursUpper != null ? `${r3(c.ours)} (${r3(c.oursLower)}–${r3(c.oursUpper)})` : String(r3(c.ours)),
          difference: r3(c.difference),
          "in paper's CI": c.inPaperCi === null ? "" : c.inPaperCi ? "yes" : "no",
          note: c.note ?? "",
        })),
      },
    ],
  });
  sections.push({
    id: "cohort",
    title: "1 · Cohort, split and baseline characteristics",
    blocks: [
      { kind: "text", text: `Criteria I–VI were applied in order; every excluded patient is named in results.json. The analysed patients were split at random (stratified by progression) into ${r.n.training} training and ${r.n.validation} validation patients before any feature was examined.${x.dropped.length ? ` ${x.dropped.length} patients could not be analysed: ${x.dropped.map((d) => `${d.id} (${d.reason})`).join("; ")}.` : ""}` },
      ...fig("flow"),
      ...(x.baseline ? [{ kind: "table" as const, caption: "Table 1: baseline characteristics by cohort", rows: x.baseline as Row[] }] : []),
    ],
  });
  const sig = r.signature;
  sections.push({
    id: "features",
    title: "2–3 · Radiomic features and their reproducibility",
    blocks: [
      { kind: "text", text: `${sig.featureNames.length} features (GE A.K. naming: histogram, form factor, GLCM, run-length, GLSZM) were extracted from each patient's contrast-enhanced T1 series with each of four masks (2 readers × 2 readings). A feature was kept when both the inter-observer (reader 1 vs reader 2) and intra-observer (reader 1, reading 1 vs 2) ${r.settings.iccForm} exceeded ${r.settings.iccThreshold}: ${sig.kept.length} features. They were z-scored with training means and SDs; values with |z| > ${r.settings.outlierZ} or missing were replaced by the training median (${sig.replaced.reduce((a, b) => a + b, 0)} values).` },
    ],
  });
  sections.push({
    id: "lasso",
    title: "4 · LASSO selection and rad-score",
    blocks: [
      { kind: "text", text: `LASSO-Cox with 10-fold cross-validation on the training cohort selected ${sig.selected.length} features at ${r.settings.lassoRule} (λ = ${sig.lambda.toPrecision(3)}). The rad-score is the linear predictor of a Cox model refitted on them. The paper's "LASSO logistic" variant (progression by ${r.settings.horizon} months as a 0/1 outcome; ${r.logistic.nExcluded} patients censored earlier excluded) selected ${r.logistic.selected.length} features, ${r.logistic.overlap.length} of them shared with LASSO-Cox. ${sig.selected.filter((f) => paperFeatures.includes(f)).length} of the paper's eight feature names were selected.` },
      ...fig("lasso-path"),
      ...fig("lasso-cv"),
      {
        kind: "table",
        caption: "Rad-score: selected features and Cox coefficients (per SD)",
        rows: sig.radScore.terms.map((t, k) => ({ feature: t.feature, "LASSO coefficient": r3(sig.lassoCoef[k]), "Cox coefficient": r3(t.coef), HR: r3(t.hr), p: r3(t.p), "in paper's eight": paperFeatures.includes(t.feature) ? "yes" : "" })),
      },
      { kind: "table", caption: "LASSO-Cox vs LASSO-logistic selection", rows: [{ method: "LASSO-Cox", features: sig.selected.join(", ") }, { method: `LASSO-logistic (${r.settings.horizon} months)`, features: r.logistic.selected.join(", ") || "none" }] },
    ],
  });
  sections.push({
    id: "riskgroups",
    title: "5 · ROC, cut-off and Kaplan–Meier by risk group",
    blocks: [
      { kind: "text", text: `The Youden-optimal cut-off of the rad-score against progression by ${r.settings.horizon} months in training is ${sig.cutoff.toPrecision(4)}; it is applied unchanged to validation. Choosing it on the training data makes the training log-rank test optimistic (see the honest validation).` },
      ...fig("roc"),
      { kind: "table", caption: "Rad-score AUC", rows: COHORTS.map((c) => ({ cohort: c, AUC: ciText(r.roc[c].auc, r.roc[c].lower, r.roc[c].upper), cases: r.roc[c].nCases, controls: r.roc[c].nControls })) },
      ...fig("km-training"),
      ...fig("km-validation"),
      {
        kind: "table",
        caption: "Median PFS (months) by risk group and log-rank test",
        rows: COHORTS.flatMap((c) => r.km[c].strata.map((s) => ({ cohort: c, group: String(s.group), n: s.n, events: s.events, median: r3(s.median), lower: r3(s.medianLower), upper: r3(s.medianUpper), "log-rank χ²": r3(r.logRank[c].chisq), p: r3(r.logRank[c].p) }))),
      },
    ],
  });
  sections.push({
    id: "cox",
    title: "6 · Cox regression and C-indices",
    blocks: [
      { kind: "text", text: `Clinical factors with univariate p < ${r.settings.screenP} entered a multivariable Cox model together with the radiomics signature (high vs low risk). The clinical model keeps the clinical factors significant in the multivariable model (${r.models.clinical.terms.join(", ")}); the combined model adds the signature.` },
      { kind: "table", caption: "Univariate and multivariate Cox regression (training)", rows: r.coxTable.formatted as unknown as Row[] },
      ...fig("forest"),
      {
        kind: "table",
        caption: "Harrell's C-index (95% CI)",
        rows: (["clinical", "radiomics", "combined"] as const).map((m) => ({ model: m, terms: r.models[m].terms.join(" + "), training: ciText(r.models[m].cindex.training.c, r.models[m].cindex.training.lower, r.models[m].cindex.training.upper), validation: ciText(r.models[m].cindex.validation.c, r.models[m].cindex.validation.lower, r.models[m].cindex.validation.upper) })),
      },
      { kind: "table", caption: "Combined vs clinical model (correlated C-indices)", rows: COHORTS.map((c) => ({ cohort: c, difference: r3(r.comparison[c].diff), se: r3(r.comparison[c].se), z: r3(r.comparison[c].z), p: r3(r.comparison[c].p) })) },
    ],
  });
  sections.push({
    id: "nomogram",
    title: "7 · Nomogram and calibration",
    blocks: [
      { kind: "text", text: "The nomogram maps each predictor of the combined model to points (the predictor with the widest linear-predictor range spans 0–100), and total points to predicted PFS probabilities. nomogram.html is the interactive calculator." },
      ...fig("nomogram"),
      ...r.calibration.flatMap((c) => fig(`calibration-${c.t}`)),
      { kind: "table", caption: `Bootstrap validation of the combined model (B = ${r.validate.B})`, rows: r.validate.rows.map((v) => ({ index: v.index, original: r3(v.indexOrig), training: r3(v.training), test: r3(v.test), optimism: r3(v.optimism), corrected: r3(v.indexCorrected) })) },
    ],
  });
  sections.push({
    id: "decision",
    title: "8 · Decision curves and clinical impact",
    blocks: [
      { kind: "text", text: `Net benefit at ${r.settings.horizon} months of the clinical model, the radiomics signature and the combined model, against treating all or none; risks are 1 − S(${r.settings.horizon} | x) from each Cox model, and observed risk above a threshold is estimated by Kaplan–Meier. The clinical impact curve counts, per 1,000, the patients classified high risk and those among them who progress by the horizon.` },
      ...COHORTS.flatMap((c) => [...fig(`dca-${c}`), ...fig(`impact-${c}`)]),
    ],
  });
  if (x.honest) {
    const h = x.honest;
    sections.push({
      id: "honest",
      title: "Honest validation of the whole pipeline",
      blocks: [
        { kind: "text", text: `Each of ${h.B} bootstrap resamples of the training cohort redid the ICC filter, scaling, LASSO-Cox selection with its own cross-validation, the rad-score refit and cut-off, and the combined Cox model; the resample's model was scored on itself (apparent) and on the original training cohort (test); the LASSO's folds were assigned by patient so that no patient's copies sat on both sides of a fold. ${h.failed} resamples could not be fitted; in ${h.emptySelections} LASSO selected nothing at ${r.settings.lassoRule} and the first λ with a feature was used, as in the main analysis.` },
        {
          kind: "table",
          caption: "Apparent vs optimism-corrected performance",
          rows: [
            { index: "C-index, combined model", apparent: r3(h.cIndex.apparent), optimism: r3(h.cIndex.optimism), corrected: r3(h.cIndex.corrected) },
            { index: "Calibration slope", apparent: r3(h.slope.apparent), optimism: r3(h.slope.optimism), corrected: r3(h.slope.corrected) },
            { index: "log HR, high vs low risk (cut-off effect)", apparent: r3(h.logHrRiskGroup.apparent), optimism: r3(h.logHrRiskGroup.optimism), corrected: r3(h.logHrRiskGroup.corrected) },
          ],
        },
        {
          kind: "table",
          caption: "Selection frequency across resamples (top features and the paper's eight)",
          rows: [...new Set([...Object.keys(h.selectionFrequency).slice(0, 12), ...paperFeatures])].map((f) => ({ feature: f, frequency: r3(h.selectionFrequency[f] ?? 0), "paper's eight": paperFeatures.includes(f) ? "yes" : "" })),
        },
      ],
    });
  }
  sections.push({
    id: "checklist",
    title: "Reporting checklist (TRIPOD+AI / CLEAR)",
    blocks: [{ kind: "table", caption: "Filled from the pipeline's provenance", rows: x.checklist.map((c) => ({ item: c.item, source: c.source, met: c.met ? "met" : "not met", evidence: c.evidence })) }],
  });
  sections.push({
    id: "methods",
    title: "Methods in plain words",
    blocks: [
      {
        kind: "list",
        items: [
          "Kaplan–Meier with Greenwood variance and log-scale CIs; medians by R's rule; log-rank test (survival::survfit, survdiff).",
          "Cox proportional hazards by Newton–Raphson with Efron ties (survival::coxph); Harrell's C with its infinitesimal-jackknife SE; correlated C-indices compared with their joint variance (survival::concordance).",
          "ICC: Shrout–Fleiss forms as psych::ICC; features kept when inter- and intra-observer ICC exceed the threshold.",
          "LASSO: coordinate descent as glmnet (Cox partial likelihood with Breslow ties; 10-fold CV of the partial-likelihood deviance).",
          "ROC with DeLong CI and the Youden cut-off as pROC.",
          "Nomogram, calibration (KM method, bootstrap bias correction) and validate as rms; decision curves as dcurves; time-dependent AUC as riskRegression::Score.",
          "Radiomic features follow the IBSI reference manual (all 482 digital-phantom and all CT-phantom A–E reference values are reproduced in the test suite); A.K. names follow ITK's texture filters (lib/features/README.md).",
          "Every statistic is tested against R reference values stored with the exact R call (test/fixtures).",
        ],
      },
    ],
  });
  sections.push({ id: "provenance", title: "Provenance", blocks: [{ kind: "table", rows: Object.entries(x.provenance).map(([k, v]) => ({ field: k, value: typeof v === "string" ? v : JSON.stringify(v) })) }] });
  return { title: "radsurv — reproduction of Fang et al. 2021", subtitle: x.title, sections, footer: "Generated by radsurv reproduce. Synthetic data: no patient information." };
}
