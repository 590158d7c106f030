/**
 * Cox proportional hazards regression, matched to R's survival::coxph (3.5.3) with its
 * default control: Newton–Raphson from `init` (default 0) with step-halving, stopping when
 * the relative change of the log partial likelihood is <= eps (1e-9), at most maxIter (20)
 * iterations; Efron (default) or Breslow handling of tied event times.
 *
 * As R does, each covariate is centred at its mean and scaled by 1 / (mean absolute
 * deviation) before iterating — except columns whose values all lie in {-1, 0, 1}
 * (R's `nocenter`), which are left alone and get a reported mean of 0. Newton steps are
 * affine invariant, so this changes only rounding; it is kept so that iteration counts,
 * linear predictors (centred by `means`) and the baseline hazard agree with R.
 *
 * One pass over the data per iteration, backwards in time through the rows sorted by time,
 * accumulating risk-set sums: O(n p^2) per iteration, no risk-set loops.
 *
 * Beyond plain right-censored rows, as R's coxph: `strata` (a baseline hazard per stratum; the
 * partial likelihood is summed over strata, and a stratum without events adds nothing),
 * case `weights` (Efron and Breslow, as coxfit6/agfit4: a weight-k row counts as k copies),
 * `start` for (start, stop] rows (risk sets with late entry, agreg.fit), `offset`, and the
 * robust (sandwich) variance with `cluster` or `robust: true`. Plain data take the original
 * path unchanged; the extra machinery lives in coxData.ts.
 *
 * Not (yet) mirrored: R's `timefix` (aeqSurv), which merges times that differ only by
 * floating-point noise; exact ties are handled as R does.
 */
import { InputError } from "../errors.js";
import { pchisq, pnorm, qnorm } from "../stats/distributions.js";
import { concordance as concordanceOf } from "./concordance.js";
import { checkLength, survivalInput } from "./input.js";
import {
  caseWeights, coxResiduals, factorCodes, offsetValues, sortRows, startTimes,
  type StrataCodes, type StratumValue,
} from "./coxData.js";
import { concordanceCounting } from "./concordanceCounting.js";

export type CoxTies = "efron" | "breslow";

export interface CoxphData {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
  /** Model-matrix columns by name, in model order (e.g. modelFrame(...).x). */
  x: Record<string, ArrayLike<number>>;
  /** Entry times for counting-process (start, stop] rows; `time` is then the stop time. */
  start?: ArrayLike<number>;
  /** Stratum per row (R's strata()): separate baseline hazards, common coefficients. */
  strata?: ArrayLike<string | number>;
  /** Case weights (> 0), e.g. inverse-probability weights. */
  weights?: ArrayLike<number>;
  /** A fixed term added to the linear predictor (R's offset()), coefficient 1. */
  offset?: ArrayLike<number>;
  /** Cluster (e.g. patient id) for the robust variance; implies robust. */
  cluster?: ArrayLike<string | number>;
}

export interface CoxphOptions {
  ties?: CoxTies;
  /** Starting coefficients, in the order of `x` (R's init). Default all 0. */
  init?: ArrayLike<number>;
  /** R's iter.max (default 20). 0 returns loglik, score test and variance at `init`. */
  maxIter?: number;
  /** R's eps: convergence when |1 - loglik_old / loglik_new| <= eps (default 1e-9). */
  eps?: number;
  /** Level of the hazard-ratio confidence interval (default 0.95). */
  confLevel?: number;
  /**
   * R's robust: the sandwich variance, each row its own cluster unless `cluster` is given.
   * Default as R: true when a cluster is given or any weight is not a whole number.
   */
  robust?: boolean;
}

export interface ChisqTest {
  chisq: number;
  df: number;
  p: number;
}

export interface CoxConcordance {
  c: number;
  se: number;
  concordant: number;
  discordant: number;
  tiedRisk: number;
  tiedTime: number;
  /** Event pairs tied on both time and risk (R's tied.xy). */
  tiedBoth: number;
}

export interface CoxphFit {
  terms: string[];
  /** Coefficients; NaN only for a term listed in `aliased` (R's NA), always with a warning. */
  coef: number[];
  /** R's se(coef): from the inverse information (the naive SE when the fit is robust). */
  se: number[];
  /** R's "robust se" (sqrt of the sandwich variance's diagonal); null unless robust. */
  robustSe: number[] | null;
  hr: number[];
  hrLower: number[];
  hrUpper: number[];
  z: number[];
  p: number[];
  /**
   * R's $var: the inverse information at the estimate (rows/columns of aliased terms are 0, as
   * R) — or, for a robust fit, the sandwich variance, as R. hrLower/hrUpper, z, p and the Wald
   * test use this variance, as summary.coxph does.
   */
  variance: number[][];
  /** Inverse information (R's naive.var for robust fits; equal to `variance` otherwise). */
  naiveVariance: number[][];
  /** Information matrix (minus the Hessian of the log partial likelihood) at the estimate (at init for maxIter 0). */
  information: number[][];
  /** [at init (0 by default), at the estimate] — R's $loglik. */
  loglik: [number, number];
  lrTest: ChisqTest;
  waldTest: ChisqTest;
  scoreTest: ChisqTest;
  /** R's robust score test (summary.coxph's "Robust"): score residuals at init, clustered; null unless robust. */
  robustScoreTest: ChisqTest | null;
  concordance: CoxConcordance;
  n: number;
  nEvent: number;
  iterations: number;
  converged: boolean;
  /** Centring constants (R's $means; 0 for columns coded within {-1, 0, 1}). */
  means: number[];
  /** (x - means) · coef + (offset - mean(offset)), per input row (R's $linear.predictors). */
  linearPredictors: number[];
  /** R's residuals(fit, "martingale"), per input row. */
  martingale: number[];
  /** Score vector at the estimate (coxph.fit's internal u; ~0 after convergence). R's $score is our scoreTest.chisq. */
  scoreVector: number[];
  /** true for a coefficient R would report as NA (X matrix singular). */
  aliased: boolean[];
  ties: CoxTies;
  confLevel: number;
  /** true when `variance` is the sandwich (cluster or robust: true). */
  robust: boolean;
  /** Strata levels (R's factor order) for a stratified fit, else null. */
  strataLevels: (string | number)[] | null;
  warnings: string[];
  /**
   * The fitted inputs (input row order, uncentred), for baseline hazards, survival curves and
   * cox.zph. `time` is the stop time of (start, stop] rows; `strata` holds codes into strataLevels.
   */
  data: {
    time: Float64Array;
    status: Uint8Array;
    x: Float64Array[];
    start?: Float64Array | null;
    strata?: Int32Array | null;
    weights?: Float64Array | null;
    offset?: Float64Array | null;
  };
}

