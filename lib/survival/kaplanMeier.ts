/**
 * Kaplan–Meier product-limit estimate with Greenwood standard errors and Nelson–Aalen cumulative
 * hazard, matched to R's survfit (survival 3.5.3, stype = 1, ctype = 1, error = "greenwood"),
 * plus the read-outs R derives from a survfit object: the print/summary table (median and its CI,
 * restricted mean), summary(fit, times =, extend = TRUE) and quantile(fit).
 *
 * Per-time arrays are Float64Array; R's NA appears as NaN there (e.g. the CI where S = 0) and as
 * null in scalar read-outs (median not reached).
 */
import { InputError, check } from "../errors.js";
import { qnorm } from "../stats/distributions.js";
import { checkLength, levelsOf, survivalInput } from "./input.js";
import { caseWeights, startTimes } from "./coxData.js";

export type ConfType = "log" | "log-log" | "plain";
export type GroupValue = string | number;

export interface KaplanMeierOptions {
  /** Grouping variable (numbers or strings); null/undefined/NaN rows are dropped. */
  group?: ArrayLike<string | number | null | undefined>;
  /** Transformation for the pointwise confidence interval; R's default is "log". */
  confType?: ConfType;
  /** Coverage of the confidence intervals, in (0, 1). */
  confLevel?: number;
  /** Case weights (> 0): weighted numbers at risk, events and censorings, as survfit's weights. */
  weights?: ArrayLike<number>;
  /** Entry times for (start, stop] rows (`time` is then the stop time): at risk when start < t <= stop. */
  start?: ArrayLike<number>;
  /**
   * R's robust: the infinitesimal-jackknife variance (each row its own cluster) instead of
   * Greenwood's. Default as survfit: true when any weight is not a whole number.
   */
  robust?: boolean;
}

