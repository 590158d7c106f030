/**
 * Harrell's C (and its time-weighted variants) for right-censored data, matched to
 * survival 3.5.3's `concordance()` with `reverse = TRUE`: counts, the infinitesimal-jackknife
 * (IJ) variance that survival reports by default, and the timewt / ymax options.
 *
 * Convention: a HIGHER risk means an EARLIER event (a Cox linear predictor, a hazard ratio,
 * a predicted event probability). For a score where larger means LONGER survival (Karnofsky
 * score, a predicted survival time) pass its negative, e.g. `risk = karno.map((v) => -v)`;
 * that is exactly R's `reverse = FALSE`.
 *
 * Cost is O(n log n): observations are visited from the longest time down while two Fenwick
 * trees over the risk ranks hold (a) who is still "longer" than the current event time and
 * (b) the time-weighted events already seen; each visit is a few prefix sums.
 */
import { InputError } from "../errors.js";
import { checkLength, survivalInput } from "./input.js";
import { caseWeights, factorCodes, startTimes } from "./coxData.js";
import { concordanceCounting } from "./concordanceCounting.js";
import { Fenwick } from "./fenwick.js";

/** Time weights of survival::concordance. "n" = Harrell's C (every comparable pair weighs 1). */
export type ConcordanceTimewt = "n" | "S" | "S/G" | "n/G2";

export interface ConcordanceOptions {
  /**
   * Weight of a pair whose shorter time is the event time t: "n" 1 (Harrell); "S" n·S(t-)/n(t);
   * "S/G" n·S(t-)/(G(t-)·n(t)); "n/G2" 1/G(t-)² (with ymax = τ this is Uno's C). S is the
   * Kaplan–Meier of the event, G that of censoring, n(t) the number at risk.
   */
  timewt?: ConcordanceTimewt;
  /** Pairs whose shorter (event) time is > ymax are ignored (R's ymax). null/undefined = no truncation. */
  ymax?: number | null;
  /**
   * Stratum per row (R's strata()): pairs are formed within strata only, counts summed. With
   * strata, weights, start or cluster the computation is survival's concordancefit for timewt
   * "n" (the only time weight supported then) without ymax.
   */
  strata?: ArrayLike<string | number>;
  /** Case weights (> 0): a pair weighs w_i w_j; the IJ variance uses weighted influences. */
  weights?: ArrayLike<number>;
  /** Entry times of (start, stop] rows (`time` is the stop time): comparisons within risk sets. */
  start?: ArrayLike<number>;
  /** Cluster per row: influences summed within clusters for the variance (R's cluster). */
  cluster?: ArrayLike<string | number>;
}

export interface ConcordanceResult {
  /** (concordant + tiedRisk/2) / (concordant + discordant + tiedRisk); NaN (with a warning) when no pair is comparable. */
  c: number;
  /** sqrt(variance). */
  se: number;
  /** Infinitesimal-jackknife variance of c (survival's default `var`). */
  variance: number;
  /** Comparable pairs where the earlier event has the higher risk (time-weighted unless timewt = "n"). */
  concordant: number;
  discordant: number;
  /** Comparable pairs tied on risk (R's tied.x). */
  tiedRisk: number;
  /** Pairs of events at the same time with different risk (R's tied.y; not comparable). */
  tiedTime: number;
  /** Pairs of events at the same time and the same risk (R's tied.xy; not comparable). */
  tiedBoth: number;
  /**
   * Somers' Dxy = 2(c - 1/2) and its standard deviation 2·se. For timewt "n" without ymax these
   * equal Hmisc::rcorr.cens(-risk, Surv(time, status))'s "Dxy" and "S.D." (outx = FALSE).
   */
  dxy: number;
  dxySd: number;
  n: number;
  timewt: ConcordanceTimewt;
  ymax: number | null;
  /** R-like notes on numerical trouble (e.g. no comparable pairs). */
  warnings: string[];
}

/** Internals shared with compareConcordance: the result plus each observation's IJ influence on c. */
export interface ConcordanceWithInfluence extends ConcordanceResult {
  /** d c / d w_i (R's dfbeta with influence = 1); variance = sum of squares. */
  dfbeta: Float64Array;
}

