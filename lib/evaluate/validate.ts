/**
 * Internal machinery shared by calibration() and validate(): the bootstrap refits of a Cox
 * model as rms's predab.resample does them, but lean. A bootstrap sample is the original rows
 * with multiplicities; laid out in time order (the original order repeated per copy) it needs no
 * sort, and the refit runs the same Newton–Raphson as coxph() (coxIteration, step-halving,
 * relative-loglik convergence) without coxph()'s tests, residuals and concordance — those cost
 * 40x the fit itself and would make B = 1000 slow. Not exported from radsurv.
 */
import { InputError } from "../errors.js";
import { cholesky, choleskySolve, coxIteration, timeOrder, type CoxDesign, type CoxphData, type CoxphFit } from "../survival/coxph.js";
import { checkLength, survivalInput } from "../survival/input.js";
import { createRng } from "../random/index.js";
import { concordance } from "../survival/concordance.js";

/** Data of a Cox model as the resampling code uses it (input row order). */
export interface CoxRows {
  n: number;
  p: number;
  time: Float64Array;
  status: Uint8Array;
  cols: Float64Array[];
  /** Rows in time order (ties in input order). */
  order: Int32Array;
}

/** Control of the bootstrap refits: rms's cph()/coxphFit() defaults (eps 1e-4, iter.max 10). */
export interface FitControl {
  eps?: number;
  maxIter?: number;
}

export interface LeanFit {
  beta: Float64Array;
  /** Log partial likelihood at 0 (or init) and at the estimate. */
  loglik0: number;
  loglik: number;
  /** rms's "fail": singular information (a coefficient R would report NA). */
  fail: boolean;
}

export function rowsOf(fit: CoxphFit): CoxRows {
  const { time, status, x } = fit.data;
  return { n: time.length, p: x.length, time, status, cols: x, order: timeOrder(time) };
}

/** The data argument checked against the fit's terms; returns the rows in the fit's column order. */
export function rowsFromData(fit: CoxphFit, data: CoxphData, what: string): CoxRows {
  if (data === null || typeof data !== "object") throw new InputError(`${what}: data must be { time, status, x }`);
  const { time, status, n } = survivalInput(data.time, data.status, what);
  if (data.x === null || typeof data.x !== "object") throw new InputError(`${what}: data.x must be an object of covariate columns`);
  const cols = fit.terms.map((name) => {
    const col = data.x[name];
    if (col === undefined) throw new InputError(`${what}: data.x has no column "${name}" (the model's terms: ${fit.terms.join(", ")})`);
    checkLength(col, n, `data.x column "${name}"`, what);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InputError(`${what}: data.x column "${name}" is ${v} at row ${i + 1}; give complete, finite covariate values`);
      }
      out[i] = v;
    }
    return out;
  });
  return { n, p: cols.length, time, status, cols, order: timeOrder(time) };
}

/** True when `rows` are exactly the data the fit was made on. */
export function sameAsFit(fit: CoxphFit, rows: CoxRows): boolean {
  const d = fit.data;
  if (d.time.length !== rows.n || d.x.length !== rows.p) return false;
  for (let i = 0; i < rows.n; i++) {
    if (d.time[i] !== rows.time[i] || d.status[i] !== rows.status[i]) return false;
    for (let k = 0; k < rows.p; k++) if (d.x[k][i] !== rows.cols[k][i]) return false;
  }
  return true;
}

/** X beta (uncentred) per row. */
export function linearPredictor(rows: CoxRows, beta: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.n);
  for (let k = 0; k < rows.p; k++) {
    const b = Number.isFinite(beta[k]) ? beta[k] : 0;
    const c = rows.cols[k];
    for (let i = 0; i < rows.n; i++) out[i] += b * c[i];
  }
  return out;
}