export interface KaplanMeierStratum {
  /** Group level ("all" when no group was given). */
  group: GroupValue;
  /** Observations (rows) in this stratum. */
  n: number;
  /** Number of events in this stratum (case-weighted, as survfit's table). */
  events: number;
  time: Float64Array;
  nRisk: Float64Array;
  nEvent: Float64Array;
  nCensor: Float64Array;
  surv: Float64Array;
  /**
   * survfit's std.err: Greenwood SE of -log S(t) (Infinity once S reaches 0). For a robust fit
   * (IJ variance) R stores the SE of S itself; we keep the log scale, SE(S) / S, so that this
   * field means the same thing for every fit (R's confidence limits use exactly that).
   */
  stdErr: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** Nelson–Aalen cumulative hazard and its SE (survfit's cumhaz, std.chaz). */
  cumhaz: Float64Array;
  stdChaz: Float64Array;
  /** Median survival (null = not reached) and its CI from the confidence curves. */
  median: number | null;
  medianLower: number | null;
  medianUpper: number | null;
  /** Restricted mean survival up to rmeanEnd (largest time over all strata, R's rmean = "common"). */
  rmean: number;
  seRmean: number;
  rmeanEnd: number;
  confType: ConfType;
  confLevel: number;
}

export interface KaplanMeierResult {
  strata: KaplanMeierStratum[];
  /** Rows dropped because their group was missing (R's na.omit). */
  dropped: number;
  confType: ConfType;
  confLevel: number;
}

/** R's quantile tolerance, sqrt(.Machine$double.eps): a curve "equals" a probability within it. */
const TOL = Math.sqrt(2.220446049250313e-16);

const CONF_TYPES: readonly ConfType[] = ["log", "log-log", "plain"];

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

export function kaplanMeier(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  options: KaplanMeierOptions = {},
): KaplanMeierResult {
  const what = "kaplanMeier";
  const confType = options.confType ?? "log";
  const confLevel = options.confLevel ?? 0.95;
  if (!CONF_TYPES.includes(confType)) {
    throw new InputError(`${what}: confType "${String(confType)}" is unknown; use "log", "log-log" or "plain"`);
  }
  check(
    typeof confLevel === "number" && confLevel > 0 && confLevel < 1,
    `${what}: confLevel must be strictly between 0 and 1 (got ${confLevel})`,
  );
  // Every row's time and status are checked (row numbers are the caller's), then rows with a
  // missing group are dropped as na.omit in survfit's model frame would.
  const all = survivalInput(time, status, what);
  const { group } = options;
  if (group !== undefined) checkLength(group, all.n, "group", what);
  const keep: number[] = [];
  let dropped = 0;
  for (let i = 0; i < time.length; i++) {
    if (group !== undefined && isMissing(group[i])) dropped++;
    else keep.push(i);
  }
  check(keep.length > 0, `${what}: every row has a missing group`);
  const weights = options.weights !== undefined && options.weights !== null ? caseWeights(options.weights, all.n, what) : null;
  const start = options.start !== undefined && options.start !== null ? startTimes(options.start, all.time, what) : null;
  const robust = options.robust ?? (weights !== null && weights.some((v) => v !== Math.floor(v)));
  check(typeof robust === "boolean", `${what}: robust must be true or false`);
  const input = {
    time: Float64Array.from(keep, (i) => all.time[i]),
    status: Uint8Array.from(keep, (i) => all.status[i]),
    weights: Float64Array.from(keep, (i) => (weights ? weights[i] : 1)),
    start: start ? Float64Array.from(keep, (i) => start[i]) : null,
  };
  const extra = (idx: number[] | null): StratumExtras => ({
    weights: idx ? Float64Array.from(idx, (k) => input.weights[k]) : input.weights,
    start: input.start ? (idx ? Float64Array.from(idx, (k) => (input.start as Float64Array)[k]) : input.start) : null,
    robust,
  });

  const z = qnorm(1 - (1 - confLevel) / 2);
  const strata: KaplanMeierStratum[] = [];
  if (group === undefined) {
    strata.push(fitStratum("all", input.time, input.status, confType, confLevel, z, extra(null)));
  } else {
    const g = keep.map((i) => group[i] as GroupValue);
    const levels = levelsOf(g);
    const numeric = levels.every((v) => typeof v === "number");
    for (const level of levels) {
      const idx: number[] = [];
      for (let k = 0; k < g.length; k++) if ((numeric ? g[k] : String(g[k])) === level) idx.push(k);
      const tt = Float64Array.from(idx, (k) => input.time[k]);
      const ss = Uint8Array.from(idx, (k) => input.status[k]);
      strata.push(fitStratum(level, tt, ss, confType, confLevel, z, extra(idx)));
    }
  }
  // R's rmean = "common": every curve is integrated up to the largest time of all curves.
  let end = -Infinity;
  for (const s of strata) end = Math.max(end, s.time[s.time.length - 1]);
  for (const s of strata) {
    const rm = restrictedMeanOf(s, end);
    s.rmean = rm.rmean;
    s.seRmean = rm.se;
    s.rmeanEnd = end;
  }
  return { strata, dropped, confType, confLevel };
}

interface StratumExtras {
  weights: Float64Array;
  start: Float64Array | null;
  robust: boolean;
}

function fitStratum(
  group: GroupValue,
  time: Float64Array,
  status: Uint8Array,
  confType: ConfType,
  confLevel: number,
  z: number,
  extra: StratumExtras,
): KaplanMeierStratum {
  const n = time.length;
  const { weights, start } = extra;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  // Entries by start time, for (start, stop] rows: at risk at t when start < t <= stop.
  const byStart = start ? Array.from({ length: n }, (_, i) => i).sort((a, b) => start[a] - start[b]) : null;
  const times: number[] = [];
  const nRisk: number[] = [];
  const nEvent: number[] = [];
  const nCensor: number[] = [];
  // Weighted total of the rows with stop >= t (all rows at first) and of those entered before t.
  const total = sumWeights(weights);
  let beyond = total;
  let entered = 0;
  let e = 0;
  for (let k = 0; k < n; ) {
    const t = time[order[k]];
    let d = 0;
    let c = 0;
    if (byStart) {
      while (e < n && (start as Float64Array)[byStart[e]] < t) entered += weights[byStart[e++]];
    }
    // Rows not yet entered at t: everyone with start >= t (all have stop > t, so are in `beyond`).
    const atRisk = byStart ? beyond - (total - entered) : beyond;
    while (k < n && time[order[k]] === t) {
      const w = weights[order[k]];
      if (status[order[k]] === 1) d += w;
      else c += w;
      beyond -= w;
      k++;
    }
    times.push(t);
    nRisk.push(atRisk);
    nEvent.push(d);
    nCensor.push(c);
  }
  const m = times.length;
  const surv = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const cumhaz = new Float64Array(m);
  const stdChaz = new Float64Array(m);
  let s = 1;
  let greenwood = 0;
  let h = 0;
  let vh = 0;
  let events = 0;
  for (let j = 0; j < m; j++) {
    const r = nRisk[j];
    const d = nEvent[j];
    events += d;
    if (d > 0) {
      s *= (r - d) / r;
      // d/(r(r-d)) is +Infinity when everyone at risk dies: S = 0 has no finite log-scale SE.
      greenwood += d / (r * (r - d));
      h += d / r;
      vh += d / (r * r);
    }
    surv[j] = s;
    stdErr[j] = Math.sqrt(greenwood);
    cumhaz[j] = h;
    stdChaz[j] = Math.sqrt(vh);
  }
  if (extra.robust) robustVariance(time, status, weights, start, order, times, nRisk, nEvent, surv, stdErr, stdChaz);
  const { lower, upper } = confidenceLimits(surv, stdErr, confType, z);
  const xs = Float64Array.from(times);
  return {
    group,
    n,
    events,
    time: xs,
    nRisk: Float64Array.from(nRisk),
    nEvent: Float64Array.from(nEvent),
    nCensor: Float64Array.from(nCensor),
    surv,
    stdErr,
    lower,
    upper,
    cumhaz,
    stdChaz,
    median: firstBelowHalf(surv, xs),
    medianLower: firstBelowHalf(lower, xs),
    medianUpper: firstBelowHalf(upper, xs),
    rmean: NaN,
    seRmean: NaN,
    rmeanEnd: NaN,
    confType,
    confLevel,
  };
}

function sumWeights(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return s;
}

/**
 * survfit's robust (infinitesimal-jackknife) variance, each row its own cluster: the influence
 * of each row's weight on S(t) and on the Nelson–Aalen hazard, updated at every event time
 * (O(rows × event times)). Writes SE(S)/S into stdErr (log scale, see KaplanMeierStratum) and
 * the SE of the cumulative hazard into stdChaz.
 */
function robustVariance(
  time: Float64Array, status: Uint8Array, weights: Float64Array, start: Float64Array | null, order: number[],
  times: number[], nRisk: number[], nEvent: number[], surv: Float64Array, stdErr: Float64Array, stdChaz: Float64Array,
): void {
  const n = time.length;
  const inf1 = new Float64Array(n);
  const inf2 = new Float64Array(n);
  let km = 1;
  let v1 = 0;
  let v2 = 0;
  let k = 0;
  for (let j = 0; j < times.length; j++) {
    const t = times[j];
    const from = k;
    while (k < n && time[order[k]] === t) k++;
    if (nEvent[j] > 0) {
      const nr = nRisk[j];
      const haz = nEvent[j] / nr;
      // Everyone still at risk at t: stop >= t (order positions from `from` on) and start < t.
      for (let q = 0; q < n; q++) inf1[q] *= 1 - haz;
      for (let r = from; r < n; r++) {
        const i = order[r];
        if (start && start[i] >= t) continue;
        inf1[i] += (weights[i] * km * haz) / nr;
        inf2[i] -= (weights[i] * haz) / nr;
      }
      for (let r = from; r < k; r++) {
        const i = order[r];
        if (status[i] === 1) {
          inf1[i] -= (km * weights[i]) / nr;
          inf2[i] += weights[i] / nr;
        }
      }
      km *= 1 - haz;
      v1 = 0;
      v2 = 0;
      for (let q = 0; q < n; q++) {
        v1 += inf1[q] * inf1[q];
        v2 += inf2[q] * inf2[q];
      }
    }
    const se = Math.sqrt(v1);
    stdErr[j] = se === 0 ? 0 : se / surv[j];
    stdChaz[j] = Math.sqrt(v2);
  }
}

/**
 * Pointwise limits as survfit_confint builds them from the log-scale SE. Where the transform is
 * undefined (log of S = 0; log-log at S = 0 or 1) the limits are NaN, as R's NA.
 */
function confidenceLimits(
  surv: Float64Array,
  stdErr: Float64Array,
  confType: ConfType,
  z: number,
): { lower: Float64Array; upper: Float64Array } {
  const m = surv.length;
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const p = surv[j];
    const se = stdErr[j];
    if (confType === "plain") {
      // Inf * 0 at S = 0 gives NaN, which R keeps through pmax/pmin.
      const w = se * p * z;
      lower[j] = Number.isNaN(w) ? NaN : Math.max(p - w, 0);
      upper[j] = Number.isNaN(w) ? NaN : Math.min(p + w, 1);
    } else if (confType === "log") {
      if (p === 0) {
        lower[j] = upper[j] = NaN;
      } else {
        const w = z * se;
        lower[j] = Math.exp(Math.log(p) - w);
        upper[j] = Math.min(Math.exp(Math.log(p) + w), 1);
      }
    } else {
      if (p === 0 || p === 1) {
        lower[j] = upper[j] = NaN;
      } else {
        const w = (z * se) / Math.log(p);
        const ll = Math.log(-Math.log(p));
        lower[j] = Math.exp(-Math.exp(ll - w));
        upper[j] = Math.exp(-Math.exp(ll + w));
      }
    }
  }
  return { lower, upper };
}

