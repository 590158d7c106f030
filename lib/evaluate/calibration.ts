/**
 * Calibration of a Cox model's predicted survival at a horizon t, as rms::calibrate(fit,
 * cmethod = "KM", u = t, m) does it for cph(surv = TRUE, time.inc = t):
 *
 * - predicted S(t) per patient = S0(t)^exp(lp), the Efron-type baseline at the covariate means;
 * - patients grouped by their predicted S(t): rms's rule (`m` patients per group: g = floor(n/m),
 *   cut points at the type-7 quantiles of c(0, 1, predicted), Hmisc::cut2's [a, b) intervals,
 *   the last closed), explicit `cuts`, or `groups` = g equal-size groups by rank;
 * - observed = the Kaplan–Meier estimate at t in each group (rms's groupkm: the step value at the
 *   last time <= t + 1e-6; NA when t is beyond the group's last time and S > 0), with its
 *   Greenwood standard error on the log scale;
 * - bootstrap optimism (predab.resample): refit on each bootstrap sample, take KM - mean predicted
 *   per group on the bootstrap sample (training) and on the original sample with the refitted
 *   model (test), with the ORIGINAL cut points; optimism = mean(training - test),
 *   KM.corrected = KM - optimism.
 *
 * externalCalibration() does the first three steps on a validation cohort with the training
 * fit's predictions (no refitting). The bootstrap uses radsurv's generator, so its numbers
 * cannot equal R's; with `resamples` (explicit samples) they equal rms's for the same samples.
 */
import { InputError } from "../errors.js";
import { qnorm } from "../stats/distributions.js";
import { survivalAt, type CoxphData, type CoxphFit } from "../survival/index.js";
import {
  bootstrapSamples,
  entriesInTimeOrder,
  fitControl,
  leanCox,
  linearPredictor,
  rowsFromData,
  sameAsFit,
  survivalAtU,
  type CoxRows,
  type FitControl,
} from "./validate.js";

export interface CalibrationOptions {
  /** Horizon (same unit as the survival times), rms's u. */
  t: number;
  /** Patients per group, rms's rule (default 150, rms's default, when neither groups nor cuts is given). */
  m?: number;
  /** Number of equal-size groups by rank of predicted S(t) (instead of m). */
  groups?: number;
  /** Explicit cut points on the predicted-survival scale (rms's cuts). */
  cuts?: number[];
  /** Bootstrap samples (default 1000); 0 = apparent calibration only. */
  B?: number;
  /** Seed of radsurv's generator (createRng), default 1. */
  seed?: number;
  /** Explicit bootstrap samples (0-based row indices, n each) instead of B draws from seed. */
  resamples?: ArrayLike<number>[];
  /** Bootstrap refits' Newton–Raphson control; default cph()'s eps = 1e-4, iter.max = 10, as rms. */
  fitControl?: FitControl;
  /** Coverage of the KM error bars (default 0.95). */
  confLevel?: number;
}

export type CalibrationGrouping = "m" | "groups" | "cuts";

export interface CalibrationBootstrap {
  /** Mean of KM - mean predicted per group over the bootstrap samples (rms's training). */
  training: number[];
  /** The same on the original sample with the refitted models (rms's test). */
  test: number[];
  /** training - test (rms's mean.optimism). */
  optimism: number[];
  /** indexOrig - optimism (rms's mean.corrected). */
  indexCorrected: number[];
  /** KM - optimism: the bias-corrected observed S(t) (rms's KM.corrected). */
  kmCorrected: number[];
  /** Samples that contributed to each group (rms's n). */
  n: number[];
  B: number;
  /** Samples left out because the refit failed or had < 5 events (rms's rule). */
  failed: number;
  seed: number | null;
}