const TIMEWTS: readonly ConcordanceTimewt[] = ["n", "S", "S/G", "n/G2"];

/**
 * Harrell's C for a risk score: higher risk = earlier event (R's `concordance(..., reverse = TRUE)`).
 * For a predictor where larger values mean longer survival, pass its negative.
 */
export function concordance(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  risk: ArrayLike<number>,
  options: ConcordanceOptions = {},
): ConcordanceResult {
  if (options.strata != null || options.weights != null || options.start != null || options.cluster != null) {
    return generalConcordance(time, status, risk, options);
  }
  const { dfbeta: _dfbeta, ...result } = concordanceWithInfluence(time, status, risk, options, "concordance");
  return result;
}

/** concordance() with strata / weights / (start, stop] / cluster (see ConcordanceOptions.strata). */
function generalConcordance(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  risk: ArrayLike<number>,
  options: ConcordanceOptions,
): ConcordanceResult {
  const what = "concordance";
  const input = survivalInput(time, status, what);
  const n = input.n;
  checkLength(risk, n, "risk", what);
  const timewt = options.timewt ?? "n";
  if (timewt !== "n") throw new InputError(`${what}: with strata, weights, start or cluster only timewt "n" is supported`);
  if (options.ymax != null) throw new InputError(`${what}: ymax is not supported together with strata, weights, start or cluster`);
  const stop = tieTimes(input.time);
  const start = options.start != null ? startTimes(options.start, input.time, what) : null;
  const r = concordanceCounting({
    time: stop,
    status: input.status,
    risk,
    start,
    strata: options.strata != null ? factorCodes(options.strata, n, "strata", what).codes : null,
    weights: options.weights != null ? caseWeights(options.weights, n, what) : null,
    cluster: options.cluster != null ? factorCodes(options.cluster, n, "cluster", what).codes : null,
  });
  const warnings: string[] = [];
  if (!(r.concordant + r.discordant + r.tiedRisk > 0)) warnings.push("No comparable pairs; the concordance is undefined (R returns NaN).");
  return {
    c: r.c,
    se: r.se,
    variance: r.variance,
    concordant: r.concordant,
    discordant: r.discordant,
    tiedRisk: r.tiedRisk,
    tiedTime: r.tiedTime,
    tiedBoth: r.tiedBoth,
    dxy: 2 * (r.c - 0.5),
    dxySd: 2 * r.se,
    n,
    timewt,
    ymax: null,
    warnings,
  };
}

/** concordance() plus the per-observation influence; `what` names the public caller in error messages. */
export function concordanceWithInfluence(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  risk: ArrayLike<number>,
  options: ConcordanceOptions,
  what: string,
  riskName = "risk",
): ConcordanceWithInfluence {
  const input = survivalInput(time, status, what);
  const n = input.n;
  checkLength(risk, n, riskName, what);
  const timewt = options.timewt ?? "n";
  if (!TIMEWTS.includes(timewt)) {
    throw new InputError(`${what}: timewt is "${String(timewt)}"; use one of ${TIMEWTS.map((s) => `"${s}"`).join(", ")}`);
  }
  const ymax = options.ymax ?? null;
  if (ymax !== null && (typeof ymax !== "number" || Number.isNaN(ymax))) {
    throw new InputError(`${what}: ymax must be a number or null, got ${String(ymax)}`);
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = risk[i];
    // R drops the whole fit on NA; infinite scores still rank, so only NaN is refused.
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new InputError(`${what}: ${riskName} at row ${i + 1} is ${String(v)}; remove or impute missing values first (R's na.omit)`);
    }
    x[i] = v;
  }
  return concordanceCore(tieTimes(input.time), input.status, x, timewt, ymax);
}

/**
 * survival's timefix (aeqSurv): times closer than all.equal's tolerance are made identical, so that
 * e.g. 1.1 - 1.0 and 0.1 are treated as the same time, as R does.
 */
