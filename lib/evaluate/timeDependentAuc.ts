/**
 * Time-dependent ROC AUC at a horizon t, cumulative cases / dynamic controls, with inverse probability
 * of censoring weights (Uno et al. 2007; Blanche et al. 2013) — the estimate of timeROC and of
 * riskRegression::Score(..., metrics = "auc", cens.model = "km"):
 *
 *   cases    i: T_i <= t with an event,  weight 1 / G(T_i−)
 *   controls j: T_j > t,                 weight 1 / G(t)
 *   AUC(t) = Σ_i Σ_j w_i w_j ([r_i > r_j] + ½ [r_i = r_j]) / (Σ_i w_i · Σ_j w_j)
 *
 * Rows censored at or before t are neither cases nor controls (weight 0); the weights put their share
 * back. G is the reverse Kaplan–Meier (the "survival" of the censoring) with prodlim's convention at
 * tied times: deaths leave the censoring risk set before the censorings at the same time.
 *
 * The standard error is Score's (riskRegression 2022.11.28, conservative = FALSE): the empirical SD of
 * the influence function of AUC(t) over rows / √n, where the influence function includes the term from
 * estimating G (through the influence function of the Nelson–Aalen hazard of censoring); the 95%
 * limits are Wald limits clipped to [0, 1].
 *
 * The IPCW machinery (G, the censoring influence term) is exported for the Brier score.
 */
import { check } from "../errors.js";
import { qnorm } from "../stats/distributions.js";
import { survivalInput } from "../survival/input.js";
import { riskVector } from "./decisionCurve.js";

export interface TimeDependentAucInput {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
  /** Predicted probability of an event by t (any score that orders risk gives the same AUC). */
  risk: ArrayLike<number>;
  t: number;
  /** Coverage of the confidence interval. Default 0.95. */
  confLevel?: number;
}

export interface TimeDependentAucResult {
  t: number;
  auc: number;
  se: number;
  lower: number;
  upper: number;
  /** Cases (event by t) and controls (event-free beyond t); rows censored by t count in neither. */
  nCases: number;
  nControls: number;
  nCensored: number;
  /** Reverse-KM G(t), the probability of being still uncensored at t. */
  gAtT: number;
  confLevel: number;
  warnings: string[];
}

/**
 * Per-row IPCW quantities at horizon t. Rows are addressed in the caller's order; `group` maps each
 * row to its distinct time (ascending).
 */
export interface CensoringWeights {
  n: number;
  t: number;
  time: Float64Array;
  status: Uint8Array;
  /** 1 = case, 2 = control, 0 = censored at or before t. */
  role: Uint8Array;
  /** The row's weight: 1 / G(T_i−) for cases, 1 / G(t) for controls, 0 otherwise. */
  weight: Float64Array;
  gAtT: number;
  /** Index of each row's distinct time. */
  group: Int32Array;
  /** Distinct times, number at risk Y (T >= u) and censorings there. */
  utime: Float64Array;
  atRisk: Float64Array;
  censored: Float64Array;
  /** Index of the last distinct time <= t (−1 when none). */
  lastGroupAtT: number;
}

/** Reverse Kaplan–Meier weights for horizon t (prodlim's tie convention). */
export function censoringWeights(time: Float64Array, status: Uint8Array, t: number): CensoringWeights {
  const n = time.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const group = new Int32Array(n);
  const ut: number[] = [];
  const yk: number[] = [];
  const ck: number[] = [];
  const dk: number[] = [];
  for (let k = 0; k < n; ) {
    const u = time[order[k]];
    const g = ut.length;
    let c = 0;
    let d = 0;
    const y = n - k;
    while (k < n && time[order[k]] === u) {
      if (status[order[k]] === 1) d++;
      else c++;
      group[order[k]] = g;
      k++;
    }
    ut.push(u);
    yk.push(y);
    ck.push(c);
    dk.push(d);
  }
  const K = ut.length;
  // gAfter[k] = G just after distinct time k; at a tie the deaths leave the risk set first.
  const gAfter = new Float64Array(K);
  let g = 1;
  let lastGroupAtT = -1;
  for (let k = 0; k < K; k++) {
    if (ck[k] > 0) g *= 1 - ck[k] / (yk[k] - dk[k]);
    gAfter[k] = g;
    if (ut[k] <= t) lastGroupAtT = k;
  }
  const gAtT = lastGroupAtT >= 0 ? gAfter[lastGroupAtT] : 1;
  const role = new Uint8Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (time[i] > t) {
      role[i] = 2;
      weight[i] = 1 / gAtT;
    } else if (status[i] === 1) {
      role[i] = 1;
      const gi = group[i];
      weight[i] = 1 / (gi === 0 ? 1 : gAfter[gi - 1]);
    }
  }
  return {
    n,
    t,
    time,
    status,
    role,
    weight,
    gAtT,
    group,
    utime: Float64Array.from(ut),
    atRisk: Float64Array.from(yk),
    censored: Float64Array.from(ck),
    lastGroupAtT,
  };
}