/**
 * The data as the fitting routines see them: rows sorted by time (stable, as R's order()),
 * covariates centred/scaled, row-major. `stratumEnd[i] = 1` marks the last row of a stratum.
 */
export interface CoxDesign {
  n: number;
  p: number;
  time: Float64Array;
  status: Uint8Array;
  /** Row-major n × p. */
  x: Float64Array;
  weights: Float64Array;
  offset: Float64Array;
  stratumEnd: Uint8Array;
  /** Stratum code per sorted row (needed with `start`). */
  stratum?: Int32Array;
  /** (start, stop] data: entry times (sorted rows) and positions by (stratum, start); else absent/null. */
  start?: Float64Array | null;
  startOrder?: Int32Array | null;
}

// R's coxph.control(): toler.chol = .Machine$double.eps^0.75, toler.inf = sqrt(eps).
const TOLER_CHOL = Math.pow(2.220446049250313e-16, 0.75);

/** Indices 0..n-1 sorted by time, ties kept in input order (R's order()). */
export function timeOrder(time: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: time.length }, (_, i) => i);
  idx.sort((a, b) => time[a] - time[b] || a - b);
  return Int32Array.from(idx);
}

/**
 * Log partial likelihood at `beta`, with the score vector `u` and the information matrix
 * `imat` (p × p, full symmetric) written into the given buffers.
 */
/**
 * Adds w·x_row to `a` and w·x_row·x_rowᵀ to the lower triangle of `cmat` (row-major p × p): a row
 * entering the risk-set sums (w = its risk), or leaving them (w = −risk).
 */
export function addToRiskSums(w: number, x: Float64Array, row: number, p: number, a: Float64Array, cmat: Float64Array): void {
  for (let i = 0; i < p; i++) {
    const rx = w * x[row + i];
    a[i] += rx;
    const ci = i * p;
    for (let j = 0; j <= i; j++) cmat[ci + j] += rx * x[row + j];
  }
}

export function coxIteration(d: CoxDesign, beta: Float64Array, efron: boolean, u: Float64Array, imat: Float64Array): number {
  const { n, p, time, status, x, weights, offset, stratumEnd } = d;
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const cmat = new Float64Array(p * p); // lower triangles used
  const cmat2 = new Float64Array(p * p);
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  let denom = 0;
  let person = n - 1;
  while (person >= 0) {
    if (person === n - 1 || stratumEnd[person] === 1) {
      denom = 0;
      a.fill(0);
      cmat.fill(0);
    }
    const dtime = time[person];
    let ndead = 0;
    let deadwt = 0;
    let denom2 = 0;
    // One group of rows sharing this time (ties never cross strata).
    while (person >= 0 && time[person] === dtime) {
      const row = person * p;
      let zbeta = offset[person];
      for (let i = 0; i < p; i++) zbeta += beta[i] * x[row + i];
      const risk = Math.exp(zbeta) * weights[person];
      if (status[person] === 0) {
        denom += risk;
        addToRiskSums(risk, x, row, p, a, cmat);
      } else {
        ndead++;
        deadwt += weights[person];
        denom2 += risk;
        loglik += weights[person] * zbeta;
        for (let i = 0; i < p; i++) u[i] += weights[person] * x[row + i];
        addToRiskSums(risk, x, row, p, a2, cmat2);
      }
      person--;
      if (person >= 0 && stratumEnd[person] === 1) break;
    }
    if (ndead > 0) {
      loglik += deathTerms(p, ndead, deadwt, denom, denom2, a, a2, cmat, cmat2, u, imat, efron);
      denom += denom2;
      for (let i = 0; i < p; i++) {
        a[i] += a2[i];
        const ci = i * p;
        for (let j = 0; j <= i; j++) cmat[ci + j] += cmat2[ci + j];
      }
      a2.fill(0);
      cmat2.fill(0);
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) imat[j * p + i] = imat[i * p + j];
  return loglik;
}

/**
 * coxIteration for (start, stop] rows (R's agfit4): the same sums, but a row is in the risk set
 * at t only while start < t <= stop, so the backward sweep also removes rows once t reaches
 * their start. `d.startOrder` lists sorted positions by (stratum, start) ascending.
 */
export function agIteration(d: CoxDesign, beta: Float64Array, efron: boolean, u: Float64Array, imat: Float64Array): number {
  const { n, p, time, status, x, weights, offset, stratumEnd } = d;
  const start = d.start as Float64Array;
  const startOrder = d.startOrder as Int32Array;
  const stratum = d.stratum as Int32Array;
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const cmat = new Float64Array(p * p);
  const cmat2 = new Float64Array(p * p);
  const risk = new Float64Array(n);
  const eta = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let z = offset[r];
    const row = r * p;
    for (let i = 0; i < p; i++) z += beta[i] * x[row + i];
    eta[r] = z;
    risk[r] = Math.exp(z) * weights[r];
  }
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  let denom = 0;
  let nrisk = 0;
  let person = n - 1;
  let sp = n - 1;
  while (person >= 0) {
    if (person === n - 1 || stratumEnd[person] === 1) {
      denom = 0;
      nrisk = 0;
      a.fill(0);
      cmat.fill(0);
    }
    if (person === n - 1 || stratumEnd[person] === 1) {
      // Entries left over from the previous (later) stratum are not in this one.
      while (sp >= 0 && stratum[startOrder[sp]] !== stratum[person]) sp--;
    }
    const dtime = time[person];
    // Leave the risk set: rows of this stratum whose interval starts at or after dtime.
    while (sp >= 0 && stratum[startOrder[sp]] === stratum[person] && start[startOrder[sp]] >= dtime) {
      const q = startOrder[sp--];
      nrisk--;
      if (nrisk === 0) {
        denom = 0;
        a.fill(0);
        cmat.fill(0);
        continue;
      }
      const rk = risk[q];
      denom -= rk;
      const row = q * p;
      addToRiskSums(-rk, x, row, p, a, cmat);
    }
    let ndead = 0;
    let deadwt = 0;
    let denom2 = 0;
    while (person >= 0 && time[person] === dtime) {
      const row = person * p;
      const rk = risk[person];
      nrisk++;
      if (status[person] === 0) {
        denom += rk;
        addToRiskSums(rk, x, row, p, a, cmat);
      } else {
        ndead++;
        deadwt += weights[person];
        denom2 += rk;
        loglik += weights[person] * eta[person];
        for (let i = 0; i < p; i++) u[i] += weights[person] * x[row + i];
        addToRiskSums(rk, x, row, p, a2, cmat2);
      }
      person--;
      if (person >= 0 && stratumEnd[person] === 1) break;
    }
    if (ndead > 0) loglik += deathTerms(p, ndead, deadwt, denom, denom2, a, a2, cmat, cmat2, u, imat, efron);
    denom += denom2;
    for (let i = 0; i < p; i++) {
      a[i] += a2[i];
      const ci = i * p;
      for (let j = 0; j <= i; j++) cmat[ci + j] += cmat2[ci + j];
    }
    a2.fill(0);
    cmat2.fill(0);
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) imat[j * p + i] = imat[i * p + j];
  return loglik;
}