export function tieTimes(time: Float64Array): Float64Array {
  const tol = Math.sqrt(2.220446049250313e-16);
  const u = Array.from(new Set(time)).sort((a, b) => a - b);
  if (u.length < 2) return time;
  let meanAbs = 0;
  for (const v of u) meanAbs += Math.abs(v);
  meanAbs /= u.length;
  // cut[k] = the value that all times in u's k-th run of near-equal values collapse to (the smallest).
  const canon = new Map<number, number>();
  let anyTied = false;
  let cut = u[0];
  canon.set(u[0], cut);
  for (let k = 1; k < u.length; k++) {
    const dy = u[k] - u[k - 1];
    const tied = dy <= tol || dy / meanAbs <= tol;
    if (tied) anyTied = true;
    else cut = u[k];
    canon.set(u[k], cut);
  }
  if (!anyTied) return time;
  const out = new Float64Array(time.length);
  for (let i = 0; i < time.length; i++) out[i] = canon.get(time[i]) as number;
  return out;
}

/** Dense ranks 1..m of x (exact ties share a rank, as R's match(x, sort(unique(x)))). */
function denseRanks(x: Float64Array): { rank: Int32Array; m: number } {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || 0);
  const rank = new Int32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    if (k === 0 || x[order[k]] !== x[order[k - 1]]) m++;
    rank[order[k]] = m;
  }
  return { rank, m };
}

/**
 * Weight of each distinct event time (ascending), from the Kaplan–Meier of the events (S) and of
 * censoring (G), both taken just before t. At a time with both events and censorings the events
 * come first, so G(t-) excludes censoring at t and censoring at t is not "at risk" for G's own drop
 * ... exactly as survival's fastkm1.
 */
function timeWeights(
  time: Float64Array,
  status: Uint8Array,
  byTime: number[],
  eventTimes: number[],
  timewt: ConcordanceTimewt,
): Float64Array {
  const k = eventTimes.length;
  const w = new Float64Array(k);
  if (timewt === "n") {
    w.fill(1);
    return w;
  }
  const n = time.length;
  // byTime is ascending in time; walk it grouping equal times.
  let S = 1;
  let G = 1;
  let atRisk = n;
  let e = 0;
  for (let a = 0; a < n && e < k; ) {
    const t = time[byTime[a]];
    let d = 0;
    let c = 0;
    let b = a;
    while (b < n && time[byTime[b]] === t) {
      if (status[byTime[b]] === 1) d++;
      else c++;
      b++;
    }
    if (d > 0) {
      const nrisk = atRisk;
      w[e++] =
        timewt === "S" ? (n * S) / nrisk : timewt === "S/G" ? (n * S) / (G * nrisk) : 1 / (G * G);
      S *= (nrisk - d) / nrisk;
    }
    if (c > 0) {
      // Censoring at t is evaluated after the events at t have left the risk set.
      const nAtCensor = atRisk - d;
      G *= (nAtCensor - c) / nAtCensor;
    }
    atRisk -= d + c;
    a = b;
  }
  return w;
}