/**
 * For every row i, the change in Σ_j v_j caused by row i through the estimated weights:
 *
 *   Σ_{cases j} v_j · IF_i(Λc(T_j−)) + Σ_{controls j} v_j · IF_i(Λc(t))
 *
 * with v_j the already weighted contribution of row j (d(1/G) = (1/G) dΛc), and IF_i(Λc(s)) the
 * influence of row i on the Nelson–Aalen cumulative hazard of censoring at s:
 *   n · c_i · [T_i <= s] / Y(T_i) − n · Σ_{u <= min(T_i, s)} dC(u) / Y(u)²
 * (Y counting everyone with T >= u). This is the censoring part of Score's influence functions for
 * Kaplan–Meier censoring; it is computed in one pass over the distinct times.
 */
export function censoringTerm(cw: CensoringWeights, v: ArrayLike<number>): Float64Array {
  const { n, utime, atRisk, censored, group, role, status, lastGroupAtT } = cw;
  const K = utime.length;
  // cumA[k] = n Σ_{l <= k} dC(l) / Y(l)²
  const cumA = new Float64Array(K);
  let acc = 0;
  for (let k = 0; k < K; k++) {
    acc += (censored[k] / atRisk[k]) * (n / atRisk[k]);
    cumA[k] = acc;
  }
  // Case contributions per distinct time, and the control total.
  const caseV = new Float64Array(K);
  let controlV = 0;
  for (let j = 0; j < n; j++) {
    if (role[j] === 1) caseV[group[j]] += v[j];
    else if (role[j] === 2) controlV += v[j];
  }
  // above[k] = Σ case v at times after k; atOrBelow[k] = Σ_{1 <= l <= k} caseV[l] · (−cumA[l − 1]).
  const above = new Float64Array(K);
  for (let k = K - 2; k >= 0; k--) above[k] = above[k + 1] + caseV[k + 1];
  const atOrBelow = new Float64Array(K);
  for (let k = 1; k < K; k++) atOrBelow[k] = atOrBelow[k - 1] - caseV[k] * cumA[k - 1];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    // Row i's own influence on Λc at any s >= T_i.
    const own = ((status[i] === 0 ? 1 : 0) * n) / atRisk[g] - cumA[g];
    const atT = g <= lastGroupAtT ? own : lastGroupAtT >= 0 ? -cumA[lastGroupAtT] : 0;
    out[i] = atOrBelow[g] + above[g] * own + controlV * atT;
  }
  return out;
}

/** Sample SD (n − 1), as R's sd(). */
export function sampleSd(x: Float64Array): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  return Math.sqrt(ss / (n - 1));
}

/** Checks (time, status, t) for an IPCW estimator: cases and controls must both exist at t. */
export function ipcwInput(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  t: number,
  what: string,
): { time: Float64Array; status: Uint8Array; n: number } {
  const s = survivalInput(time, status, what);
  check(typeof t === "number" && Number.isFinite(t) && t > 0, `${what}: t must be a positive finite time (got ${t})`);
  let last = -Infinity;
  let firstEvent = Infinity;
  for (let i = 0; i < s.n; i++) {
    if (s.time[i] > last) last = s.time[i];
    if (s.status[i] === 1 && s.time[i] < firstEvent) firstEvent = s.time[i];
  }
  check(
    t < last,
    `${what}: t = ${t} is at or beyond the last follow-up time (${last}), so nobody is event-free after t; choose t < ${last}`,
  );
  check(
    firstEvent <= t,
    `${what}: no events at or before t = ${t}` +
      (Number.isFinite(firstEvent) ? ` (the first event is at ${firstEvent})` : " (there are no events)"),
  );
  return s;
}