/**
 * The survfit table's median rule: the first time the curve is at or below 0.5; if it sits at
 * exactly 0.5 (within R's tolerance) over an interval, the midpoint of that interval's ends.
 * NaN points (undefined confidence limits) are skipped; null when never reached.
 */
function firstBelowHalf(y: ArrayLike<number>, x: ArrayLike<number>): number | null {
  const ky: number[] = [];
  const kx: number[] = [];
  for (let j = 0; j < y.length; j++) {
    if (!Number.isNaN(y[j]) && y[j] < 0.5 + TOL) {
      ky.push(y[j]);
      kx.push(x[j]);
    }
  }
  if (ky.length === 0) return null;
  if (Math.abs(ky[0] - 0.5) < TOL) {
    const below = ky.findIndex((v) => v < ky[0]);
    if (below >= 0) return (kx[0] + kx[below]) / 2;
  }
  return kx[0];
}

/**
 * Restricted mean survival up to `end` and its SE (as survfit's print/summary table). The curve
 * starts at S = 1 at time 0; beyond its last time it is carried forward.
 */
function restrictedMeanOf(s: KaplanMeierStratum, end: number): { rmean: number; se: number } {
  // The curve with a time-0 row prepended (survfit0), truncated at `end`, then closed at `end`.
  const tt: number[] = [0];
  const ss: number[] = [1];
  const hh: number[] = [0];
  for (let j = 0; j < s.time.length && s.time[j] <= end; j++) {
    tt.push(s.time[j]);
    ss.push(s.surv[j]);
    const r = s.nRisk[j];
    const d = s.nEvent[j];
    hh.push(r - d === 0 ? 0 : d / (r * (r - d)));
  }
  tt.push(end);
  ss.push(ss[ss.length - 1]);
  hh.push(0);
  const k = tt.length;
  // rect[i] = area of the step that starts at tt[i-1].
  const rect = new Float64Array(k);
  let prev = 0;
  for (let i = 0; i < k; i++) {
    rect[i] = (tt[i] - prev) * (i === 0 ? 1 : ss[i - 1]);
    prev = tt[i];
  }
  let mean = 0;
  for (let i = 0; i < k; i++) mean += rect[i];
  // Var = sum over rows of hh[i] * (area beyond tt[i])^2.
  let tail = 0;
  let variance = 0;
  for (let i = k - 2; i >= 0; i--) {
    tail += rect[i + 1];
    variance += tail * tail * hh[i];
  }
  return { rmean: mean, se: Math.sqrt(variance) };
}

