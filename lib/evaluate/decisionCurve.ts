/**
 * Decision curve analysis for a time-to-event outcome at a horizon t (Vickers et al. 2008), as
 * R's dcurves::dca(Surv(time, event) ~ model, time = t) computes it:
 *
 * - a patient is "high risk" at threshold pt when the predicted event probability by t is >= pt
 *   (dcurves; `strict: true` uses > as the older stdca.R does);
 * - the event rate among the high-risk patients is 1 − S_high(t), S_high the Kaplan–Meier estimate of
 *   those patients alone (censoring handled by KM instead of counting events);
 * - TP/n = p_high · (1 − S_high(t)), FP/n = p_high · S_high(t), with p_high the fraction high risk;
 * - net benefit = TP/n − FP/n · pt / (1 − pt); treat all = the same with everyone high risk,
 *   pd − (1 − pd) · pt / (1 − pt) with pd = 1 − KM(t) of the whole cohort; treat none = 0.
 *
 * Two details where the R implementations differ, and what is done here:
 * - no patient at or above pt: dcurves sets the event rate to 0, so TP = FP = 0 and the net benefit
 *   is 0 (the same as treating nobody); stdca stops the curve (NA). Here: 0, and nHighRisk = 0.
 * - the high-risk group's follow-up ends before t: the group's KM curve is carried forward from its
 *   last time (summary(survfit(...), times = t, extend = TRUE), as stdca reads it); dcurves returns
 *   NA. Such thresholds are flagged in `kmExtended` and named in `warnings`, since the estimate there
 *   rests on a handful of patients none of whom was followed to t.
 */
import { InputError, check } from "../errors.js";
import { survivalInput } from "../survival/input.js";
import { kaplanMeier, survfitSummary } from "../survival/kaplanMeier.js";

export interface DecisionCurveInput {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
  /**
   * Predicted probability of an event by t for each row (e.g. 1 − S(t | x) from a Cox model), or
   * several models by name.
   */
  risk: ArrayLike<number> | Record<string, ArrayLike<number>>;
  /** Time horizon, in the units of `time`. */
  t: number;
  /** Threshold probabilities, each strictly inside (0, 1). Default 0.01, 0.02, …, 0.99. */
  thresholds?: ArrayLike<number>;
  /** Classify risk > pt as high risk (stdca) instead of risk >= pt (dcurves). Default false. */
  strict?: boolean;
  /** Name of the model when `risk` is a single vector. Default "model". */
  name?: string;
}

/** One model's curve and the counts behind it, one value per threshold. */
export interface DecisionCurveModel {
  model: string;
  threshold: Float64Array;
  t: number;
  netBenefit: Float64Array;
  /** Number of patients classified high risk. */
  nHighRisk: Float64Array;
  /** Fraction classified high risk, nHighRisk / n. */
  pHighRisk: Float64Array;
  /** KM survival at t of the high-risk patients (NaN when there are none). */
  survHighRisk: Float64Array;
  /** True where the high-risk group's follow-up ends before t (KM carried forward). */
  kmExtended: boolean[];
  /** TP / n and FP / n. */
  tpRate: Float64Array;
  fpRate: Float64Array;
  /** Net interventions avoided per 100 patients versus treat all: (NB − NB_all) · 100 / (pt / (1 − pt)). */
  interventionsAvoided: Float64Array;
}

export interface DecisionCurveResult<NB = Float64Array> {
  threshold: Float64Array;
  /** Net benefit of the model (or, for named models, of each model by name). */
  netBenefit: NB;
  treatAll: Float64Array;
  treatNone: Float64Array;
  /** Every model, in the order given. */
  models: DecisionCurveModel[];
  t: number;
  n: number;
  /** 1 − KM(t) of the whole cohort: the event probability by t that "treat all" uses. */
  eventProbability: number;
  warnings: string[];
}

export type DecisionCurveMulti = DecisionCurveResult<Record<string, Float64Array>>;

const DEFAULT_THRESHOLDS = Float64Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** True for a single risk vector (array or typed array), false for a record of named vectors. */
export function isRiskVector(risk: unknown): risk is ArrayLike<number> {
  return Array.isArray(risk) || ArrayBuffer.isView(risk);
}

/** Validated (time, status, t, thresholds) shared by the decision and clinical impact curves. */
export interface OutcomeAtT {
  time: Float64Array;
  status: Uint8Array;
  n: number;
  t: number;
  thresholds: Float64Array;
  /** KM survival of the whole cohort at t. */
  survAll: number;
}