/**
 * The contribution of the deaths at one time to loglik (returned; the deaths' own
 * weight × eta is added by the caller), u and imat (lower triangle), given the risk-set sums
 * without the deaths (denom, a, cmat) and of the deaths alone (denom2, a2, cmat2). Breslow: one
 * step with everyone in. Efron: the tied deaths leave the risk set in ndead equal fractions
 * f_k = (k+1)/ndead, step k seeing denom_k = denom + f_k denom2, a_k = a + f_k a2,
 * cmat_k = cmat + f_k cmat2; summing the steps in closed form (scalar sums S*, T* over k) keeps the
 * cost at O(p^2) per tied time instead of O(ndead p^2), and equals R's step-by-step sums.
 */
function deathTerms(
  p: number, ndead: number, deadwt: number, denom: number, denom2: number,
  a: Float64Array, a2: Float64Array, cmat: Float64Array, cmat2: Float64Array,
  u: Float64Array, imat: Float64Array, efron: boolean,
): number {
  let loglik = 0;
  if (!efron || ndead === 1) {
    const dn = denom + denom2;
    loglik -= deadwt * Math.log(dn);
    for (let i = 0; i < p; i++) {
      const ai = a[i] + a2[i];
      const mean = ai / dn;
      u[i] -= deadwt * mean;
      const ci = i * p;
      for (let j = 0; j <= i; j++) {
        imat[ci + j] += (deadwt * (cmat[ci + j] + cmat2[ci + j] - mean * (a[j] + a2[j]))) / dn;
      }
    }
    return loglik;
  }
  const wtave = deadwt / ndead;
  let s0 = 0;
  let s1 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  for (let k = 0; k < ndead; k++) {
    const f = (k + 1) / ndead;
    const dk = denom + f * denom2;
    loglik -= wtave * Math.log(dk);
    const inv = 1 / dk;
    s0 += inv;
    s1 += f * inv;
    t0 += inv * inv;
    t1 += f * inv * inv;
    t2 += f * f * inv * inv;
  }
  for (let i = 0; i < p; i++) {
    u[i] -= wtave * (a[i] * s0 + a2[i] * s1);
    const ci = i * p;
    for (let j = 0; j <= i; j++) {
      imat[ci + j] +=
        wtave * (cmat[ci + j] * s0 + cmat2[ci + j] * s1 - (a[i] * a[j] * t0 + (a[i] * a2[j] + a2[i] * a[j]) * t1 + a2[i] * a2[j] * t2));
    }
  }
  return loglik;
}

/**
 * Generalised Cholesky (LDL') of a symmetric p × p matrix, in place, as R's cholesky2:
 * a pivot below toler × (largest diagonal) is set to 0 (that column is treated as
 * redundant) instead of failing. L goes below the diagonal, D on it.
 * Returns the rank, negated if the matrix is clearly not non-negative definite.
 */
export function cholesky(m: Float64Array, p: number, toler = TOLER_CHOL): number {
  let eps = 0;
  for (let i = 0; i < p; i++) {
    if (m[i * p + i] > eps) eps = m[i * p + i];
    for (let j = i + 1; j < p; j++) m[j * p + i] = m[i * p + j];
  }
  eps = eps === 0 ? toler : eps * toler;
  let rank = 0;
  let nonneg = 1;
  for (let i = 0; i < p; i++) {
    const pivot = m[i * p + i];
    if (!Number.isFinite(pivot) || pivot < eps) {
      m[i * p + i] = 0;
      if (pivot < -8 * eps) nonneg = -1;
      continue;
    }
    rank++;
    for (let j = i + 1; j < p; j++) {
      const t = m[j * p + i] / pivot;
      m[j * p + i] = t;
      m[j * p + j] -= t * t * pivot;
      for (let k = j + 1; k < p; k++) m[k * p + j] -= t * m[k * p + i];
    }
  }
  return rank * nonneg;
}