/**
 * Restricted mean survival time up to `tau` for every stratum (R's print(fit, rmean = tau)).
 * Without `tau`, the largest time over all strata (rmean = "common").
 */
export function restrictedMean(
  km: KaplanMeierResult,
  tau?: number,
): Array<{ group: GroupValue; rmean: number; se: number; end: number }> {
  let end = tau;
  if (end === undefined) {
    end = -Infinity;
    for (const s of km.strata) end = Math.max(end, s.time[s.time.length - 1]);
  }
  check(Number.isFinite(end), `restrictedMean: tau must be a finite number (got ${tau})`);
  check(end >= 0, `restrictedMean: tau (${end}) is before the start of the curves at time 0`);
  const e = end;
  return km.strata.map((s) => ({ group: s.group, ...restrictedMeanOf(s, e), end: e }));
}

export interface SurvfitSummaryStratum {
  group: GroupValue;
  time: Float64Array;
  /** Number at risk at each time (0 beyond the last observation). */
  nRisk: Float64Array;
  /** Events in (previous listed time, this time]; the first interval starts at 0. */
  nEvent: Float64Array;
  nCensor: Float64Array;
  surv: Float64Array;
  /** SE of S(t) (summary.survfit's std.err = surv * survfit's std.err). */
  stdErr: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  cumhaz: Float64Array;
  stdChaz: Float64Array;
}