export function outcomeAtT(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  t: number,
  thresholds: ArrayLike<number> | undefined,
  what: string,
): OutcomeAtT {
  const s = survivalInput(time, status, what);
  check(typeof t === "number" && Number.isFinite(t) && t > 0, `${what}: t must be a positive finite time (got ${t})`);
  let last = -Infinity;
  let firstEvent = Infinity;
  for (let i = 0; i < s.n; i++) {
    if (s.time[i] > last) last = s.time[i];
    if (s.status[i] === 1 && s.time[i] < firstEvent) firstEvent = s.time[i];
  }
  // The KM of the cohort is not defined beyond the last follow-up time (R's dcurves: "Cannot
  // calculate outcome prevalence at specified time").
  check(t <= last, `${what}: t = ${t} is beyond the last follow-up time (${last}); choose t <= ${last}`);
  check(
    firstEvent <= t,
    `${what}: no events at or before t = ${t}` +
      (Number.isFinite(firstEvent) ? ` (the first event is at ${firstEvent})` : " (there are no events)") +
      "; the event probability by t would be 0",
  );
  const th = Float64Array.from(thresholds ?? DEFAULT_THRESHOLDS);
  check(th.length > 0, `${what}: thresholds is empty`);
  for (let k = 0; k < th.length; k++) {
    check(
      Number.isFinite(th[k]) && th[k] > 0 && th[k] < 1,
      `${what}: thresholds[${k}] = ${th[k]} is not strictly between 0 and 1 (pt / (1 − pt) must be finite and positive)`,
    );
  }
  const survAll = kmAt(s.time, s.status, t).surv;
  return { time: s.time, status: s.status, n: s.n, t, thresholds: th, survAll };
}

/** Checks one risk vector: one value per row, each a probability. Returns it as Float64Array. */
export function riskVector(risk: ArrayLike<number>, n: number, label: string, what: string): Float64Array {
  if (risk.length !== n) {
    throw new InputError(`${what}: ${label} has ${risk.length} values but time has ${n}`);
  }
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = risk[i];
    if (!(typeof v === "number" && v >= 0 && v <= 1)) {
      throw new InputError(
        `${what}: ${label} at row ${i + 1} is ${v}; risks must be predicted event probabilities by t, in [0, 1]`,
      );
    }
    r[i] = v;
  }
  return r;
}

/** KM survival at t (carried forward past the last time, as summary(..., extend = TRUE)). */
function kmAt(time: Float64Array, status: Uint8Array, t: number): { surv: number; extended: boolean } {
  const km = kaplanMeier(time, status);
  const surv = survfitSummary(km, [t]).strata[0].surv[0];
  let last = -Infinity;
  for (let i = 0; i < time.length; i++) if (time[i] > last) last = time[i];
  return { surv, extended: last < t };
}

/** The high-risk KM read-outs of one model at every threshold. */
export function highRiskCurve(
  o: OutcomeAtT,
  risk: Float64Array,
  strict: boolean,
): { nHigh: Float64Array; pHigh: Float64Array; survHigh: Float64Array; kmExtended: boolean[] } {
  const m = o.thresholds.length;
  const nHigh = new Float64Array(m);
  const pHigh = new Float64Array(m);
  const survHigh = new Float64Array(m);
  const kmExtended: boolean[] = new Array(m).fill(false);
  // Many thresholds select the same patients; the KM of a group is computed once per distinct group.
  const cache = new Map<number, { surv: number; extended: boolean }>();
  for (let k = 0; k < m; k++) {
    const pt = o.thresholds[k];
    const idx: number[] = [];
    for (let i = 0; i < o.n; i++) if (strict ? risk[i] > pt : risk[i] >= pt) idx.push(i);
    nHigh[k] = idx.length;
    pHigh[k] = idx.length / o.n;
    if (idx.length === 0) {
      survHigh[k] = NaN;
      continue;
    }
    // Groups are nested (a higher threshold keeps a subset), so the size identifies the group.
    let km = cache.get(idx.length);
    if (!km) {
      km = kmAt(
        Float64Array.from(idx, (i) => o.time[i]),
        Uint8Array.from(idx, (i) => o.status[i]),
        o.t,
      );
      cache.set(idx.length, km);
    }
    survHigh[k] = km.surv;
    kmExtended[k] = km.extended;
  }
  return { nHigh, pHigh, survHigh, kmExtended };
}