export interface CalibrationResult {
  t: number;
  cohort: "internal" | "external";
  n: number;
  nEvent: number;
  grouping: CalibrationGrouping;
  m: number | null;
  /** Number of groups. */
  g: number;
  /** Cut points (rms's; null for equal-size groups). */
  cuts: number[] | null;
  /** Predicted S(t) per row. */
  predicted: number[];
  /** Group of each row, 1-based (0 = in no group). */
  group: number[];
  /** Per group: rows, events, mean/min/max predicted S(t). */
  nObs: number[];
  nEvents: number[];
  meanPredicted: number[];
  minPredicted: number[];
  maxPredicted: number[];
  /** Kaplan–Meier S(t) per group (NaN = not estimable, see warnings) and its SE. */
  km: number[];
  /** Greenwood SE of log KM (rms's std.err). */
  stdErr: number[];
  /** SE of KM itself (km * stdErr). */
  kmSe: number[];
  /** Log-scale confidence limits of KM at confLevel (rms's error bars). */
  lower: number[];
  upper: number[];
  /** km - meanPredicted (rms's index.orig). */
  indexOrig: number[];
  /** Bootstrap optimism correction; null with B = 0 and for external calibration. */
  bootstrap: CalibrationBootstrap | null;
  confLevel: number;
  warnings: string[];
}

/** Checks a horizon against the data: within follow-up and after at least one event. */
export function checkHorizon(time: ArrayLike<number>, status: ArrayLike<number>, t: number, what: string): void {
  if (typeof t !== "number" || !Number.isFinite(t) || t <= 0) throw new InputError(`${what}: t must be a positive, finite time, got ${t}`);
  let last = -Infinity;
  let firstEvent = Infinity;
  for (let i = 0; i < time.length; i++) {
    if (time[i] > last) last = time[i];
    if (status[i] === 1 && time[i] < firstEvent) firstEvent = time[i];
  }
  if (t > last) {
    throw new InputError(
      `${what}: t = ${t} is beyond the last follow-up time (${last}); S(t) is not estimable there (rms fails with ` +
        `"subscript out of bounds"). Possible t: 0 < t <= ${last}` +
        (Number.isFinite(firstEvent) ? `, and t >= ${firstEvent} (the first event) for a non-trivial prediction` : ""),
    );
  }
  if (!(firstEvent <= t)) {
    throw new InputError(
      `${what}: no events at or before t = ${t}` +
        (Number.isFinite(firstEvent) ? ` (the first event is at ${firstEvent}); S(t) = 1 for everyone. Use t >= ${firstEvent}` : " (there are no events at all)"),
    );
  }
}

/** R's quantile(x, probs, type = 7), with R's interpolation formula. */
export function quantile7(x: ArrayLike<number>, probs: number[]): number[] {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  return probs.map((p) => {
    const index = (n - 1) * p; // 0-based
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const qs = s[lo];
    const h = index - lo;
    return index > lo && s[hi] !== qs ? (1 - h) * qs + h * s[hi] : qs;
  });
}

/** R's seq(0, 1, length = g + 1). */
function probsFor(g: number): number[] {
  if (g === 1) return [0, 1];
  const out = [0];
  for (let i = 1; i < g; i++) out.push(i * (1 / g));
  out.push(1);
  return out;
}

/** rms's cut points for m patients per group: unique(quantile(c(0, 1, surv), seq(0, 1, length = g + 1))). */
export function rmsCuts(predicted: ArrayLike<number>, m: number): number[] {
  const g = Math.max(1, Math.floor(predicted.length / m));
  const q = quantile7([0, 1, ...Array.from(predicted)], probsFor(g));
  return q.filter((v, i) => q.indexOf(v) === i);
}

/**
 * Hmisc::cut2(x, cuts) group codes (1-based; 0 = outside): the cut points are moved down by
 * half the smallest gap between distinct values so that intervals are [a, b), the last [a, b].
 */
