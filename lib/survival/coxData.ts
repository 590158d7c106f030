/**
 * The pieces of a Cox model beyond plain right-censored rows — strata, case weights, offsets,
 * (start, stop] rows and clusters — as R's coxph takes them: input checks, the sort order the
 * fitting routines use, and one risk-set sweep shared by the residuals, the baseline hazard and
 * cox.zph.
 *
 * Risk sets: for right-censored rows the risk set at t is {stop >= t}; for (start, stop] rows
 * it is {start < t <= stop} (late entry), as survival's agreg.fit. Everything happens within a
 * stratum: each stratum has its own baseline hazard, and the partial likelihood is the sum over
 * strata. A stratum without events contributes nothing (as R).
 */
import { InputError } from "../errors.js";
import { checkLength, levelsOf } from "./input.js";

export type StratumValue = string | number;

/** Parsed strata: a code per row into `levels` (R's factor order). */
export interface StrataCodes {
  codes: Int32Array;
  levels: StratumValue[];
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** Strata (or clusters): one non-missing value per row, coded by R's factor level order. */
export function factorCodes(values: ArrayLike<StratumValue | null | undefined>, n: number, name: string, what: string): StrataCodes {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new InputError(`${what}: ${name} must be an array with one value per row`);
  }
  checkLength(values, n, name, what);
  for (let i = 0; i < n; i++) {
    if (isMissing(values[i])) {
      throw new InputError(`${what}: ${name} is missing (${values[i]}) at row ${i + 1}; remove incomplete rows first (R's na.omit)`);
    }
  }
  const levels = levelsOf(values);
  const numeric = levels.every((v) => typeof v === "number");
  const map = new Map<StratumValue, number>();
  levels.forEach((l, k) => map.set(l, k));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as StratumValue;
    codes[i] = map.get(numeric ? v : String(v)) as number;
  }
  return { codes, levels };
}

/** Case weights: finite and > 0 (R: "Invalid weights, must be >0"). */
export function caseWeights(values: ArrayLike<number>, n: number, what: string): Float64Array {
  checkLength(values, n, "weights", what);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${what}: weights at row ${i + 1} is ${v}; weights must be finite numbers`);
    }
    if (v < 0) throw new InputError(`${what}: weights at row ${i + 1} is negative (${v}); case weights must be > 0`);
    if (v === 0) throw new InputError(`${what}: weights at row ${i + 1} is 0; case weights must be > 0 (R: "Invalid weights, must be >0"); drop the row instead`);
    w[i] = v;
  }
  return w;
}

/** An offset: a finite number per row (R refuses NA in the model frame). */
export function offsetValues(values: ArrayLike<number>, n: number, what: string): Float64Array {
  checkLength(values, n, "offset", what);
  const o = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${what}: offset at row ${i + 1} is ${v}; an offset must be a finite number on every row`);
    }
    o[i] = v;
  }
  return o;
}

/**
 * Entry times of (start, stop] rows: finite and strictly before the row's stop time. R's Surv()
 * would turn a row with start >= stop into NA (and drop it with a warning); here it is an error
 * naming the row, since it is nearly always a data-preparation mistake.
 */
