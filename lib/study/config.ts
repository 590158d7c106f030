/**
 * A study as a JSON-able configuration (`radsurv reproduce --config study.json`): where the clinical
 * table and the feature extraction manifest are, which columns hold time, status, split and each
 * predictor, how predictors are coded, and the analysis settings. The twin cohort is one such study.
 */
import type { ExtractSettings } from "../features/settings.js";
import type { StudySettings } from "./types.js";

/** How one predictor is made from a column: as is (numeric), or 0/1 by a level or a threshold. */
export interface PredictorSpec {
  column: string;
  label?: string;
  /** 1 when the value equals this level (text or number), else 0. */
  level?: string | number;
  /** 1 when the value is ≥ atLeast, else 0. */
  atLeast?: number;
  /** 1 when the value is ≤ atMost, else 0. */
  atMost?: number;
}

export interface StudyConfig {
  /** Study title for the report. */
  title: string;
  /** Clinical CSV (one row per patient), relative to the config file's folder. */
  clinical: string;
  columns: { id: string; time: string; status: string; split: string };
  /** Value of the status column meaning "event" (default 1). */
  eventValue?: number | string;
  /** Values of the split column for the two cohorts (default "training"/"validation"). */
  splitValues?: { training: string; validation: string };
  /** Candidate clinical predictors for the univariate screen, by name. */
  predictors: Record<string, PredictorSpec>;
  /** Extraction manifest (patient, imageDir, maskPath, reader, reading), relative to the config file's folder. */
  manifest: string;
  /** Feature extraction settings (profile, discretisation, …). */
  extract: ExtractSettings;
  /** Analysis settings (any subset; defaults fill the rest). */
  settings?: Partial<StudySettings>;
}

/** The twin cohort as a study (paths relative to the twin folder). */
export const twinStudyConfig: StudyConfig = {
  title: "Twin cohort of Fang et al. 2021 (synthetic)",
  clinical: "clinical.csv",
  columns: { id: "id", time: "pfsMonths", status: "progression", split: "split" },
  predictors: {
    age: { column: "age", label: "Age (per year)" },
    male: { column: "sex", level: "M", label: "Sex (male vs female)" },
    hbv: { column: "hbv", level: "yes", label: "HBV infection" },
    childPughB: { column: "childPugh", level: "B", label: "Child–Pugh class (B vs A)" },
    bclcC: { column: "bclc", level: "C", label: "BCLC stage (C vs B)" },
    afpHigh: { column: "afp", atLeast: 400, label: "AFP level (≥ 400 vs < 400 ng/mL)" },
    tumourSize: { column: "tumourSize", label: "Tumour size (per cm)" },
    multifocal: { column: "lesions", atLeast: 2, label: "Multiple lesions" },
    intervalShort: { column: "intervalDays", atMost: 14, label: "TACE–RFA interval (≤ 14 vs > 14 days)" },
  },
  manifest: "manifest.csv",
  extract: { profile: "ak396" },
};