/** Solves (LDL') z = y in place using cholesky()'s output; redundant columns get z = 0. */
export function choleskySolve(m: Float64Array, p: number, y: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let t = y[i];
    for (let j = 0; j < i; j++) t -= y[j] * m[i * p + j];
    y[i] = t;
  }
  for (let i = p - 1; i >= 0; i--) {
    const dii = m[i * p + i];
    if (dii === 0) {
      y[i] = 0;
      continue;
    }
    let t = y[i] / dii;
    for (let j = i + 1; j < p; j++) t -= y[j] * m[j * p + i];
    y[i] = t;
  }
}

/**
 * Inverse from cholesky()'s output, returned as a full symmetric matrix (new buffer);
 * rows and columns of redundant pivots are 0 (a generalised inverse, as R's chinv2).
 */
export function choleskyInverse(m: Float64Array, p: number): Float64Array {
  const w = Float64Array.from(m);
  // Invert L (unit diagonal) and D in the lower triangle.
  for (let i = 0; i < p; i++) {
    if (w[i * p + i] > 0) {
      w[i * p + i] = 1 / w[i * p + i];
      for (let j = i + 1; j < p; j++) {
        w[j * p + i] = -w[j * p + i];
        for (let k = 0; k < i; k++) w[j * p + k] += w[j * p + i] * w[i * p + k];
      }
    }
  }
  // inverse = L^-T D^-1 L^-1, built in the upper triangle.
  for (let i = 0; i < p; i++) {
    if (w[i * p + i] === 0) {
      for (let j = 0; j < i; j++) w[j * p + i] = 0;
      for (let j = i; j < p; j++) w[i * p + j] = 0;
      continue;
    }
    for (let j = i + 1; j < p; j++) {
      const t = w[j * p + i] * w[j * p + j];
      w[i * p + j] = t;
      for (let k = i; k < j; k++) w[i * p + k] += t * w[j * p + k];
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      out[i * p + j] = w[i * p + j];
      out[j * p + i] = w[i * p + j];
    }
  }
  return out;
}

/** b' V^- b by generalised Cholesky (R's coxph.wtest): the Wald statistic for b. */
export function quadraticForm(v: Float64Array, p: number, b: ArrayLike<number>): number {
  if (p === 0) return 0;
  const m = Float64Array.from(v);
  cholesky(m, p);
  const y = Float64Array.from(b);
  choleskySolve(m, p, y);
  let s = 0;
  for (let i = 0; i < p; i++) s += b[i] * y[i];
  return s;
}

function chisqTest(chisq: number, df: number): ChisqTest {
  // R: pchisq(0, 0, lower.tail = FALSE) is 1 (the no-event fit reports 0 on 0 df, p = 1).
  const p = df === 0 ? (chisq > 0 ? 0 : 1) : pchisq(chisq, df, false);
  return { chisq, df, p };
}

/** Checks the covariates: one value per row, all finite (R refuses NA after na.omit and Inf). */
function covariateColumns(x: Record<string, ArrayLike<number>>, n: number): { terms: string[]; cols: Float64Array[] } {
  if (x === null || typeof x !== "object") throw new InputError("coxph: x must be an object of covariate columns");
  const terms = Object.keys(x);
  if (terms.length === 0) {
    throw new InputError("coxph: no covariates in x (the null model is not supported; give at least one column)");
  }
  const cols = terms.map((name) => {
    const v = x[name];
    if (v === null || v === undefined || typeof v.length !== "number") {
      throw new InputError(`coxph: covariate "${name}" is not an array`);
    }
    checkLength(v, n, `covariate "${name}"`, "coxph");
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const value = v[i];
      if (typeof value !== "number" || Number.isNaN(value)) {
        throw new InputError(
          `coxph: covariate "${name}" is missing (${value}) at row ${i + 1}; remove incomplete rows first ` +
            `(R's na.omit), e.g. build the inputs with modelFrame()`,
        );
      }
      if (!Number.isFinite(value)) {
        throw new InputError(`coxph: covariate "${name}" is infinite at row ${i + 1} (R: "data contains an infinite predictor")`);
      }
      col[i] = value;
    }
    return col;
  });
  return { terms, cols };
}

/** The optional parts of CoxphData, checked and coded (null when not given). */
interface CoxExtras {
  start: Float64Array | null;
  strata: StrataCodes | null;
  weights: Float64Array | null;
  offset: Float64Array | null;
  cluster: StrataCodes | null;
}

function coxExtras(data: CoxphData, time: Float64Array, n: number): CoxExtras {
  const what = "coxph";
  const given = (v: unknown) => v !== undefined && v !== null;
  return {
    start: given(data.start) ? startTimes(data.start as ArrayLike<number>, time, what) : null,
    strata: given(data.strata) ? factorCodes(data.strata as ArrayLike<StratumValue>, n, "strata", what) : null,
    weights: given(data.weights) ? caseWeights(data.weights as ArrayLike<number>, n, what) : null,
    offset: given(data.offset) ? offsetValues(data.offset as ArrayLike<number>, n, what) : null,
    cluster: given(data.cluster) ? factorCodes(data.cluster as ArrayLike<StratumValue>, n, "cluster", what) : null,
  };
}

