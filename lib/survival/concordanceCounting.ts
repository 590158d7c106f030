/**
 * Harrell's C with strata, case weights, (start, stop] rows and clusters — what R's coxph
 * reports as $concordance (survival 3.5.3's concordancefit with reverse = TRUE, timewt "n",
 * timefix = FALSE) when the fit has any of them.
 *
 * Pairs are formed within a stratum only. An event of row i at time t is compared with every
 * row j at risk at t (start_j < t <= stop_j, censored at t included) that is not itself an event
 * at t; the pair weighs w_i w_j. Events at the same time are tied on time (not comparable).
 * The variance is the infinitesimal jackknife: each row's influence on Somers' d, times its
 * weight, summed within clusters when a cluster is given; var(C) = Σ (summed influence)² / 4.
 *
 * Cost O(n log n): a backward sweep over time with two Fenwick trees over the risk ranks (rows
 * at risk, weighted; events seen, weighted). A row's pairs with later-visited events are the
 * change in the events tree between its entry into and its exit from the risk set.
 */
import { InputError } from "../errors.js";
import { Fenwick } from "./fenwick.js";

export interface CountingConcordanceInput {
  /** Stop times (or plain times). */
  time: ArrayLike<number>;
  status: ArrayLike<number>;
  /** Higher risk = earlier event. */
  risk: ArrayLike<number>;
  start?: ArrayLike<number> | null;
  /** Stratum codes (any integers). */
  strata?: ArrayLike<number> | null;
  weights?: ArrayLike<number> | null;
  /** Cluster codes 0..k-1. */
  cluster?: ArrayLike<number> | null;
}

export interface CountingConcordance {
  c: number;
  se: number;
  variance: number;
  concordant: number;
  discordant: number;
  tiedRisk: number;
  tiedTime: number;
  tiedBoth: number;
  n: number;
}

export function concordanceCounting(input: CountingConcordanceInput): CountingConcordance {
  const n = input.time.length;
  const { time, status, risk } = input;
  const start = input.start ?? null;
  const w = (i: number) => (input.weights ? input.weights[i] : 1);
  for (let i = 0; i < n; i++) {
    if (typeof risk[i] !== "number" || Number.isNaN(risk[i])) throw new InputError(`concordance: risk at row ${i + 1} is ${risk[i]}`);
  }
  // Rows per stratum.
  const byStratum = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const s = input.strata ? input.strata[i] : 0;
    let list = byStratum.get(s);
    if (!list) byStratum.set(s, (list = []));
    list.push(i);
  }
  const infC = new Float64Array(n);
  const infD = new Float64Array(n);
  const infT = new Float64Array(n);
  let concordant = 0;
  let discordant = 0;
  let tiedRisk = 0;
  let tiedTime = 0;
  let tiedBoth = 0;

  for (const rowsOf of byStratum.values()) {
    // Dense risk ranks within the stratum.
    const sortedRisk = Array.from(new Set(rowsOf.map((i) => risk[i]))).sort((a, b) => a - b);
    const rankOf = new Map<number, number>();
    sortedRisk.forEach((v, k) => rankOf.set(v, k + 1));
    const rank = (i: number) => rankOf.get(risk[i]) as number;
    const m = sortedRisk.length;
    const atRisk = new Fenwick(m);
    const events = new Fenwick(m);
    const inRisk = new Uint8Array(n);
    const enter = (i: number): void => {
      const r = rank(i);
      const below = events.below(r);
      const eq = events.at[r];
      infC[i] -= events.total - below - eq;
      infD[i] -= below;
      infT[i] -= eq;
      atRisk.add(r, w(i));
      inRisk[i] = 1;
    };
    const leave = (i: number): void => {
      const r = rank(i);
      const below = events.below(r);
      const eq = events.at[r];
      infC[i] += events.total - below - eq;
      infD[i] += below;
      infT[i] += eq;
      atRisk.add(r, -w(i));
      inRisk[i] = 0;
    };
    const byStop = [...rowsOf].sort((a, b) => time[b] - time[a] || status[a] - status[b]);
    const byStart = start ? [...rowsOf].sort((a, b) => start[b] - start[a]) : [];
    let sp = 0;
    for (let a = 0; a < byStop.length; ) {
      const t = time[byStop[a]];
      let b = a;
      while (b < byStop.length && time[byStop[b]] === t) b++;
      // Rows entering at or after t are not at risk at t.
      if (start) {
        while (sp < byStart.length && start[byStart[sp]] >= t) {
          const j = byStart[sp++];
          if (inRisk[j]) leave(j);
        }
      }
      const deaths: number[] = [];
      for (let k = a; k < b; k++) {
        const i = byStop[k];
        if (status[i] === 1) deaths.push(i);
        else enter(i); // censored at t: longer than the events at t
      }
      if (deaths.length > 0) {
        for (const i of deaths) {
          const r = rank(i);
          const below = atRisk.below(r);
          const eq = atRisk.at[r];
          const above = atRisk.total - below - eq;
          const wi = w(i);
          concordant += wi * below;
          discordant += wi * above;
          tiedRisk += wi * eq;
          infC[i] += below;
          infD[i] += above;
          infT[i] += eq;
        }
        // Events at the same time: tied on time; split by equal / different risk.
        deaths.sort((x, y) => risk[x] - risk[y]);
        let wAll = 0;
        let wSq = 0;
        for (const i of deaths) {
          wAll += w(i);
          wSq += w(i) * w(i);
        }
        let same = 0;
        for (let g = 0; g < deaths.length; ) {
          let h = g;
          let ws = 0;
          let ws2 = 0;
          while (h < deaths.length && risk[deaths[h]] === risk[deaths[g]]) {
            ws += w(deaths[h]);
            ws2 += w(deaths[h]) * w(deaths[h]);
            h++;
          }
          same += (ws * ws - ws2) / 2;
          g = h;
        }
        tiedBoth += same;
        tiedTime += (wAll * wAll - wSq) / 2 - same;
        for (const i of deaths) events.add(rank(i), w(i));
        for (const i of deaths) enter(i);
      }
      a = b;
    }
    for (const i of rowsOf) if (inRisk[i]) leave(i);
  }

  const npair = concordant + discordant + tiedRisk;
  const somers = (concordant - discordant) / npair;
  const c = (somers + 1) / 2;
  let variance = NaN;
  if (npair > 0) {
    const nGroups = input.cluster ? Math.max(-1, ...Array.from(input.cluster)) + 1 : n;
    const dfbeta = new Float64Array(nGroups);
    for (let i = 0; i < n; i++) {
      const v = w(i) * ((infC[i] - infD[i]) / npair - (somers / npair) * (infC[i] + infD[i] + infT[i]));
      dfbeta[input.cluster ? input.cluster[i] : i] += v;
    }
    let ss = 0;
    for (let g = 0; g < nGroups; g++) ss += dfbeta[g] * dfbeta[g];
    variance = ss / 4;
  }
  return { c, se: Math.sqrt(variance), variance, concordant, discordant, tiedRisk, tiedTime, tiedBoth, n };
}