/**
 * R's summary(fit, times = times, extend = TRUE): the curve read at the given times (sorted
 * ascending, as R does), counts accumulated between consecutive listed times.
 */
export function survfitSummary(km: KaplanMeierResult, times: ArrayLike<number>): { strata: SurvfitSummaryStratum[] } {
  check(times.length > 0, "survfitSummary: times is empty");
  for (let i = 0; i < times.length; i++) {
    check(Number.isFinite(times[i]), `survfitSummary: times[${i}] is ${times[i]}; times must be finite`);
  }
  const ts = Array.from(times).sort((a, b) => a - b);
  const strata = km.strata.map((s) => {
    // Curve with the time-0 row (S = 1, SE 0, limits 1) prepended, as survfit0 does.
    const add = !(s.time.length > 0 && s.time[0] === 0);
    const pre = <T extends number>(v: T, a: Float64Array) => (add ? [v, ...a] : Array.from(a));
    const time = pre(0, s.time);
    const nRisk = pre(s.nRisk[0], s.nRisk);
    const nEvent = pre(0, s.nEvent);
    const nCensor = pre(0, s.nCensor);
    const surv = pre(1, s.surv);
    const se = pre(0, s.stdErr);
    const lower = pre(1, s.lower);
    const upper = pre(1, s.upper);
    const cumhaz = pre(0, s.cumhaz);
    const stdChaz = pre(0, s.stdChaz);
    const m = time.length;
    const cumEvent = new Float64Array(m + 1);
    const cumCensor = new Float64Array(m + 1);
    for (let j = 0; j < m; j++) {
      cumEvent[j + 1] = cumEvent[j] + nEvent[j];
      cumCensor[j + 1] = cumCensor[j] + nCensor[j];
    }
    const k = ts.length;
    const out: SurvfitSummaryStratum = {
      group: s.group,
      time: Float64Array.from(ts),
      nRisk: new Float64Array(k),
      nEvent: new Float64Array(k),
      nCensor: new Float64Array(k),
      surv: new Float64Array(k),
      stdErr: new Float64Array(k),
      lower: new Float64Array(k),
      upper: new Float64Array(k),
      cumhaz: new Float64Array(k),
      stdChaz: new Float64Array(k),
    };
    let prevE = 0;
    let prevC = 0;
    for (let i = 0; i < k; i++) {
      const t = ts[i];
      // last row with time <= t (count of such rows), and first row with time >= t
      let le = 0;
      while (le < m && time[le] <= t) le++;
      let lt = 0;
      while (lt < m && time[lt] < t) lt++;
      const row = Math.max(le, 1) - 1;
      out.surv[i] = surv[row];
      out.stdErr[i] = se[row] * surv[row];
      out.lower[i] = lower[row];
      out.upper[i] = upper[row];
      out.cumhaz[i] = cumhaz[row];
      out.stdChaz[i] = stdChaz[row];
      out.nRisk[i] = lt < m ? nRisk[lt] : 0;
      out.nEvent[i] = cumEvent[le] - prevE;
      out.nCensor[i] = cumCensor[le] - prevC;
      prevE = cumEvent[le];
      prevC = cumCensor[le];
    }
    return out;
  });
  return { strata };
}