/** Fits the Cox model. See the module comment for what is matched to R. */
export function coxph(data: CoxphData, options: CoxphOptions = {}): CoxphFit {
  const ties = options.ties ?? "efron";
  if (ties !== "efron" && ties !== "breslow") throw new InputError(`coxph: ties must be "efron" or "breslow", not "${ties}"`);
  const maxIter = options.maxIter ?? 20;
  if (!(Number.isInteger(maxIter) && maxIter >= 0)) throw new InputError(`coxph: maxIter must be a whole number >= 0, not ${maxIter}`);
  const eps = options.eps ?? 1e-9;
  if (!(eps > 0)) throw new InputError(`coxph: eps must be > 0, not ${eps}`);
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InputError(`coxph: confLevel must be in (0, 1), not ${confLevel}`);
  const { time, status, n } = survivalInput(data.time, data.status, "coxph");
  const { terms, cols } = covariateColumns(data.x, n);
  const p = terms.length;
  const ext = coxExtras(data, time, n);
  const warnings: string[] = [];
  // R's default: robust when there is a cluster or any non-integer weight.
  const nonIntegerWeights = ext.weights !== null && ext.weights.some((v) => v !== Math.floor(v));
  const robust = options.robust ?? (ext.cluster !== null || nonIntegerWeights);
  if (!robust && ext.cluster) {
    warnings.push("cluster specified with robust=FALSE, cluster ignored");
    ext.cluster = null;
  }
  // R takes each row as its own cluster unless robust = TRUE was asked for on (start, stop] data
  // (which only matters for the init used by the robust score test, below).
  const rowClusters = robust && ext.cluster === null && (ext.start === null || options.robust === undefined);
  // R centres a non-zero offset at its (unweighted) mean before fitting.
  let offsetC: Float64Array | null = null;
  if (ext.offset && ext.offset.some((v) => v !== 0)) {
    const m = ext.offset.reduce((a, v) => a + v, 0) / n;
    offsetC = Float64Array.from(ext.offset, (v) => v - m);
  }
  let init = new Float64Array(p);
  if (options.init !== undefined) {
    if (options.init.length !== p) throw new InputError(`coxph: init has ${options.init.length} values but there are ${p} covariates`);
    init = Float64Array.from(options.init);
    init.forEach((b, i) => {
      if (!Number.isFinite(b)) throw new InputError(`coxph: init[${i}] (${terms[i]}) is ${b}`);
    });
  }
  const nEvent = status.reduce((s, v) => s + v, 0);
  const dataCopy: CoxphFit["data"] = {
    time,
    status,
    x: cols,
    start: ext.start,
    strata: ext.strata ? ext.strata.codes : null,
    weights: ext.weights,
    offset: ext.offset,
  };
  const strataLevels = ext.strata ? ext.strata.levels : null;
  const w = ext.weights;
  const counting = ext.start !== null;

  // Centring constants as R: 0 for {-1, 0, 1} columns (R's nocenter); otherwise the
  // case-weighted mean for right-censored data (coxfit6) but the plain column mean for
  // (start, stop] data (agreg.fit's colMeans).
  const centred = cols.map((c) => !c.every((v) => v === 0 || v === 1 || v === -1));
  let wsum = n;
  if (w && !counting) wsum = w.reduce((s, v) => s + v, 0);
  const means = cols.map((c, k) => {
    if (!centred[k]) return 0;
    let s = 0;
    if (w && !counting) for (let i = 0; i < n; i++) s += w[i] * c[i];
    else for (let i = 0; i < n; i++) s += c[i];
    return s / wsum;
  });

  if (nEvent === 0) return noEventFit(terms, cols, dataCopy, n, ties, confLevel, warnings, strataLevels);

  // R refuses starting values whose risk scores overflow exp().
  if (options.init !== undefined) {
    let allZero = true;
    const colMeans = cols.map((c) => c.reduce((a, v) => a + v, 0) / n);
    for (let i = 0; i < n; i++) {
      let eta = offsetC ? offsetC[i] : 0;
      for (let k = 0; k < p; k++) eta += (cols[k][i] - colMeans[k]) * init[k];
      const r = Math.exp(eta);
      if (!Number.isFinite(r)) throw new InputError("coxph: initial values lead to overflow of the exp function");
      if (r !== 0) allZero = false;
    }
    if (allZero) throw new InputError("coxph: initial values lead to underflow of the exp function");
  }

  const plain = !counting && !ext.strata && !w && !offsetC;
  const rows = plain && !robust ? null : sortRows(time, ext.start, status, w, ext.strata ? ext.strata.codes : null);
  const order = rows ? rows.order : timeOrder(time);
  const scale = new Float64Array(p);
  const x = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    const c = cols[k];
    let s = 1;
    if (centred[k]) {
      // Scale by 1 / (weighted mean absolute deviation), as coxfit6/agfit4.
      let mad = 0;
      if (w) for (let i = 0; i < n; i++) mad += w[i] * Math.abs(c[i] - means[k]);
      else for (let i = 0; i < n; i++) mad += Math.abs(c[i] - means[k]);
      const tot = w ? w.reduce((a2, v) => a2 + v, 0) : n;
      s = mad > 0 ? tot / mad : 1; // constant covariate: leave unscaled
    }
    scale[k] = s;
    for (let r = 0; r < n; r++) x[r * p + k] = (c[order[r]] - means[k]) * s;
  }
  let design: CoxDesign;
  if (rows) {
    design = {
      n,
      p,
      time: rows.stop,
      status: rows.status,
      x,
      weights: rows.weights,
      offset: offsetC ? Float64Array.from(order, (i) => (offsetC as Float64Array)[i]) : new Float64Array(n),
      stratumEnd: rows.stratumEnd,
      stratum: rows.stratum,
      start: rows.start,
      startOrder: rows.startOrder,
    };
  } else {
    const stratumEnd = new Uint8Array(n);
    stratumEnd[n - 1] = 1;
    design = {
      n,
      p,
      time: Float64Array.from(order, (i) => time[i]),
      status: Uint8Array.from(order, (i) => status[i]),
      x,
      weights: new Float64Array(n).fill(1),
      offset: new Float64Array(n),
      stratumEnd,
      stratum: new Int32Array(n),
      start: null,
      startOrder: null,
    };
  }
  const efron = ties === "efron";
  const nr = newtonRaphson(design, Float64Array.from(init, (b, k) => b / scale[k]), efron, maxIter, eps, counting ? agIteration : coxIteration);

  // Back to the covariates' own scale.
  const beta = Float64Array.from(nr.beta, (b, k) => b * scale[k]);
  const u = Float64Array.from(nr.u, (v, k) => v / scale[k]);
  const naiveFlat = Float64Array.from(nr.variance, (v, idx) => v * scale[Math.floor(idx / p)] * scale[idx % p]);
  const infoFlat = Float64Array.from(nr.info, (v, idx) => v / (scale[Math.floor(idx / p)] * scale[idx % p]));

  // R marks a coefficient NA when its pivot was dropped (singular X); the coefficient
  // stays at its start value in the linear predictor. We report NaN plus R's warning,
  // never a silent NaN: `aliased` says which.
  // (R does this only after a converged fit; we also do it for maxIter = 0 or no
  // convergence, where R would leave coef at init with se 0 and a NaN z.)
  const aliased = new Array<boolean>(p).fill(false);
  if (nr.rank !== p) {
    for (let k = 0; k < p; k++) aliased[k] = naiveFlat[k * p + k] === 0;
  }
  const aliasedIdx = aliased.flatMap((s, k) => (s ? [k + 1] : []));
  if (aliasedIdx.length > 0) warnings.push(`X matrix deemed to be singular; variable ${aliasedIdx.join(" ")}`);

  const lpCentre = means.reduce((s, m, k) => s + m * beta[k], 0);
  const linearPredictors = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let eta = -lpCentre + (offsetC ? offsetC[i] : 0);
    for (let k = 0; k < p; k++) eta += cols[k][i] * beta[k];
    linearPredictors[i] = eta;
  }

  if (maxIter > 1) {
    if (!nr.converged) {
      warnings.push("Ran out of iterations and did not converge");
      if (!counting) {
        const infs = infiniteCheck(u, naiveFlat, p);
        if (Math.max(...linearPredictors) > 500 || infs.some((v) => !Number.isFinite(v))) {
          warnings.push("one or more coefficients may be infinite");
        }
      }
    } else {
      const tolerInf = Math.sqrt(eps);
      const infs = infiniteCheck(u, naiveFlat, p);
      const flagged: number[] = [];
      for (let k = 0; k < p; k++) {
        // coxph.fit and agreg.fit word (and bound) the check slightly differently.
        const big = counting ? infs[k] > tolerInf * (1 + Math.abs(beta[k])) : infs[k] > eps && infs[k] > tolerInf * Math.abs(beta[k]);
        if (!Number.isFinite(u[k]) || big) flagged.push(k + 1);
      }
      if (flagged.length > 0) {
        warnings.push(
          counting
            ? `Loglik converged before variable ${flagged.join(",")}; beta may be infinite.`
            : `Loglik converged before variable ${flagged.join(",")}; coefficient may be infinite.`,
        );
      }
    }
  }

  // Residuals (and, for the robust variance, score residuals) per input row.
  let martingale: number[];
  let robustFlat: Float64Array | null = null;
  let robustScore: ChisqTest | null = null;
  const df = aliased.filter((s) => !s).length;
  if (rows) {
    const xRows = robust ? inputRowMajor(cols, n, p) : null;
    const res = coxResiduals(rows, linearPredictors, xRows, p, efron);
    martingale = Array.from(res.martingale);
    if (robust && xRows && res.score) {
      // dfbeta = weight × score residual × V, summed within clusters; robust V = D'D.
      robustFlat = sandwich(res.score, naiveFlat, w, ext.cluster, n, p, true);
      // R's robust score test: score residuals at init (X init, no centring, no offset).
      // (R uses X init only when it has a cluster vector, its own or one per row; else 0.)
      const lp0 = new Float64Array(n);
      if (ext.cluster || rowClusters) for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) lp0[i] += cols[k][i] * init[k];
      const res0 = coxResiduals(rows, lp0, xRows, p, efron);
      const s0 = sandwich(res0.score as Float64Array, naiveFlat, w, ext.cluster, n, p, false);
      const u0 = clusterScoreSum(res0.score as Float64Array, w, n, p);
      robustScore = chisqTest(quadraticForm(s0, p, u0), df);
    }
  } else {
    martingale = martingaleResiduals(design, order, linearPredictors, efron);
  }
  const varFlat = robustFlat ?? naiveFlat;

  const z = qnorm(1 - (1 - confLevel) / 2);
  const coef: number[] = [];
  const se: number[] = [];
  const sePlain: number[] = [];
  const variance: number[][] = [];
  const naiveVariance: number[][] = [];
  const information: number[][] = [];
  for (let k = 0; k < p; k++) {
    coef.push(aliased[k] ? NaN : beta[k]);
    se.push(aliased[k] ? NaN : Math.sqrt(varFlat[k * p + k]));
    sePlain.push(aliased[k] ? NaN : Math.sqrt(naiveFlat[k * p + k]));
    variance.push(Array.from(varFlat.subarray(k * p, (k + 1) * p)));
    naiveVariance.push(Array.from(naiveFlat.subarray(k * p, (k + 1) * p)));
    information.push(Array.from(infoFlat.subarray(k * p, (k + 1) * p)));
  }
  const zStat = coef.map((b, k) => b / se[k]);

  // Wald test on the estimable coefficients (minus init, as R), with the robust variance when robust.
  const keep = aliased.flatMap((s, k) => (s ? [] : [k]));
  const vKeep = new Float64Array(keep.length * keep.length);
  keep.forEach((i, a) => keep.forEach((j, b) => (vKeep[a * keep.length + b] = varFlat[i * p + j])));
  const wald = quadraticForm(vKeep, keep.length, keep.map((k) => beta[k] - init[k]));

  const conc = plain && !ext.cluster
    ? concordanceOf(time, status, linearPredictors)
    : concordanceCounting({
        time,
        status,
        risk: linearPredictors,
        start: ext.start,
        strata: ext.strata ? ext.strata.codes : null,
        weights: w,
        cluster: ext.cluster ? ext.cluster.codes : null,
      });

  return {
    terms,
    coef,
    se: sePlain,
    robustSe: robustFlat ? se : null,
    hr: coef.map(Math.exp),
    hrLower: coef.map((b, k) => Math.exp(b - z * se[k])),
    hrUpper: coef.map((b, k) => Math.exp(b + z * se[k])),
    z: zStat,
    p: zStat.map((v) => 2 * pnorm(-Math.abs(v))),
    variance,
    naiveVariance,
    information,
    loglik: [nr.loglik0, nr.loglik],
    lrTest: chisqTest(2 * (nr.loglik - nr.loglik0), df),
    waldTest: chisqTest(wald, df),
    scoreTest: chisqTest(nr.scoreTest, df),
    robustScoreTest: robustScore,
    concordance: {
      c: conc.c,
      se: conc.se,
      concordant: conc.concordant,
      discordant: conc.discordant,
      tiedRisk: conc.tiedRisk,
      tiedTime: conc.tiedTime,
      tiedBoth: conc.tiedBoth,
    },
    n,
    nEvent,
    iterations: nr.iterations,
    converged: nr.converged,
    means,
    linearPredictors,
    martingale,
    scoreVector: Array.from(u),
    aliased,
    ties,
    confLevel,
    robust: robustFlat !== null,
    strataLevels,
    warnings,
    data: dataCopy,
  };
}