export function cut2(x: ArrayLike<number>, cutsIn: number[]): { code: Int32Array; cuts: number[] } {
  let cuts = [...cutsIn];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  const all = new Float64Array(x.length + cuts.length);
  all.set(x as ArrayLike<number>);
  all.set(cuts, x.length);
  all.sort();
  let minDif = Infinity;
  for (let i = 1; i < all.length; i++) if (all[i] !== all[i - 1]) minDif = Math.min(minDif, all[i] - all[i - 1]);
  minDif = Number.isFinite(minDif) ? minDif / 2 : 0;
  if (min < cuts[0]) cuts = [min, ...cuts];
  if (max > cuts[cuts.length - 1]) cuts = [...cuts, max];
  const l = cuts.length;
  const k2 = cuts.map((c, i) => (i === l - 1 ? c : c - minDif)).sort((a, b) => a - b);
  const code = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    // R's cut(right = TRUE): (k2[j], k2[j + 1]].
    let lo = 0;
    let hi = l - 1;
    if (!(v > k2[0] && v <= k2[l - 1])) continue;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (v > k2[mid]) lo = mid;
      else hi = mid;
    }
    code[i] = lo + 1;
  }
  return { code, cuts };
}

/** Equal-size groups by rank of x (ties in row order): group = floor(rank * g / n) + 1. */
export function equalGroups(x: ArrayLike<number>, g: number, entries?: Int32Array): Int32Array {
  const idx = entries ? Array.from(entries.keys()) : Array.from({ length: x.length }, (_, i) => i);
  const val = (j: number) => (entries ? x[entries[j]] : x[j]);
  const pos = (j: number) => (entries ? entries[j] : j);
  idx.sort((a, b) => val(a) - val(b) || pos(a) - pos(b) || a - b);
  const n = idx.length;
  const out = new Int32Array(n);
  idx.forEach((j, rank) => (out[j] = Math.floor((rank * g) / n) + 1));
  return out;
}

interface GroupKm {
  n: Float64Array;
  events: Float64Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  km: Float64Array;
  seLog: Float64Array;
}

/**
 * KM at u per group over the entries (time-ordered row indices; repeats = bootstrap copies) in
 * one pass. `groupOf[j]` is entry j's group (1..g, 0 = none). `tol` is added to u when reading
 * the curve (rms's groupkm uses 1e-6). Groups with < 2 entries get NaN (rms's rule).
 */
function groupKm(
  rows: CoxRows,
  entries: Int32Array,
  groupOf: Int32Array,
  g: number,
  pred: ArrayLike<number>,
  u: number,
  tol: number,
): GroupKm {
  const n = new Float64Array(g + 1);
  const events = new Float64Array(g + 1);
  const sum = new Float64Array(g + 1);
  const min = new Float64Array(g + 1).fill(Infinity);
  const max = new Float64Array(g + 1).fill(-Infinity);
  const last = new Float64Array(g + 1).fill(-Infinity);
  for (let j = 0; j < entries.length; j++) {
    const k = groupOf[j];
    if (k === 0) continue;
    const i = entries[j];
    n[k]++;
    events[k] += rows.status[i];
    const v = Math.abs(pred[i]) < 1e-10 ? 0 : pred[i];
    sum[k] += v;
    if (v < min[k]) min[k] = v;
    if (v > max[k]) max[k] = v;
    if (rows.time[i] > last[k]) last[k] = rows.time[i];
  }
  const atRisk = Float64Array.from(n);
  const s = new Float64Array(g + 1).fill(1);
  const v = new Float64Array(g + 1);
  const d = new Float64Array(g + 1);
  const leaving = new Float64Array(g + 1);
  const touched: number[] = [];
  let j = 0;
  while (j < entries.length && rows.time[entries[j]] <= u + tol) {
    const t = rows.time[entries[j]];
    while (j < entries.length && rows.time[entries[j]] === t) {
      const k = groupOf[j];
      if (k !== 0) {
        if (leaving[k] === 0) touched.push(k);
        leaving[k]++;
        d[k] += rows.status[entries[j]];
      }
      j++;
    }
    for (const k of touched) {
      if (d[k] > 0) {
        s[k] *= 1 - d[k] / atRisk[k];
        v[k] += d[k] / (atRisk[k] * (atRisk[k] - d[k]));
      }
      atRisk[k] -= leaving[k];
      leaving[k] = 0;
      d[k] = 0;
    }
    touched.length = 0;
  }
  const out: GroupKm = {
    n: n.subarray(1),
    events: events.subarray(1),
    mean: new Float64Array(g),
    min: min.subarray(1),
    max: max.subarray(1),
    km: new Float64Array(g),
    seLog: new Float64Array(g),
  };
  for (let k = 1; k <= g; k++) {
    out.mean[k - 1] = n[k] > 0 ? sum[k] / n[k] : NaN;
    const beyond = u > last[k] + tol && s[k] > 0;
    if (n[k] < 2 || beyond) {
      out.km[k - 1] = NaN;
      out.seLog[k - 1] = NaN;
    } else {
      out.km[k - 1] = s[k];
      out.seLog[k - 1] = Math.sqrt(v[k]);
    }
  }
  return out;
}