export interface QuantileKMResult {
  probs: number[];
  strata: Array<{
    group: GroupValue;
    quantile: (number | null)[];
    lower: (number | null)[];
    upper: (number | null)[];
  }>;
}

/**
 * R's quantile(fit, probs): the time at which the curve (and its confidence limits) first falls
 * to 1 - p, with the midpoint rule where a curve is flat at exactly 1 - p. null = not reached.
 */
export function quantileKM(km: KaplanMeierResult, probs: ArrayLike<number> = [0.25, 0.5, 0.75]): QuantileKMResult {
  const p = Array.from(probs);
  check(p.length > 0, "quantileKM: probs is empty");
  for (let i = 0; i < p.length; i++) {
    check(p[i] >= 0 && p[i] <= 1, `quantileKM: probs[${i}] = ${p[i]} is not a probability in [0, 1]`);
  }
  const strata = km.strata.map((s) => {
    const x = [0, ...s.time];
    const f = (curve: Float64Array) => findQuantile(x, [0, ...Array.from(curve, (v) => 1 - v)], p);
    return { group: s.group, quantile: f(s.surv), lower: f(s.lower), upper: f(s.upper) };
  });
  return { probs: p, strata };
}

/**
 * Where the cumulative distribution y (non-decreasing, NaN = undefined) first reaches each p,
 * treating values within TOL of p as equal to it.
 */
function findQuantile(x: number[], y: number[], p: number[]): (number | null)[] {
  let maxY = -Infinity;
  for (const v of y) if (!Number.isNaN(v) && v > maxY) maxY = v;
  if (maxY < Math.min(...p)) return p.map(() => null);
  const xmax = x[x.length - 1];
  // Keep the first time each distinct value is attained (censoring rows repeat the previous value).
  const ux: number[] = [];
  const uy: number[] = [];
  const seen = new Set<number>();
  let seenNaN = false;
  for (let j = 0; j < y.length; j++) {
    const v = y[j];
    if (Number.isNaN(v)) {
      if (seenNaN) continue;
      seenNaN = true;
    } else {
      if (seen.has(v)) continue;
      seen.add(v);
    }
    ux.push(x[j]);
    uy.push(v);
  }
  const n = uy.length;
  const index1 = stepIndex(uy.map((v) => v + TOL), p);
  const index2 = stepIndex(uy.map((v) => v - TOL), p);
  const at = (i: number | null) => (i === null ? NaN : ux[Math.floor(i)]);
  const out = p.map((pi, k) => {
    let q = (at(index1[k]) + at(index2[k])) / 2;
    if (pi === 0) q = ux[0];
    else if (!Number.isNaN(uy[n - 1]) && Math.abs(pi - uy[n - 1]) < TOL) q = (at(index1[k]) + xmax) / 2;
    return Number.isNaN(q) ? null : q;
  });
  return out;
}

/**
 * For each p, the (0-based) position of the first knot at or right of p among knots `v` (NaN
 * knots ignored), null outside the knots' range — R's approx(v, seq_along(v), p,
 * method = "constant", f = 1). Knots are sorted first; equal knots share their mean position.
 */
function stepIndex(v: number[], p: number[]): (number | null)[] {
  const pairs: Array<[number, number]> = [];
  for (let j = 0; j < v.length; j++) if (!Number.isNaN(v[j])) pairs.push([v[j], j]);
  pairs.sort((a, b) => a[0] - b[0]);
  const kx: number[] = [];
  const ky: number[] = [];
  for (let j = 0; j < pairs.length; ) {
    let e = j;
    let sum = 0;
    while (e < pairs.length && pairs[e][0] === pairs[j][0]) sum += pairs[e++][1];
    kx.push(pairs[j][0]);
    ky.push(sum / (e - j));
    j = e;
  }
  const m = kx.length;
  return p.map((q) => {
    if (m === 0 || q < kx[0] || q > kx[m - 1]) return null;
    let i = 0;
    let j = m - 1;
    while (i < j - 1) {
      const mid = (i + j) >> 1;
      if (q < kx[mid]) j = mid;
      else i = mid;
    }
    if (q === kx[j]) return ky[j];
    if (q === kx[i]) return ky[i];
    return ky[j];
  });
}