/** Covariate columns as input-row-major n × p. */
function inputRowMajor(cols: Float64Array[], n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let k = 0; k < p; k++) for (let i = 0; i < n; i++) out[i * p + k] = cols[k][i];
  return out;
}

/**
 * Σ_c (Σ_{i in c} w_i L_i V)' (Σ_{i in c} w_i L_i V) — R's t(dfbeta) %*% dfbeta with
 * residuals(type = "dfbeta", weighted = TRUE, collapse = cluster) — or, with applyV = false,
 * the same sum of outer products of the weighted score residuals themselves.
 */
function sandwich(
  score: Float64Array,
  v: Float64Array,
  w: Float64Array | null,
  cluster: StrataCodes | null,
  n: number,
  p: number,
  applyV: boolean,
): Float64Array {
  const groups = cluster ? cluster.levels.length : n;
  const sums = new Float64Array(groups * p);
  for (let i = 0; i < n; i++) {
    const g = cluster ? cluster.codes[i] : i;
    const wi = w ? w[i] : 1;
    for (let k = 0; k < p; k++) sums[g * p + k] += wi * score[i * p + k];
  }
  const out = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (let g = 0; g < groups; g++) {
    if (applyV) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += sums[g * p + k] * v[k * p + j];
        d[j] = s;
      }
    } else {
      for (let j = 0; j < p; j++) d[j] = sums[g * p + j];
    }
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j] += d[i] * d[j];
  }
  return out;
}