interface Grouping {
  kind: CalibrationGrouping;
  m: number | null;
  g: number;
  cuts: number[] | null;
}

function groupingOf(options: CalibrationOptions, predicted: Float64Array, what: string): Grouping {
  const given = ["m", "groups", "cuts"].filter((k) => (options as unknown as Record<string, unknown>)[k] !== undefined);
  if (given.length > 1) throw new InputError(`${what}: give one of m, groups or cuts, not ${given.join(" and ")}`);
  const n = predicted.length;
  if (options.groups !== undefined) {
    const g = options.groups;
    if (!Number.isInteger(g) || g < 1) throw new InputError(`${what}: groups must be a whole number >= 1, got ${g}`);
    if (g > n) throw new InputError(`${what}: groups = ${g} is more than the ${n} patients; some groups would have size 0`);
    return { kind: "groups", m: null, g, cuts: null };
  }
  if (options.cuts !== undefined) {
    const c = options.cuts;
    if (!Array.isArray(c) || c.length < 2 || c.some((v, i) => !Number.isFinite(v) || (i > 0 && v <= c[i - 1]))) {
      throw new InputError(`${what}: cuts must be at least two increasing, finite numbers`);
    }
    return { kind: "cuts", m: null, g: c.length - 1, cuts: [...c] };
  }
  const m = options.m ?? 150;
  if (!(typeof m === "number" && m > 0 && Number.isFinite(m))) throw new InputError(`${what}: m (patients per group) must be a positive number, got ${m}`);
  const cuts = rmsCuts(predicted, m);
  return { kind: "m", m, g: cuts.length - 1, cuts };
}

/** Group codes for the entries under a grouping (cut points fixed; equal groups re-ranked). */
function codesFor(grouping: Grouping, pred: Float64Array, entries: Int32Array): { code: Int32Array; g: number } {
  if (grouping.kind === "groups") return { code: equalGroups(pred, grouping.g, entries), g: grouping.g };
  const x = Float64Array.from(entries, (i) => (Math.abs(pred[i]) < 1e-10 ? 0 : pred[i]));
  const { code, cuts } = cut2(x, grouping.cuts as number[]);
  // cut2 adds the data's min/max as end points when they fall outside the given cuts.
  const shift = cuts[0] !== (grouping.cuts as number[])[0] ? 1 : 0;
  const g = grouping.g;
  if (shift === 0 && cuts.length - 1 === g) return { code, g };
  const out = Int32Array.from(code, (c) => (c - shift >= 1 && c - shift <= g ? c - shift : 0));
  return { code: out, g };
}

/** S0(t) at the fit's column means and the rms-centred linear predictor: S(t | x) = S0^exp(lp). */
function predictedSurvival(fit: CoxphFit, rows: CoxRows, t: number): Float64Array {
  const fitRows = fit.data;
  const means: Record<string, number[]> = {};
  fit.terms.forEach((name, k) => {
    let s = 0;
    for (let i = 0; i < fitRows.time.length; i++) s += fitRows.x[k][i];
    means[name] = [s / fitRows.time.length];
  });
  const s0 = survivalAt(fit, means, [t])[0][0];
  const centre = fit.terms.reduce((acc, name, k) => acc + (Number.isFinite(fit.coef[k]) ? fit.coef[k] : 0) * means[name][0], 0);
  const lp = linearPredictor(rows, fit.coef);
  return Float64Array.from(lp, (v) => Math.pow(s0, Math.exp(v - centre)));
}