/** Sample entries (original row indices) in time order for multiplicities `counts`. */
export function entriesInTimeOrder(rows: CoxRows, counts: Int32Array | null): Int32Array {
  if (counts === null) return rows.order;
  let m = 0;
  for (let i = 0; i < rows.n; i++) m += counts[i];
  const out = new Int32Array(m);
  let j = 0;
  for (let r = 0; r < rows.n; r++) {
    const i = rows.order[r];
    for (let c = 0; c < counts[i]; c++) out[j++] = i;
  }
  return out;
}

/**
 * The fitting design for the entries (time-ordered original rows, repeats allowed), with
 * coxph()'s centring and scaling (plain means; columns within {-1, 0, 1} left alone; scale by
 * 1 / mean absolute deviation) so that the iterations are the ones coxph() would run.
 */
function design(rows: CoxRows, entries: Int32Array, cols: Float64Array[]): { d: CoxDesign; scale: Float64Array } {
  const m = entries.length;
  const p = cols.length;
  const x = new Float64Array(m * p);
  const scale = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const c = cols[k];
    let centred = false;
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const v = c[entries[j]];
      sum += v;
      if (v !== 0 && v !== 1 && v !== -1) centred = true;
    }
    const mean = centred ? sum / m : 0;
    let s = 1;
    if (centred) {
      let mad = 0;
      for (let j = 0; j < m; j++) mad += Math.abs(c[entries[j]] - mean);
      s = mad > 0 ? m / mad : 1;
    }
    scale[k] = s;
    for (let j = 0; j < m; j++) x[j * p + k] = (c[entries[j]] - mean) * s;
  }
  const stratumEnd = new Uint8Array(m);
  stratumEnd[m - 1] = 1;
  return {
    d: {
      n: m,
      p,
      time: Float64Array.from(entries, (i) => rows.time[i]),
      status: Uint8Array.from(entries, (i) => rows.status[i]),
      x,
      weights: new Float64Array(m).fill(1),
      offset: new Float64Array(m),
      stratumEnd,
    },
    scale,
  };
}

/**
 * Cox fit on the entries: Newton–Raphson from `init` (default 0) with coxfit6's step-halving
 * and stopping rule |1 - loglik_old / loglik_new| <= eps, as coxph() does. maxIter = 0 gives
 * the loglik at init (rms's "frozen" fit).
 */
export function leanCox(rows: CoxRows, entries: Int32Array, cols: Float64Array[], control: Required<FitControl>, init?: number[]): LeanFit {
  const { d, scale } = design(rows, entries, cols);
  const p = d.p;
  const u = new Float64Array(p);
  const imat = new Float64Array(p * p);
  let beta = Float64Array.from({ length: p }, (_, k) => (init ? init[k] / scale[k] : 0));
  const loglik0 = coxIteration(d, beta, true, u, imat);
  let rank = cholesky(imat, p);
  const back = (b: Float64Array) => Float64Array.from(b, (v, k) => v * scale[k]);
  if (control.maxIter === 0 || !Number.isFinite(loglik0)) {
    return { beta: back(beta), loglik0, loglik: loglik0, fail: rank < p || !Number.isFinite(loglik0) };
  }
  const step = Float64Array.from(u);
  choleskySolve(imat, p, step);
  let best = loglik0;
  let next = Float64Array.from(beta, (b, i) => b + step[i]);
  let halving = 0;
  for (let iter = 1; iter <= control.maxIter; iter++) {
    const lk = coxIteration(d, next, true, u, imat);
    rank = cholesky(imat, p);
    let finite = Number.isFinite(lk);
    for (let i = 0; i < p && finite; i++) if (!Number.isFinite(u[i])) finite = false;
    if (finite && Math.abs(1 - best / lk) <= control.eps) {
      return { beta: back(next), loglik0, loglik: lk, fail: rank < p };
    }
    if (!finite || lk < best) {
      // Worse than the best point: step back towards it (1/2, then 2/3, 3/4 ... of the way).
      halving++;
      next = Float64Array.from(next, (b, i) => (b + halving * beta[i]) / (halving + 1));
    } else {
      halving = 0;
      best = lk;
      const s = Float64Array.from(u);
      choleskySolve(imat, p, s);
      beta = next;
      next = Float64Array.from(beta, (b, i) => b + s[i]);
    }
  }
  // Out of iterations: the best point, as coxph() reports it.
  const lk = coxIteration(d, beta, true, u, imat);
  rank = cholesky(imat, p);
  return { beta: back(beta), loglik0, loglik: lk, fail: rank < p || !Number.isFinite(lk) };
}