/** Σ_i w_i L_i: the score vector as the sum of weighted score residuals. */
function clusterScoreSum(score: Float64Array, w: Float64Array | null, n: number, p: number): Float64Array {
  const u = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) u[k] += (w ? w[i] : 1) * score[i * p + k];
  return u;
}

/** |V u|: the size of one more Newton step, used by R to flag infinite coefficients. */
function infiniteCheck(u: Float64Array, v: Float64Array, p: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += u[i] * v[i * p + j];
    out.push(Math.abs(s));
  }
  return out;
}

interface NewtonResult {
  beta: Float64Array;
  u: Float64Array;
  variance: Float64Array;
  /** Information matrix (p × p, full) at the returned point, before factoring. */
  info: Float64Array;
  loglik0: number;
  loglik: number;
  scoreTest: number;
  iterations: number;
  converged: boolean;
  rank: number;
}

/**
 * R's coxfit6 iteration: a Newton step from the best point so far; if the new loglik is
 * worse (or not finite), step back towards the best point ever more aggressively
 * (halving, then 2/3, 3/4 ... of the way back). Converged when the relative change of
 * loglik is <= eps. At most maxIter likelihood evaluations after the one at init.
 */
function newtonRaphson(
  d: CoxDesign,
  init: Float64Array,
  efron: boolean,
  maxIter: number,
  eps: number,
  iterate: typeof coxIteration = coxIteration,
): NewtonResult {
  const p = d.p;
  const u = new Float64Array(p);
  const imat = new Float64Array(p * p);
  let beta = Float64Array.from(init);
  const loglik0 = iterate(d, beta, efron, u, imat);
  let info = Float64Array.from(imat);
  let rank = cholesky(imat, p);
  const step = Float64Array.from(u);
  choleskySolve(imat, p, step);
  let scoreTest = 0;
  for (let i = 0; i < p; i++) scoreTest += u[i] * step[i];

  if (maxIter === 0 || !Number.isFinite(loglik0)) {
    return { beta, u: Float64Array.from(u), variance: choleskyInverse(imat, p), info, loglik0, loglik: loglik0, scoreTest, iterations: 0, converged: false, rank };
  }

  let best = loglik0;
  let newBeta = Float64Array.from(beta, (b, i) => b + step[i]);
  let halving = 0;
  let lastUsable = { u: Float64Array.from(u), factor: Float64Array.from(imat), info };
  for (let iter = 1; iter <= maxIter; iter++) {
    const newlk = iterate(d, newBeta, efron, u, imat);
    info = Float64Array.from(imat);
    rank = cholesky(imat, p);
    let finite = Number.isFinite(newlk);
    for (let i = 0; i < p && finite; i++) {
      if (!Number.isFinite(u[i])) finite = false;
      for (let j = 0; j < p; j++) if (!Number.isFinite(imat[i * p + j])) finite = false;
    }
    if (finite && Math.abs(1 - best / newlk) <= eps) {
      return { beta: newBeta, u: Float64Array.from(u), variance: choleskyInverse(imat, p), info, loglik0, loglik: newlk, scoreTest, iterations: iter, converged: true, rank };
    }
    if (!finite || newlk < best) {
      halving++;
      newBeta = Float64Array.from(newBeta, (b, i) => (b + halving * beta[i]) / (halving + 1));
    } else {
      halving = 0;
      best = newlk;
      lastUsable = { u: Float64Array.from(u), factor: Float64Array.from(imat), info };
      const s = Float64Array.from(u);
      choleskySolve(imat, p, s);
      beta = newBeta;
      newBeta = Float64Array.from(beta, (b, i) => b + s[i]);
    }
    if (iter === maxIter) {
      // Out of iterations: report the best point. R re-evaluates there for maxIter > 1
      // (and then inverts a partly stale factor); we invert the information at the best
      // point properly. For maxIter = 1 R keeps the last evaluation, as we do.
      let variance: Float64Array;
      let uOut: Float64Array;
      let loglik = best;
      if (maxIter > 1) {
        loglik = iterate(d, beta, efron, u, imat);
        info = Float64Array.from(imat);
        rank = cholesky(imat, p);
        variance = choleskyInverse(imat, p);
        uOut = Float64Array.from(u);
      } else {
        variance = choleskyInverse(lastUsable.factor, p);
        uOut = lastUsable.u;
        info = lastUsable.info;
      }
      // R's fit$iter is maxIter + 1 here (its loop counter after the last pass); mirrored.
      return { beta, u: uOut, variance, info, loglik0, loglik, scoreTest, iterations: maxIter + 1, converged: false, rank };
    }
  }
  // Unreachable (maxIter >= 1 returns inside the loop); keeps the type checker content.
  throw new Error("coxph: internal error in Newton-Raphson");
}