function apparent(
  rows: CoxRows,
  predicted: Float64Array,
  grouping: Grouping,
  t: number,
  confLevel: number,
  cohort: "internal" | "external",
  warnings: string[],
  what: string,
): CalibrationResult {
  const { code, g } = codesFor(grouping, predicted, rows.order);
  const tol = grouping.kind === "groups" ? 0 : 1e-6;
  const gk = groupKm(rows, rows.order, code, g, predicted, t, tol);
  for (let k = 0; k < g; k++) {
    const label = grouping.cuts ? `[${grouping.cuts[k]}, ${grouping.cuts[k + 1]}${k === g - 1 ? "]" : ")"}` : `${k + 1}`;
    if (gk.n[k] === 0) {
      throw new InputError(`${what}: group ${k + 1} (predicted S(t) in ${label}) has no patients; use fewer groups (a larger m) or other cuts`);
    }
    if (gk.n[k] < 2) warnings.push(`group ${k + 1} (${label}) has fewer than 2 patients; its Kaplan-Meier estimate is NA`);
    else if (Number.isNaN(gk.km[k])) warnings.push(`group ${k + 1} (${label}): t = ${t} is beyond the group's last follow-up; its Kaplan-Meier estimate is NA`);
  }
  const group = new Array<number>(rows.n).fill(0);
  rows.order.forEach((i, j) => (group[i] = code[j]));
  const z = qnorm(1 - (1 - confLevel) / 2);
  const km = Array.from(gk.km);
  const se = Array.from(gk.seLog);
  let nEvent = 0;
  for (let i = 0; i < rows.n; i++) nEvent += rows.status[i];
  return {
    t,
    cohort,
    n: rows.n,
    nEvent,
    grouping: grouping.kind,
    m: grouping.m,
    g,
    cuts: grouping.cuts,
    predicted: Array.from(predicted),
    group,
    nObs: Array.from(gk.n),
    nEvents: Array.from(gk.events),
    meanPredicted: Array.from(gk.mean),
    minPredicted: Array.from(gk.min),
    maxPredicted: Array.from(gk.max),
    km,
    stdErr: se,
    kmSe: km.map((s, k) => s * se[k]),
    lower: km.map((s, k) => (s === 0 ? 0 : s * Math.exp(-z * se[k]))),
    upper: km.map((s, k) => (s === 0 ? 0 : Math.min(1, s * Math.exp(z * se[k])))),
    indexOrig: km.map((s, k) => s - gk.mean[k]),
    bootstrap: null,
    confLevel,
    warnings,
  };
}

function confLevelOf(options: CalibrationOptions, what: string): number {
  const c = options.confLevel ?? 0.95;
  if (!(c > 0 && c < 1)) throw new InputError(`${what}: confLevel must be strictly between 0 and 1, got ${c}`);
  return c;
}

/**
 * Internal calibration of a Cox model at t: apparent (predicted vs KM-observed per group) and
 * bootstrap optimism-corrected (rms::calibrate, cmethod = "KM"). `data` is the data the fit was
 * made on; for a validation cohort use externalCalibration().
 */