export function timeDependentAuc(input: TimeDependentAucInput): TimeDependentAucResult {
  const what = "timeDependentAuc";
  const confLevel = input.confLevel ?? 0.95;
  check(confLevel > 0 && confLevel < 1, `${what}: confLevel must be strictly between 0 and 1 (got ${confLevel})`);
  const s = ipcwInput(input.time, input.status, input.t, what);
  const risk = riskVector(input.risk, s.n, "risk", what);
  const n = s.n;
  const cw = censoringWeights(s.time, s.status, input.t);
  const { role, weight } = cw;

  // Weighted Mann–Whitney: controls sorted by risk with cumulative weights; for each case the
  // weight of controls below it plus half of those tied (ic0Case), and vice versa (ic0Control).
  const caseIdx: number[] = [];
  const controlIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (role[i] === 1) caseIdx.push(i);
    else if (role[i] === 2) controlIdx.push(i);
  }
  const below = weightedRanks(risk, weight, controlIdx);
  const above = weightedRanks(Float64Array.from(risk, (r) => -r), weight, caseIdx);
  const ic0Case = new Float64Array(n);
  const ic0Control = new Float64Array(n);
  let muCase = 0;
  let muControls = 0;
  let num = 0;
  for (const i of caseIdx) {
    ic0Case[i] = below(risk[i]);
    muCase += weight[i];
    num += weight[i] * ic0Case[i];
  }
  for (const j of controlIdx) {
    ic0Control[j] = above(-risk[j]);
    muControls += weight[j];
  }
  const auc = num / (muCase * muControls);

  // Influence function: the part with G known, then the part from estimating G.
  const mu = (muCase * muControls) / (n * n);
  const nu = auc * mu;
  const vNum = new Float64Array(n);
  const vCase = new Float64Array(n);
  const vControl = new Float64Array(n);
  const ic = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (role[i] === 1) {
      vNum[i] = ic0Case[i] * weight[i];
      vCase[i] = weight[i];
      ic[i] = ((weight[i] / n) * ic0Case[i] * mu - (weight[i] / n) * muControls * nu) / (mu * mu);
    } else if (role[i] === 2) {
      vNum[i] = ic0Control[i] * weight[i];
      vControl[i] = weight[i];
      ic[i] = ((weight[i] / n) * ic0Control[i] * mu - (weight[i] / n) * muCase * nu) / (mu * mu);
    }
  }
  const tNum = censoringTerm(cw, vNum);
  const tCase = censoringTerm(cw, vCase);
  const tControl = censoringTerm(cw, vControl);
  for (let i = 0; i < n; i++) {
    const ifNum = tNum[i] / (n * n);
    const ifDen = (tCase[i] * muControls + tControl[i] * muCase) / (n * n);
    ic[i] += (ifNum * mu - ifDen * nu) / (mu * mu);
  }
  const se = sampleSd(ic) / Math.sqrt(n);
  const z = qnorm(1 - (1 - confLevel) / 2);
  const warnings: string[] = [];
  if (caseIdx.length < 5 || controlIdx.length < 5) {
    warnings.push(`only ${caseIdx.length} cases and ${controlIdx.length} controls at t = ${input.t}; AUC(t) is very imprecise`);
  }
  return {
    t: input.t,
    auc,
    se,
    lower: Math.max(0, auc - z * se),
    upper: Math.min(1, auc + z * se),
    nCases: caseIdx.length,
    nControls: controlIdx.length,
    nCensored: n - caseIdx.length - controlIdx.length,
    gAtT: cw.gAtT,
    confLevel,
    warnings,
  };
}

/**
 * For rows `idx` (with weights), a function x ↦ Σ_{j in idx} w_j ([s_j < x] + ½ [s_j = x]), evaluated
 * by binary search on the sorted scores.
 */
function weightedRanks(score: ArrayLike<number>, weight: Float64Array, idx: number[]): (x: number) => number {
  const sorted = idx.slice().sort((a, b) => score[a] - score[b]);
  const xs: number[] = [];
  const cumBefore: number[] = []; // Σ weights strictly below xs[k]
  const tie: number[] = []; // Σ weights equal to xs[k]
  let acc = 0;
  for (let k = 0; k < sorted.length; ) {
    const x = score[sorted[k]];
    let w = 0;
    while (k < sorted.length && score[sorted[k]] === x) w += weight[sorted[k++]];
    xs.push(x);
    cumBefore.push(acc);
    tie.push(w);
    acc += w;
  }
  const total = acc;
  return (x: number) => {
    // first k with xs[k] >= x
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo === xs.length) return total;
    return xs[lo] === x ? cumBefore[lo] + 0.5 * tie[lo] : cumBefore[lo];
  };
}