/**
 * Martingale residuals status - exp(lp) Λ0(t), with the Efron-adjusted hazard for tied
 * deaths when ties = "efron" (R's coxmart). Returned in input row order.
 */
function martingaleResiduals(d: CoxDesign, order: Int32Array, lp: number[], efron: boolean): number[] {
  const { n, time, status, weights, stratumEnd } = d;
  const score = Float64Array.from(order, (i) => Math.exp(lp[i]));
  // Risk-set totals at the first row of each (stratum, time) group, by a backward pass.
  const denomAt = new Float64Array(n);
  let denom = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (stratumEnd[i] === 1) denom = 0;
    denom += score[i] * weights[i];
    denomAt[i] = i === 0 || stratumEnd[i - 1] === 1 || time[i - 1] !== time[i] ? denom : NaN;
  }
  const resid = new Float64Array(n);
  let hazard = 0;
  let groupStart = 0;
  while (groupStart < n) {
    let groupEnd = groupStart;
    while (groupEnd + 1 < n && stratumEnd[groupEnd] !== 1 && time[groupEnd + 1] === time[groupStart]) groupEnd++;
    const dn = denomAt[groupStart];
    let deaths = 0;
    let deadwt = 0;
    let deadRisk = 0;
    for (let j = groupStart; j <= groupEnd; j++) {
      if (status[j] === 1) {
        deaths++;
        deadwt += weights[j];
        deadRisk += score[j] * weights[j];
      }
    }
    if (deaths < 2 || !efron) {
      if (deaths > 0) hazard += deadwt / dn;
      for (let j = groupStart; j <= groupEnd; j++) resid[j] = status[j] - score[j] * hazard;
    } else {
      // Deaths at a tied time share the Efron-reduced hazard; others the full increment.
      let deathHazard = hazard;
      const w = deadwt / deaths;
      for (let k = 0; k < deaths; k++) {
        const f = k / deaths;
        hazard += w / (dn - deadRisk * f);
        deathHazard += (w * (1 - f)) / (dn - deadRisk * f);
      }
      for (let j = groupStart; j <= groupEnd; j++) {
        resid[j] = status[j] === 0 ? -score[j] * hazard : 1 - score[j] * deathHazard;
      }
    }
    if (stratumEnd[groupEnd] === 1) hazard = 0;
    groupStart = groupEnd + 1;
  }
  const out = new Array<number>(n);
  for (let r = 0; r < n; r++) out[order[r]] = resid[r];
  return out;
}

/** R's answer when nobody has an event: nothing is estimable (coef NA), loglik 0, tests 0 on 0 df. */
function noEventFit(
  terms: string[],
  cols: Float64Array[],
  data: CoxphFit["data"],
  n: number,
  ties: CoxTies,
  confLevel: number,
  warnings: string[],
  strataLevels: StratumValue[] | null,
): CoxphFit {
  const p = terms.length;
  const nan = () => new Array<number>(p).fill(NaN);
  const zeros = () => terms.map(() => new Array<number>(p).fill(0));
  warnings.push("No events (all observations censored): the coefficients cannot be estimated (R reports NA)");
  // R reports colMeans(X) here, without the {-1, 0, 1} exception.
  const colMeans = cols.map((c) => c.reduce((s, v) => s + v, 0) / n);
  return {
    terms,
    coef: nan(),
    se: nan(),
    hr: nan(),
    hrLower: nan(),
    hrUpper: nan(),
    z: nan(),
    p: nan(),
    robustSe: null,
    variance: zeros(),
    naiveVariance: zeros(),
    information: zeros(),
    robustScoreTest: null,
    robust: false,
    strataLevels,
    loglik: [0, 0],
    lrTest: chisqTest(0, 0),
    waldTest: chisqTest(0, 0),
    scoreTest: chisqTest(0, 0),
    concordance: { c: NaN, se: NaN, concordant: 0, discordant: 0, tiedRisk: 0, tiedTime: 0, tiedBoth: 0 },
    n,
    nEvent: 0,
    iterations: 0,
    converged: false,
    means: colMeans,
    linearPredictors: new Array<number>(n).fill(0),
    martingale: new Array<number>(n).fill(0),
    scoreVector: new Array<number>(p).fill(0),
    aliased: new Array<boolean>(p).fill(true),
    ties,
    confLevel,
    warnings,
    data,
  };
}
