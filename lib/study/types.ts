/**
 * The study as data: what the pipeline reads (patients with their clinical predictors and the
 * radiomic features of four reader readings) and how it is configured. The twin cohort and a user's
 * own study (`radsurv reproduce --config`) both arrive in this shape.
 */
import type { IccForm } from "../stats/icc.js";

export interface StudyPatient {
  id: string;
  /** Progression-free survival time (months). */
  time: number;
  /** 1 = progression, 0 = censored. */
  status: 0 | 1;
  split: "training" | "validation";
  /** Candidate clinical predictors, coded numerically (binary factors 0/1). */
  clinical: Record<string, number>;
}

/** Radiomic features of every patient: readings in ICC_READINGS order (reader 1 reading 1, reader 1 reading 2, reader 2 reading 1, reader 2 reading 2). */
export interface StudyFeatures {
  names: string[];
  readings: Map<string, Float64Array[]>;
}

export interface StudySettings {
  seed: number;
  /** ICC form that decides reproducibility (default ICC2: two-way random, absolute agreement, single rater). */
  iccForm: IccForm;
  iccThreshold: number;
  /** |z| above which a value is "abnormal" and replaced by the training median. */
  outlierZ: number;
  nfolds: number;
  lassoRule: "lambda.min" | "lambda.1se";
  /** Horizon (months) for the binary outcome of the ROC/Youden cut-off, the logistic LASSO and decision curves. */
  horizon: number;
  /** Horizons (months) of the nomogram's survival axes and the calibration curves. */
  times: number[];
  /** Quantile groups of predicted survival in calibration. */
  calibrationGroups: number;
  /** Bootstrap resamples for calibration and validate. */
  bootstrap: number;
  /** Resamples of the whole pipeline (ICC → LASSO → cut-off → Cox) for the honest validation. */
  pipelineBootstrap: number;
  /** Univariate p-value below which a clinical factor enters the multivariable model. */
  screenP: number;
  /** Display names of the clinical predictors. */
  labels: Record<string, string>;
}

export const defaultStudySettings = (seed: number): StudySettings => ({
  seed,
  iccForm: "ICC2",
  iccThreshold: 0.75,
  outlierZ: 3,
  nfolds: 10,
  lassoRule: "lambda.min",
  horizon: 12,
  times: [12, 24],
  calibrationGroups: 3,
  bootstrap: 1000,
  pipelineBootstrap: 30,
  screenP: 0.05,
  labels: {},
});
