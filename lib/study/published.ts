/**
 * The paper's published numbers (shared/paper.md, "Published results" and the multivariate Cox table),
 * keyed like results.json, so the report can set ours beside them. Only numbers printed in the paper
 * are here; where the paper gives no CI, lower/upper are null.
 */
export interface PublishedValue {
  key: string;
  label: string;
  value: number;
  lower: number | null;
  upper: number | null;
  note?: string;
}

export const published: PublishedValue[] = [
  { key: "features.selected.count", label: "Features selected by LASSO", value: 8, lower: null, upper: null },
  { key: "radscore.cutoff", label: "Rad-score cut-off (Youden, training)", value: 1.62, lower: null, upper: null, note: "scale depends on the features and their coding" },
  { key: "cindex.radiomics.training", label: "C-index, radiomics signature, training", value: 0.646, lower: 0.582, upper: 0.71 },
  { key: "cindex.radiomics.validation", label: "C-index, radiomics signature, validation", value: 0.669, lower: 0.572, upper: 0.766 },
  { key: "auc.radiomics.training", label: "AUC, radiomics signature, training", value: 0.83, lower: null, upper: null },
  { key: "auc.radiomics.validation", label: "AUC, radiomics signature, validation", value: 0.81, lower: null, upper: null },
  { key: "medianPfs.lowRisk.training", label: "Median PFS, low risk, training (months)", value: 30.4, lower: 19.41, upper: 41.38 },
  { key: "medianPfs.highRisk.training", label: "Median PFS, high risk, training (months)", value: 8.1, lower: 4.41, upper: 11.79 },
  { key: "logrank.training.chisq", label: "Log-rank χ², low vs high risk, training", value: 16.58, lower: null, upper: null, note: "printed as \"z = 16.58\"" },
  { key: "cindex.combined.training", label: "C-index, combined model, training", value: 0.722, lower: 0.657, upper: 0.786 },
  { key: "cindex.combined.validation", label: "C-index, combined model, validation", value: 0.821, lower: 0.726, upper: 0.915 },
  { key: "cindex.clinical.training", label: "C-index, clinical model, training", value: 0.669, lower: null, upper: null, note: "paper's CI (0.657–0.786) equals the combined model's: a probable typo, not used" },
  { key: "cindex.clinical.validation", label: "C-index, clinical model, validation", value: 0.76, lower: 0.667, upper: 0.851 },
  { key: "compare.combinedVsClinical.validation.p", label: "Combined vs clinical C-index, validation, p", value: 0.004, lower: null, upper: null },
  { key: "cox.multivariate.bclcC.hr", label: "Multivariate HR, BCLC stage C vs B", value: 2.52, lower: 1.42, upper: 4.47 },
  { key: "cox.multivariate.afpHigh.hr", label: "Multivariate HR, AFP high vs low", value: 2.01, lower: 1.01, upper: 3.99 },
  { key: "cox.multivariate.intervalShort.hr", label: "Multivariate HR, TACE–RFA interval ≤ 14 days", value: 0.48, lower: 0.26, upper: 0.87 },
  { key: "cox.multivariate.radiomics.hr", label: "Multivariate HR, radiomics signature high vs low", value: 2.98, lower: 1.6, upper: 5.51 },
];

/** The paper's eight selected features (A.K. names). */
export const paperFeatures = [
  "Variance",
  "ClusterShade_angle0_offset7",
  "Correlation_AllDirection_offset4",
  "Correlation_angle90_offset7",
  "HaralickCorrelation_AllDirection_offset7_SD",
  "GLCMEntropy_angle90_offset4",
  "InverseDifferenceMoment_AllDirection_offset1_SD",
  "LongRunEmphasis_angle90_offset4",
];