export function startTimes(values: ArrayLike<number>, stop: Float64Array, what: string): Float64Array {
  const n = stop.length;
  checkLength(values, n, "start", what);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${what}: start at row ${i + 1} is ${v}; start times must be finite`);
    }
    if (!(v < stop[i])) {
      throw new InputError(`${what}: start (${v}) is not before the stop time (${stop[i]}) at row ${i + 1}; (start, stop] intervals need start < stop`);
    }
    s[i] = v;
  }
  return s;
}

/**
 * Rows sorted for the risk-set sweeps: by stratum, then stop time ascending (stable, as R's
 * order(strata, time)). For (start, stop] data, `startOrder` lists the sorted positions within
 * each stratum by start time ascending, so a backward sweep can drop rows as t passes their entry.
 */
export interface SortedRows {
  n: number;
  /** order[r] = input row at sorted position r. */
  order: Int32Array;
  stop: Float64Array;
  start: Float64Array | null;
  status: Uint8Array;
  weights: Float64Array;
  /** Stratum code per sorted row. */
  stratum: Int32Array;
  /** 1 at the last sorted row of each stratum. */
  stratumEnd: Uint8Array;
  /** Sorted positions [from, to) of each non-empty stratum, in level order. */
  blocks: Array<{ code: number; from: number; to: number }>;
  /** For (start, stop] data: sorted positions, by (stratum, start) ascending. */
  startOrder: Int32Array | null;
}

export function sortRows(
  stop: Float64Array,
  start: Float64Array | null,
  status: Uint8Array,
  weights: Float64Array | null,
  strata: Int32Array | null,
): SortedRows {
  const n = stop.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  if (strata) idx.sort((a, b) => strata[a] - strata[b] || stop[a] - stop[b] || a - b);
  else idx.sort((a, b) => stop[a] - stop[b] || a - b);
  const order = Int32Array.from(idx);
  const stratum = strata ? Int32Array.from(order, (i) => strata[i]) : new Int32Array(n);
  const stratumEnd = new Uint8Array(n);
  const blocks: SortedRows["blocks"] = [];
  let from = 0;
  for (let r = 0; r < n; r++) {
    if (r === n - 1 || stratum[r + 1] !== stratum[r]) {
      stratumEnd[r] = 1;
      blocks.push({ code: stratum[r], from, to: r + 1 });
      from = r + 1;
    }
  }
  const sStart = start ? Float64Array.from(order, (i) => start[i]) : null;
  let startOrder: Int32Array | null = null;
  if (sStart) {
    const pos = Array.from({ length: n }, (_, r) => r);
    pos.sort((a, b) => stratum[a] - stratum[b] || sStart[a] - sStart[b] || a - b);
    startOrder = Int32Array.from(pos);
  }
  return {
    n,
    order,
    stop: Float64Array.from(order, (i) => stop[i]),
    start: sStart,
    status: Uint8Array.from(order, (i) => status[i]),
    weights: weights ? Float64Array.from(order, (i) => weights[i]) : new Float64Array(n).fill(1),
    stratum,
    stratumEnd,
    blocks,
    startOrder,
  };
}

/** What a sweep reports at one distinct stop time of one stratum. */
export interface RiskSetAtTime {
  /** Stratum code. */
  code: number;
  time: number;
  /** Sorted positions [from, to) with this stop time. */
  from: number;
  to: number;
  /** Sum of weight × risk over the risk set (deaths at t included). */
  s0: number;
  /** Sum of weight × risk × x over the risk set (length p, reused buffer). */
  s1: Float64Array;
  /** The same two sums over the deaths at t only. */
  e0: number;
  e1: Float64Array;
  /** Sum of weights (no risk) over the risk set, and the number of rows in it. */
  nRiskWeighted: number;
  nRisk: number;
  /** Number of deaths at t and the sum of their weights. */
  nDeath: number;
  deadWeight: number;
  censorWeight: number;
}

/**
 * Backward sweep over every distinct stop time of every stratum, keeping the risk-set sums
 * s0 = Σ w r and s1 = Σ w r x, with rows leaving (for (start, stop] data) once t <= start.
 * `risk` and `x` (row-major n × p) are in sorted order. Calls `visit` from the latest time of
 * a stratum to its earliest; strata in level order.
 */
export function sweepRiskSets(
  rows: SortedRows,
  risk: Float64Array,
  x: Float64Array,
  p: number,
  visit: (at: RiskSetAtTime) => void,
): void {
  const { stop, start, status, weights, startOrder } = rows;
  const s1 = new Float64Array(p);
  const e1 = new Float64Array(p);
  const at: RiskSetAtTime = {
    code: 0, time: 0, from: 0, to: 0, s0: 0, s1, e0: 0, e1,
    nRiskWeighted: 0, nRisk: 0, nDeath: 0, deadWeight: 0, censorWeight: 0,
  };
  for (const block of rows.blocks) {
    let s0 = 0;
    let nw = 0;
    let nr = 0;
    s1.fill(0);
    let sp = block.to - 1; // pointer into startOrder, latest entry first
    let r = block.to - 1;
    while (r >= block.from) {
      const t = stop[r];
      if (start && startOrder) {
        // Rows whose interval starts at or after t are not at risk at t.
        while (sp >= block.from && (start[startOrder[sp]] as number) >= t) {
          const q = startOrder[sp--];
          nr--;
          if (nr === 0) {
            // Everyone has left: start the sums afresh (no rounding residue).
            s0 = 0;
            nw = 0;
            s1.fill(0);
          } else {
            const wr = weights[q] * risk[q];
            s0 -= wr;
            nw -= weights[q];
            for (let k = 0; k < p; k++) s1[k] -= wr * x[q * p + k];
          }
        }
      }
      let e0 = 0;
      let nd = 0;
      let dw = 0;
      let cw = 0;
      e1.fill(0);
      const to = r + 1;
      while (r >= block.from && stop[r] === t) {
        const wr = weights[r] * risk[r];
        s0 += wr;
        nw += weights[r];
        nr++;
        for (let k = 0; k < p; k++) s1[k] += wr * x[r * p + k];
        if (status[r] === 1) {
          e0 += wr;
          nd++;
          dw += weights[r];
          for (let k = 0; k < p; k++) e1[k] += wr * x[r * p + k];
        } else {
          cw += weights[r];
        }
        r--;
      }
      at.code = block.code;
      at.time = t;
      at.from = r + 1;
      at.to = to;
      at.s0 = s0;
      at.e0 = e0;
      at.nRiskWeighted = nw;
      at.nRisk = nr;
      at.nDeath = nd;
      at.deadWeight = dw;
      at.censorWeight = cw;
      visit(at);
    }
  }
}

/**
 * Per-death-time hazard pieces, Efron-adjusted when `efron`: the d tied deaths leave the risk
 * set in d equal steps (step j sees s0 - (j/d) e0), each step carrying the mean death weight.
 *  - dH, dXH: increments of the cumulative hazard and of Σ xbar dH for rows at risk that are
 *    not among the deaths at t;
 *  - dHd, dXHd: the same for each death at t (its own share shrinks with the steps);
 *  - xbarMean: the mean over the steps of the risk-set mean of x (the death's own "expected x").
 */
export interface HazardPieces {
  dH: number;
  dHd: number;
  dXH: Float64Array;
  dXHd: Float64Array;
  xbarMean: Float64Array;
}

export function hazardPieces(at: RiskSetAtTime, p: number, efron: boolean, out: HazardPieces): void {
  out.dXH.fill(0);
  out.dXHd.fill(0);
  out.xbarMean.fill(0);
  const d = at.nDeath;
  if (!efron || d < 2) {
    const h = at.deadWeight / at.s0;
    out.dH = h;
    out.dHd = h;
    for (let k = 0; k < p; k++) {
      const m = at.s1[k] / at.s0;
      out.dXH[k] = m * h;
      out.dXHd[k] = m * h;
      out.xbarMean[k] = m;
    }
    return;
  }
  const meanwt = at.deadWeight / d;
  let dH = 0;
  let dHd = 0;
  for (let j = 0; j < d; j++) {
    const f = j / d;
    const denom = at.s0 - f * at.e0;
    const h = meanwt / denom;
    dH += h;
    dHd += h * (1 - f);
    for (let k = 0; k < p; k++) {
      const m = (at.s1[k] - f * at.e1[k]) / denom;
      out.dXH[k] += m * h;
      out.dXHd[k] += m * h * (1 - f);
      out.xbarMean[k] += m / d;
    }
  }
  out.dH = dH;
  out.dHd = dHd;
}

/**
 * Martingale and (optionally) score residuals per input row: martingale = status - r Λ_i and
 * score = status (x - xbar) - r ∫ (x - xbar) dΛ over the row's own risk interval, with Efron's
 * shares for tied deaths (R's coxmart/agmart3 and coxscore2/agscore2). `lp` is per input row,
 * `xRows` input-row-major n × p (any centring: the residuals do not depend on it). Unweighted
 * (R's weighted = FALSE); multiply by the case weight for dfbeta.
 */
export function coxResiduals(
  rows: SortedRows,
  lp: ArrayLike<number>,
  xRows: Float64Array | null,
  p: number,
  efron: boolean,
): { martingale: Float64Array; score: Float64Array | null } {
  const n = rows.n;
  const { order, stop, start, status } = rows;
  const q = xRows ? p : 0;
  // Risk scores relative to the largest, per sorted row (ratios are all that matter).
  let lpMax = -Infinity;
  for (let i = 0; i < n; i++) if (lp[i] > lpMax) lpMax = lp[i];
  const risk = Float64Array.from(order, (i) => Math.exp(lp[i] - lpMax));
  const xs = new Float64Array(n * q);
  if (xRows) for (let r = 0; r < n; r++) for (let k = 0; k < q; k++) xs[r * q + k] = xRows[order[r] * q + k];

  // Per stratum: the death times ascending with cumulative H and XH *before* each (so that the
  // sum over death times in (a, b] is an index difference), plus the death-time pieces.
  const martingale = new Float64Array(n);
  const score = xRows ? new Float64Array(n * q) : null;
  const pieces: HazardPieces = { dH: 0, dHd: 0, dXH: new Float64Array(q), dXHd: new Float64Array(q), xbarMean: new Float64Array(q) };
  for (const block of rows.blocks) {
    const times: number[] = [];
    const dH: number[] = [];
    const dHd: number[] = [];
    const dXH: Float64Array[] = [];
    const dXHd: Float64Array[] = [];
    const xbarMean: Float64Array[] = [];
    const sub: SortedRows = { ...rows, blocks: [block] };
    sweepRiskSets(sub, risk, xs, q, (at) => {
      if (at.nDeath === 0) return;
      hazardPieces(at, q, efron, pieces);
      times.push(at.time);
      dH.push(pieces.dH);
      dHd.push(pieces.dHd);
      dXH.push(Float64Array.from(pieces.dXH));
      dXHd.push(Float64Array.from(pieces.dXHd));
      xbarMean.push(Float64Array.from(pieces.xbarMean));
    });
    // The sweep visits times backwards; put them ascending and accumulate.
    times.reverse();
    dH.reverse();
    dHd.reverse();
    dXH.reverse();
    dXHd.reverse();
    xbarMean.reverse();
    const m = times.length;
    const cumH = new Float64Array(m + 1);
    const cumXH = new Float64Array((m + 1) * q);
    for (let j = 0; j < m; j++) {
      cumH[j + 1] = cumH[j] + dH[j];
      for (let k = 0; k < q; k++) cumXH[(j + 1) * q + k] = cumXH[j * q + k] + dXH[j][k];
    }
    // Number of death times <= t.
    const upto = (t: number): number => {
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[mid] <= t) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (let r = block.from; r < block.to; r++) {
      const a = start ? upto(start[r]) : 0;
      let b = upto(stop[r]);
      const dead = status[r] === 1;
      // A death's own time is handled with its Efron share.
      if (dead) b--;
      let H = cumH[b] - cumH[a];
      if (dead) H += dHd[b];
      const i = order[r];
      martingale[i] = status[r] - risk[r] * H;
      if (score) {
        for (let k = 0; k < q; k++) {
          const xk = xs[r * q + k];
          let xh = cumXH[b * q + k] - cumXH[a * q + k];
          if (dead) xh += dXHd[b][k];
          let v = -risk[r] * (xk * H - xh);
          if (dead) v += xk - xbarMean[b][k];
          score[i * q + k] = v;
        }
      }
    }
  }
  return { martingale, score };
}
