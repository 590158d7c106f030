/**
 * Clinical impact curve (Kerr et al.; rmda::plot_clinical_impact) for a time-to-event outcome.
 *
 * rmda defines the curve for a binary outcome only: out of `population` patients, how many a model
 * classifies high risk at threshold pt, and how many of those have the event. With censored follow-up
 * the second count cannot be read off the data, so it is estimated the way the survival decision curve
 * estimates true positives (dcurves / stdca):
 *
 *   nHighRisk          = population · p_high
 *   nHighRiskWithEvent = population · p_high · (1 − S_high(t))   (= population · TP/n of the decision curve)
 *
 * where p_high is the fraction of patients with predicted risk >= pt (> pt with `strict`) and S_high(t)
 * the Kaplan–Meier survival at t of those patients alone (carried forward past their last follow-up,
 * flagged in `kmExtended`). With no patient above pt both counts are 0.
 */
import { check } from "../errors.js";
import { highRiskCurve, outcomeAtT, riskVector } from "./decisionCurve.js";

export interface ClinicalImpactInput {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
  /** Predicted probability of an event by t for each row. */
  risk: ArrayLike<number>;
  t: number;
  /** Threshold probabilities strictly inside (0, 1). Default 0.01, …, 0.99. */
  thresholds?: ArrayLike<number>;
  /** Counts are per this many patients. Default 1000. */
  population?: number;
  /** risk > pt instead of risk >= pt. Default false. */
  strict?: boolean;
}

export interface ClinicalImpactResult {
  threshold: Float64Array;
  /** Number classified high risk, per `population`. */
  nHighRisk: Float64Array;
  /** Number classified high risk who have the event by t (KM estimate), per `population`. */
  nHighRiskWithEvent: Float64Array;
  /** Cost:benefit ratio pt : (1 − pt) as pt / (1 − pt). */
  costBenefit: Float64Array;
  /** KM survival at t of the high-risk group (NaN when empty) and whether it was carried forward. */
  survHighRisk: Float64Array;
  kmExtended: boolean[];
  population: number;
  t: number;
  n: number;
  warnings: string[];
}

export function clinicalImpact(input: ClinicalImpactInput): ClinicalImpactResult {
  const what = "clinicalImpact";
  const population = input.population ?? 1000;
  check(
    typeof population === "number" && Number.isFinite(population) && population > 0,
    `${what}: population must be a positive number (got ${population})`,
  );
  const o = outcomeAtT(input.time, input.status, input.t, input.thresholds, what);
  const risk = riskVector(input.risk, o.n, "risk", what);
  const h = highRiskCurve(o, risk, input.strict ?? false);
  const m = o.thresholds.length;
  const nHighRisk = new Float64Array(m);
  const nHighRiskWithEvent = new Float64Array(m);
  const costBenefit = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const pt = o.thresholds[k];
    costBenefit[k] = pt / (1 - pt);
    nHighRisk[k] = population * h.pHigh[k];
    nHighRiskWithEvent[k] = h.nHigh[k] > 0 ? population * h.pHigh[k] * (1 - h.survHigh[k]) : 0;
  }
  const warnings: string[] = [];
  const ext = o.thresholds.filter((_, k) => h.kmExtended[k]);
  if (ext.length > 0) {
    warnings.push(
      `at thresholds ${ext[0]}–${ext[ext.length - 1]} (${ext.length} of ${m}) no high-risk patient is followed to t = ${o.t}; ` +
        "their Kaplan–Meier estimate is carried forward from the group's last follow-up time",
    );
  }
  return {
    threshold: o.thresholds,
    nHighRisk,
    nHighRiskWithEvent,
    costBenefit,
    survHighRisk: h.survHigh,
    kmExtended: h.kmExtended,
    population,
    t: o.t,
    n: o.n,
    warnings,
  };
}