function concordanceCore(
  time: Float64Array,
  status: Uint8Array,
  x: Float64Array,
  timewt: ConcordanceTimewt,
  ymax: number | null,
): ConcordanceWithInfluence {
  const n = time.length;
  const warnings: string[] = [];
  // Ascending time; at equal times events before censorings (only the grouping matters below).
  const byTime = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => time[a] - time[b] || status[b] - status[a] || x[a] - x[b],
  );
  const eventTimes: number[] = [];
  let nEvent = 0;
  for (const i of byTime) {
    if (status[i] === 1) {
      nEvent++;
      if (eventTimes.length === 0 || eventTimes[eventTimes.length - 1] !== time[i]) eventTimes.push(time[i]);
    }
  }
  // With fewer than two events the KM-based weights are meaningless; survival falls back to "n".
  const wt = timeWeights(time, status, byTime, eventTimes, nEvent < 2 ? "n" : timewt);
  if (ymax !== null) for (let k = 0; k < wt.length; k++) if (eventTimes[k] > ymax) wt[k] = 0;

  const { rank, m } = denseRanks(x);
  const atRisk = new Fenwick(m); // observations already known to outlive the current time
  const events = new Fenwick(m); // events seen so far, each weighted by its time weight
  // Influence of each observation on the concordant / discordant / tied-risk totals.
  const infC = new Float64Array(n);
  const infD = new Float64Array(n);
  const infT = new Float64Array(n);
  let concordant = 0;
  let discordant = 0;
  let tiedRisk = 0;
  let tiedTime = 0;
  let tiedBoth = 0;

  // Registers i as "longer than every later-visited event": its pairs with events seen from now on
  // are found at the end as (events tree at end) - (events tree now).
  const enter = (i: number): void => {
    const r = rank[i];
    const below = events.below(r);
    const eq = events.at[r];
    infC[i] -= events.total - below - eq; // earlier events with higher risk
    infD[i] -= below;
    infT[i] -= eq;
    atRisk.add(r, 1);
  };

  let e = eventTimes.length; // index into wt, counting down
  for (let a = n - 1; a >= 0; ) {
    const t = time[byTime[a]];
    let b = a;
    while (b >= 0 && time[byTime[b]] === t) b--;
    // byTime[b+1 .. a] share time t: events first in the array, so censorings are at the top end.
    let firstCensor = a + 1;
    while (firstCensor - 1 > b && status[byTime[firstCensor - 1]] === 0) firstCensor--;
    // A censoring tied with an event counts as the longer time: enter censorings before the events.
    for (let j = a; j >= firstCensor; j--) enter(byTime[j]);
    if (firstCensor - 1 > b) {
      const w = wt[--e];
      // Pass 1: each event against everyone longer (not other events at t).
      for (let j = b + 1; j < firstCensor; j++) {
        const i = byTime[j];
        const r = rank[i];
        const below = atRisk.below(r);
        const eq = atRisk.at[r];
        const above = atRisk.total - below - eq;
        concordant += w * below;
        discordant += w * above;
        tiedRisk += w * eq;
        infC[i] += w * below;
        infD[i] += w * above;
        infT[i] += w * eq;
      }
      // Events tied on time are not comparable; split them into same-risk and different-risk pairs.
      const d = firstCensor - 1 - b;
      let sameRisk = 0;
      for (let j = b + 1; j < firstCensor; ) {
        let g = j;
        while (g < firstCensor && x[byTime[g]] === x[byTime[j]]) g++;
        const size = g - j;
        sameRisk += (size * (size - 1)) / 2;
        j = g;
      }
      tiedBoth += w * sameRisk;
      tiedTime += w * ((d * (d - 1)) / 2 - sameRisk);
      for (let j = b + 1; j < firstCensor; j++) events.add(rank[byTime[j]], w);
      // Pass 2: only now do the events at t become "longer" for earlier events.
      for (let j = b + 1; j < firstCensor; j++) enter(byTime[j]);
    }
    a = b;
  }
  for (let i = 0; i < n; i++) {
    const r = rank[i];
    const below = events.below(r);
    const eq = events.at[r];
    infC[i] += events.total - below - eq;
    infD[i] += below;
    infT[i] += eq;
  }

  const npair = concordant + discordant + tiedRisk;
  const somers = (concordant - discordant) / npair;
  const c = (somers + 1) / 2;
  const dfbeta = new Float64Array(n);
  let variance: number;
  if (npair > 0) {
    // IJ: derivative of Somers' d w.r.t. each case weight, halved for c.
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = ((infC[i] - infD[i]) / npair - (somers / npair) * (infC[i] + infD[i] + infT[i])) / 2;
      dfbeta[i] = v;
      ss += v * v;
    }
    variance = ss;
  } else {
    dfbeta.fill(NaN);
    variance = NaN;
    warnings.push(
      nEvent === 0
        ? "No events: there are no comparable pairs, so the concordance is undefined (R returns NaN)."
        : "No comparable pairs (each pair is tied on time or its shorter time is censored" +
            (ymax !== null ? ", or its event time is after ymax" : "") +
            "); the concordance is undefined (R returns NaN).",
    );
  }
  const se = Math.sqrt(variance);
  return {
    c,
    se,
    variance,
    concordant,
    discordant,
    tiedRisk,
    tiedTime,
    tiedBoth,
    dxy: 2 * (c - 0.5),
    dxySd: 2 * se,
    n,
    timewt,
    ymax,
    warnings,
    dfbeta,
  };
}
