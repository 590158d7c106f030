/**
 * Every figure of the pipeline, built from the study's results by the plot builders (lib/plot).
 * Names are file names (figures/<name>.svg|png) and anchors in the report.
 */
import type { PlotlyFigure } from "../plot/figure.js";
import { flowDiagram } from "../plot/flowDiagram.js";
import { kmPlot } from "../plot/kmPlot.js";
import { lassoPathPlot, cvLassoPlot } from "../plot/lassoPlot.js";
import { rocPlot } from "../plot/rocPlot.js";
import { forestPlot } from "../plot/forestPlot.js";
import { nomogramPlot } from "../plot/nomogramPlot.js";
import { calibrationPlot } from "../plot/calibrationPlot.js";
import { decisionCurvePlot } from "../plot/decisionCurvePlot.js";
import { clinicalImpactPlot } from "../plot/clinicalImpactPlot.js";
import type { ExclusionFlow } from "../cohort/exclusionFlow.js";
import { COHORTS, type StudyResult } from "./analyse.js";

export interface NamedFigure {
  name: string;
  caption: string;
  figure: PlotlyFigure;
}

const title = (c: string) => c[0].toUpperCase() + c.slice(1);

export function studyFigures(r: StudyResult, flow: ExclusionFlow | null): NamedFigure[] {
  const figs: NamedFigure[] = [];
  if (flow) {
    figs.push({
      name: "flow",
      caption: "Patient flow: exclusion criteria I–VI and the random split.",
      figure: flowDiagram(flow, { split: { "Training cohort": r.n.training, "Validation cohort": r.n.validation } }),
    });
  }
  const sig = r.signature;
  figs.push({
    name: "lasso-path",
    caption: `LASSO-Cox coefficient paths against log λ (${sig.kept.length} ICC-filtered features); dashed: the chosen λ.`,
    figure: lassoPathPlot(sig.cv.path, { selectedLambda: sig.lambda, title: "LASSO-Cox coefficient paths" }),
  });
  figs.push({ name: "lasso-cv", caption: "10-fold cross-validated partial-likelihood deviance with ±1 SE; λ.min and λ.1se.", figure: cvLassoPlot(sig.cv, { title: "LASSO-Cox 10-fold cross-validation" }) });
  figs.push({
    name: "roc",
    caption: `ROC of the rad-score for progression by ${r.settings.horizon} months; the Youden cut-off is chosen in training.`,
    figure: rocPlot(COHORTS.map((c) => ({ name: title(c), roc: r.roc[c] })), { title: "Rad-score ROC", youden: true }),
  });
  for (const c of COHORTS) {
    figs.push({
      name: `km-${c}`,
      caption: `Progression-free survival by rad-score risk group, ${c} cohort (cut-off from training).`,
      figure: kmPlot(r.km[c], { pValue: { p: r.logRank[c].p, method: "Log-rank" }, xlab: "Months", ylab: "Progression-free survival", breaks: 12, title: `${title(c)} cohort` }),
    });
  }
  figs.push({ name: "forest", caption: "Multivariable Cox model (training cohort).", figure: forestPlot(r.coxTable, { title: "Multivariable Cox regression (training)" }) });
  figs.push({ name: "nomogram", caption: "Nomogram of the combined model.", figure: nomogramPlot(r.nomogram, { labels: { ...r.settings.labels, radiomics: "Radiomics signature (high risk)" } }) });
  for (const cal of r.calibration) {
    figs.push({
      name: `calibration-${cal.t}`,
      caption: `Calibration at ${cal.t} months: training (apparent, with bootstrap bias correction) and validation (external).`,
      figure: calibrationPlot([cal.training, cal.validation], { title: `Calibration at ${cal.t} months`, names: ["Training", "Validation"] }),
    });
  }
  for (const c of COHORTS) {
    figs.push({ name: `dca-${c}`, caption: `Decision curves at ${r.settings.horizon} months, ${c} cohort.`, figure: decisionCurvePlot(r.decision[c], { title: `Decision curves, ${c}` }) });
    figs.push({ name: `impact-${c}`, caption: `Clinical impact curve of the combined model, ${c} cohort (per 1,000).`, figure: clinicalImpactPlot(r.clinicalImpact[c], { title: `Clinical impact, ${c}` }) });
  }
  return figs;
}