export function decisionCurve(input: DecisionCurveInput & { risk: ArrayLike<number> }): DecisionCurveResult;
export function decisionCurve(input: DecisionCurveInput & { risk: Record<string, ArrayLike<number>> }): DecisionCurveMulti;
export function decisionCurve(input: DecisionCurveInput): DecisionCurveResult | DecisionCurveMulti;
export function decisionCurve(input: DecisionCurveInput): DecisionCurveResult | DecisionCurveMulti {
  const what = "decisionCurve";
  const o = outcomeAtT(input.time, input.status, input.t, input.thresholds, what);
  const single = isRiskVector(input.risk);
  const named: Array<[string, ArrayLike<number>]> = single
    ? [[input.name ?? "model", input.risk as ArrayLike<number>]]
    : Object.entries(input.risk as Record<string, ArrayLike<number>>);
  check(named.length > 0, `${what}: risk has no models`);
  const strict = input.strict ?? false;
  const m = o.thresholds.length;
  const pd = 1 - o.survAll;
  const treatAll = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const pt = o.thresholds[k];
    treatAll[k] = pd - (1 - pd) * (pt / (1 - pt));
  }
  const warnings: string[] = [];
  const models: DecisionCurveModel[] = named.map(([name, r]) => {
    const risk = riskVector(r, o.n, single ? "risk" : `risk "${name}"`, what);
    const h = highRiskCurve(o, risk, strict);
    const netBenefit = new Float64Array(m);
    const tpRate = new Float64Array(m);
    const fpRate = new Float64Array(m);
    const interventionsAvoided = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const pt = o.thresholds[k];
      const odds = pt / (1 - pt);
      if (h.nHigh[k] > 0) {
        tpRate[k] = (1 - h.survHigh[k]) * h.pHigh[k];
        fpRate[k] = h.survHigh[k] * h.pHigh[k];
      }
      netBenefit[k] = tpRate[k] - fpRate[k] * odds;
      interventionsAvoided[k] = ((netBenefit[k] - treatAll[k]) * 100) / odds;
    }
    const ext = o.thresholds.filter((_, k) => h.kmExtended[k]);
    if (ext.length > 0) {
      warnings.push(
        `${name}: at thresholds ${ext[0]}–${ext[ext.length - 1]} (${ext.length} of ${m}) no high-risk patient is followed to t = ${o.t}; ` +
          "their Kaplan–Meier estimate is carried forward from the group's last follow-up time",
      );
    }
    return {
      model: name,
      threshold: o.thresholds,
      t: o.t,
      netBenefit,
      nHighRisk: h.nHigh,
      pHighRisk: h.pHigh,
      survHighRisk: h.survHigh,
      kmExtended: h.kmExtended,
      tpRate,
      fpRate,
      interventionsAvoided,
    };
  });
  const base = {
    threshold: o.thresholds,
    treatAll,
    treatNone: new Float64Array(m),
    models,
    t: o.t,
    n: o.n,
    eventProbability: pd,
    warnings,
  };
  if (single) return { ...base, netBenefit: models[0].netBenefit };
  const byName: Record<string, Float64Array> = {};
  for (const mod of models) byName[mod.model] = mod.netBenefit;
  return { ...base, netBenefit: byName };
}

export interface NetBenefitDifference {
  threshold: Float64Array;
  /** Net benefit of a minus net benefit of b at each threshold. */
  difference: Float64Array;
  a: string;
  b: string;
}

type CurveLike = DecisionCurveModel | DecisionCurveResult | DecisionCurveMulti;

function asModel(x: CurveLike, which: string): DecisionCurveModel {
  if ("models" in x) {
    check(x.models.length === 1, `netBenefitDifference: ${which} holds ${x.models.length} models; pass one of its .models`);
    return x.models[0];
  }
  return x;
}

/**
 * Net benefit of model a minus model b at each threshold (positive: a is the better decision rule
 * there). Both curves must come from the same thresholds and horizon.
 */
export function netBenefitDifference(a: CurveLike, b: CurveLike): NetBenefitDifference {
  const ma = asModel(a, "a");
  const mb = asModel(b, "b");
  check(ma.t === mb.t, `netBenefitDifference: the curves are at different horizons (t = ${ma.t} and ${mb.t})`);
  const m = ma.threshold.length;
  check(
    mb.threshold.length === m && ma.threshold.every((v, k) => v === mb.threshold[k]),
    "netBenefitDifference: the two curves use different thresholds",
  );
  const difference = new Float64Array(m);
  for (let k = 0; k < m; k++) difference[k] = ma.netBenefit[k] - mb.netBenefit[k];
  return { threshold: ma.threshold, difference, a: ma.model, b: mb.model };
}