/**
 * Predicted S(u | x) for every original row from a fit on the entries: the Efron-type baseline
 * (survfit.coxph's default after an Efron fit) S0(u) = exp(-H0(u)), H0 summed over event
 * times <= u with the tied deaths leaving the risk set in equal steps; S = exp(-H0 exp(eta)).
 * eta is centred at the entries' mean so that exp() stays in range; S does not depend on it.
 */
export function survivalAtU(rows: CoxRows, entries: Int32Array, eta: Float64Array, u: number, out: Float64Array): void {
  const m = entries.length;
  let centre = 0;
  for (let j = 0; j < m; j++) centre += eta[entries[j]];
  centre /= m;
  // Risk-set totals from the end; hazard increments for event times <= u.
  let riskSum = 0;
  let h = 0;
  let j = m - 1;
  while (j >= 0) {
    const t = rows.time[entries[j]];
    let deaths = 0;
    let deadRisk = 0;
    while (j >= 0 && rows.time[entries[j]] === t) {
      const i = entries[j];
      const r = Math.exp(eta[i] - centre);
      riskSum += r;
      if (rows.status[i] === 1) {
        deaths++;
        deadRisk += r;
      }
      j--;
    }
    if (deaths > 0 && t <= u) {
      if (deaths === 1) h += 1 / riskSum;
      else for (let k = 0; k < deaths; k++) h += 1 / (riskSum - (deadRisk * k) / deaths);
    }
  }
  for (let i = 0; i < rows.n; i++) out[i] = Math.exp(-h * Math.exp(eta[i] - centre));
}

/** Checks B (a whole number >= 0) and the seed; returns the bootstrap multiplicities to use. */
export function bootstrapSamples(
  n: number,
  options: { B?: number; seed?: number; resamples?: ArrayLike<number>[] },
  what: string,
): BootstrapDraws {
  if (options.resamples !== undefined) {
    const fixed = options.resamples.map((s, b) => {
      if (s.length !== n) throw new InputError(`${what}: resamples[${b}] has ${s.length} indices; a bootstrap sample has n = ${n}`);
      const counts = new Int32Array(n);
      for (let k = 0; k < s.length; k++) {
        const i = s[k];
        if (!Number.isInteger(i) || i < 0 || i >= n) throw new InputError(`${what}: resamples[${b}][${k}] = ${i} is not a row index in 0..${n - 1}`);
        counts[i]++;
      }
      return counts;
    });
    return { length: fixed.length, [Symbol.iterator]: () => fixed.values() };
  }
  const B = options.B ?? 1000;
  if (typeof B !== "number" || !Number.isInteger(B) || B < 0) {
    throw new InputError(`${what}: B must be a whole number of bootstrap samples (>= 1, or 0 for the apparent estimate only), got ${B}`);
  }
  const seed = options.seed ?? 1;
  createRng(seed); // checks the seed now, before any work
  // Drawn lazily: B samples of n multiplicities would hold B × n integers at once.
  return {
    length: B,
    *[Symbol.iterator]() {
      const rng = createRng(seed);
      for (let b = 0; b < B; b++) {
        const counts = new Int32Array(n);
        for (let k = 0; k < n; k++) counts[rng.int(n)]++;
        yield counts;
      }
    },
  };
}

/** Bootstrap samples as multiplicities per row, iterated in order. */
export interface BootstrapDraws {
  length: number;
  [Symbol.iterator](): Iterator<Int32Array, unknown, undefined>;
}