export function calibration(fit: CoxphFit, data: CoxphData, options: CalibrationOptions): CalibrationResult {
  const what = "calibration";
  if (options === null || typeof options !== "object") throw new InputError(`${what}: options { t, m | groups | cuts, B, seed } are required`);
  const rows = rowsFromData(fit, data, what);
  if (!sameAsFit(fit, rows)) {
    throw new InputError(`${what}: data is not the data the fit was made on; for a validation cohort use externalCalibration(fit, data, options)`);
  }
  const t = options.t;
  checkHorizon(rows.time, rows.status, t, what);
  const confLevel = confLevelOf(options, what);
  const control = fitControl(options.fitControl, what);
  const samples = bootstrapSamples(rows.n, options, what);
  const predicted = predictedSurvival(fit, rows, t);
  const grouping = groupingOf(options, predicted, what);
  const warnings: string[] = [];
  const out = apparent(rows, predicted, grouping, t, confLevel, "internal", warnings, what);
  if (samples.length === 0) return out;

  const g = out.g;
  const tol = grouping.kind === "groups" ? 0 : 1e-6;
  const train = new Float64Array(g);
  const test = new Float64Array(g);
  const num = new Float64Array(g);
  const pred = new Float64Array(rows.n);
  let failed = 0;
  for (const counts of samples) {
    const entries = entriesInTimeOrder(rows, counts);
    let events = 0;
    for (let j = 0; j < entries.length; j++) events += rows.status[entries[j]];
    // rms: a bootstrap sample with fewer than 5 events is not refitted (coxfit's fail).
    if (events < 5) {
      failed++;
      continue;
    }
    const f = leanCox(rows, entries, rows.cols, control);
    if (f.fail) {
      failed++;
      continue;
    }
    survivalAtU(rows, entries, linearPredictor(rows, f.beta), t, pred);
    const trCodes = codesFor(grouping, pred, entries);
    const tr = groupKm(rows, entries, trCodes.code, g, pred, t, tol);
    const teCodes = codesFor(grouping, pred, rows.order);
    const te = groupKm(rows, rows.order, teCodes.code, g, pred, t, tol);
    for (let k = 0; k < g; k++) {
      const a = tr.km[k] - tr.mean[k];
      const b = te.km[k] - te.mean[k];
      if (Number.isFinite(a) && Number.isFinite(b)) {
        train[k] += a;
        test[k] += b;
        num[k]++;
      }
    }
  }
  if (failed > 0) warnings.push(`Divergence or singularity (or < 5 events) in ${failed} bootstrap samples; left out`);
  const training = Array.from(train, (v, k) => (num[k] > 0 ? v / num[k] : NaN));
  const testMean = Array.from(test, (v, k) => (num[k] > 0 ? v / num[k] : NaN));
  const optimism = training.map((v, k) => v - testMean[k]);
  num.forEach((c, k) => {
    if (c === 0) warnings.push(`group ${k + 1}: no bootstrap sample gave an estimate; its optimism is NA`);
  });
  out.bootstrap = {
    training,
    test: testMean,
    optimism,
    indexCorrected: out.indexOrig.map((v, k) => v - optimism[k]),
    kmCorrected: out.km.map((v, k) => v - optimism[k]),
    n: Array.from(num),
    B: samples.length,
    failed,
    seed: options.resamples !== undefined ? null : (options.seed ?? 1),
  };
  return out;
}

/**
 * External calibration: predicted S(t) on a validation cohort from the training fit (its
 * baseline and coefficients; nothing refitted) against the Kaplan–Meier estimate at t in groups
 * of the validation patients (grouped as in calibration(), on the validation predictions).
 */
export function externalCalibration(fit: CoxphFit, data: CoxphData, options: Omit<CalibrationOptions, "B" | "seed" | "resamples" | "fitControl">): CalibrationResult {
  const what = "externalCalibration";
  if (options === null || typeof options !== "object") throw new InputError(`${what}: options { t, m | groups | cuts } are required`);
  const rows = rowsFromData(fit, data, what);
  const t = options.t;
  checkHorizon(fit.data.time, fit.data.status, t, `${what} (training fit)`);
  checkHorizon(rows.time, rows.status, t, `${what} (validation cohort)`);
  const confLevel = confLevelOf(options, what);
  const predicted = predictedSurvival(fit, rows, t);
  const grouping = groupingOf(options, predicted, what);
  return apparent(rows, predicted, grouping, t, confLevel, "external", [], what);
}

/** Exposed for tests: S(t) per row from the fit (rms's survest). */
export function predictSurvival(fit: CoxphFit, data: CoxphData, t: number): number[] {
  const rows = rowsFromData(fit, data, "predictSurvival");
  checkHorizon(fit.data.time, fit.data.status, t, "predictSurvival");
  return Array.from(predictedSurvival(fit, rows, t));
}