export function fitControl(control: FitControl | undefined, what: string): Required<FitControl> {
  const eps = control?.eps ?? 1e-4;
  const maxIter = control?.maxIter ?? 10;
  if (!(eps > 0)) throw new InputError(`${what}: fitControl.eps must be > 0, got ${eps}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new InputError(`${what}: fitControl.maxIter must be a whole number >= 1, got ${maxIter}`);
  return { eps, maxIter };
}

// ---------------------------------------------------------------------------------------------
// validate(): rms::validate for a Cox model.


export const VALIDATE_INDEXES = ["Dxy", "R2", "Slope", "D", "U", "Q", "g"] as const;
export type ValidateIndex = (typeof VALIDATE_INDEXES)[number];

export interface ValidateOptions {
  /** Bootstrap samples (default 1000, rms's default is 40). 0 gives index.orig only. */
  B?: number;
  /** Seed of radsurv's generator (createRng); default 1. */
  seed?: number;
  /** Bootstrap refits' Newton–Raphson control; default rms's coxphFit(eps = 1e-4, iter.max = 10). */
  fitControl?: FitControl;
  /** Explicit bootstrap samples (0-based row indices, n each) instead of drawing B from seed. */
  resamples?: ArrayLike<number>[];
}

export interface ValidateRow {
  index: ValidateIndex;
  indexOrig: number;
  training: number;
  test: number;
  optimism: number;
  indexCorrected: number;
  /** Bootstrap samples that gave this index (rms's n). */
  n: number;
}

export interface ValidateResult {
  /** rms's validate matrix, one row per index: Dxy, R2, Slope, D, U, Q, g. */
  rows: ValidateRow[];
  index: ValidateIndex[];
  indexOrig: number[];
  training: number[];
  test: number[];
  optimism: number[];
  indexCorrected: number[];
  n: number[];
  B: number;
  /** Bootstrap samples whose refit failed (singular, or no events) and were left out. */
  failed: number;
  seed: number | null;
  warnings: string[];
}

/** Hmisc::GiniMd: Gini's mean difference, from the sorted values. */
export function giniMd(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const s = Float64Array.from(x, (v) => v - mean).sort();
  let g = 0;
  for (let i = 0; i < n; i++) g += ((4 * (i + 1 - (n - 1) / 2)) / n / (n - 1)) * s[i];
  return g;
}

/** The indexes from a linear predictor `x` on the entries and the two logliks (rms's discrim). */
function indexes(
  rows: CoxRows,
  entries: Int32Array,
  xb: Float64Array,
  fitted: { loglik0: number; loglik: number } | null,
  control: Required<FitControl>,
): number[] | null {
  const m = entries.length;
  const x = Float64Array.from(entries, (i) => xb[i]);
  let constant = true;
  for (let j = 1; j < m && constant; j++) if (x[j] !== x[0]) constant = false;
  if (constant) return [0, 0, 1, 0, 0, 0, GiniMdOrZero(x)];
  const time = Float64Array.from(entries, (i) => rows.time[i]);
  const status = Uint8Array.from(entries, (i) => rows.status[i]);
  const dxy = concordance(time, status, x).dxy;
  let slope = 1;
  let lr: number;
  let ll0: number;
  let U: number;
  let g: number;
  if (fitted !== null) {
    // The model's own fit (apparent or training): slope 1 by construction.
    lr = -2 * (fitted.loglik0 - fitted.loglik);
    ll0 = -2 * fitted.loglik0;
    U = -2 / ll0;
    g = giniMd(x);
  } else {
    // Test sample: refit a Cox model on x alone (calibration slope), and the loglik at slope 1.
    const lpRows: CoxRows = { ...rows, p: 1, cols: [xb] };
    const f = leanCox(lpRows, entries, [xb], control);
    if (f.fail) return null;
    slope = f.beta[0];
    lr = -2 * (f.loglik0 - f.loglik);
    ll0 = -2 * f.loglik0;
    const frozen = leanCox(lpRows, entries, [xb], { eps: control.eps, maxIter: 0 }, [1]);
    U = (-2 * (frozen.loglik - f.loglik)) / ll0;
    g = giniMd(x.map((v) => slope * v));
  }
  const D = (lr - 1) / ll0;
  const r2max = 1 - Math.exp(-ll0 / m);
  const R2 = (1 - Math.exp(-lr / m)) / r2max;
  return [dxy, R2, slope, D, U, D - U, g];
}

function GiniMdOrZero(x: Float64Array): number {
  const g = giniMd(x);
  return Number.isFinite(g) ? g : 0;
}

/**
 * rms::validate(fit, B) for a Cox model: the apparent indexes (index.orig), their means in the
 * bootstrap training samples (model refitted there) and in the original sample (test, with the
 * refitted model), optimism = training - test and index.corrected = index.orig - optimism.
 * Indexes: Somers' Dxy = 2(C - 0.5) of the linear predictor (higher = earlier event), R2
 * (Nagelkerke), the calibration slope, D (discrimination), U (unreliability), Q = D - U and g
 * (Gini's mean difference of the linear predictor). `data` is the data the fit was made on.
 * The bootstrap draws come from createRng(seed), so they cannot equal R's; with `resamples`
 * the procedure reproduces rms's for the same samples.
 */
export function validate(fit: CoxphFit, data: CoxphData, options: ValidateOptions = {}): ValidateResult {
  const what = "validate";
  const rows = rowsFromData(fit, data, what);
  if (!sameAsFit(fit, rows)) {
    throw new InputError(`${what}: data is not the data the fit was made on (bootstrap validation refits the model on resamples of its own data)`);
  }
  const control = fitControl(options.fitControl, what);
  const samples = bootstrapSamples(rows.n, options, what);
  const warnings: string[] = [];
  const k = VALIDATE_INDEXES.length;
  const xb = linearPredictor(rows, fit.coef);
  const orig = indexes(rows, rows.order, xb, { loglik0: fit.loglik[0], loglik: fit.loglik[1] }, control);
  if (orig === null) throw new InputError(`${what}: the model's linear predictor cannot be evaluated`);
  const train = new Float64Array(k);
  const test = new Float64Array(k);
  const num = new Float64Array(k);
  let failed = 0;
  for (const counts of samples) {
    const entries = entriesInTimeOrder(rows, counts);
    let events = 0;
    for (let j = 0; j < entries.length; j++) events += rows.status[entries[j]];
    const f = events > 0 ? leanCox(rows, entries, rows.cols, control) : null;
    if (f === null || f.fail) {
      failed++;
      continue;
    }
    const xbB = linearPredictor(rows, f.beta);
    const tr = indexes(rows, entries, xbB, f, control);
    const te = indexes(rows, rows.order, xbB, null, control);
    if (tr === null || te === null) {
      failed++;
      continue;
    }
    for (let i = 0; i < k; i++) {
      if (Number.isFinite(tr[i]) && Number.isFinite(te[i])) {
        train[i] += tr[i];
        test[i] += te[i];
        num[i]++;
      }
    }
  }
  if (failed > 0) warnings.push(`Divergence or singularity in ${failed} samples`);
  if (samples.length === 0) warnings.push("B = 0: index.orig only; training, test, optimism and index.corrected are NaN");
  const out: ValidateResult = {
    rows: [],
    index: [...VALIDATE_INDEXES],
    indexOrig: orig,
    training: [],
    test: [],
    optimism: [],
    indexCorrected: [],
    n: Array.from(num),
    B: samples.length,
    failed,
    seed: options.resamples !== undefined ? null : (options.seed ?? 1),
    warnings,
  };
  for (let i = 0; i < k; i++) {
    const tr = num[i] > 0 ? train[i] / num[i] : NaN;
    const te = num[i] > 0 ? test[i] / num[i] : NaN;
    out.training.push(tr);
    out.test.push(te);
    out.optimism.push(tr - te);
    out.indexCorrected.push(orig[i] - (tr - te));
    out.rows.push({ index: VALIDATE_INDEXES[i], indexOrig: orig[i], training: tr, test: te, optimism: tr - te, indexCorrected: orig[i] - (tr - te), n: num[i] });
  }
  return out;
}
