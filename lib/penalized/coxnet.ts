/**
 * Elastic-net Cox path by coordinate descent, the way glmnet 4.1.6's coxnet does it: the Breslow
 * partial likelihood (weights normalised to sum 1) is replaced at the current fit by a weighted
 * least-squares problem with the DIAGONAL of the Hessian as weights, coordinate descent runs on
 * the strong set (with inner passes over the active set only), then the quadratic is rebuilt; a
 * lambda is done when no active coefficient moved by more than thresh·(null half-deviance) and
 * every feature outside the strong set passes the KKT check. Warm starts carry the solution along
 * the path. Works on a standardized design; the caller maps coefficients back.
 */
import { InputError } from "../errors.js";
import { control, nextLambda, sweep, WorkingSets } from "./design.js";
import { kernels } from "./kernels.js";

export interface SolverInput {
  n: number;
  p: number;
  /** Standardized design, column-major. */
  x: Float64Array;
  /** Observation weights summing to 1. */
  w: Float64Array;
  ju: Uint8Array;
  /** Penalty factors, already normalised to sum to the number of features. */
  vp: Float64Array;
  alpha: number;
  /** Decreasing user lambdas, or null for glmnet's own sequence. */
  lambda: Float64Array | null;
  nlambda: number;
  lambdaMinRatio: number;
  thresh: number;
  maxit: number;
  /** glmnet's dfmax (ne): the default path stops once more features than this are non-zero. */
  dfmax: number;
  what: string;
}

export interface SolverOutput {
  lambda: number[];
  /** Coefficients on the standardized scale, one Float64Array per lambda. */
  beta: Float64Array[];
  a0: number[];
  devRatio: number[];
  /** Null deviance on the scale of the unnormalised weights (glmnet's nulldev). */
  nullDevHalf: number;
  npasses: number;
  warnings: string[];
}

export interface CoxRisk {
  /** Included observations in time order (events before censored at a tied time). */
  ord: Int32Array;
  /** Group k covers positions start[k]..start[k+1]-1 of ord: the k-th event time up to the next one. */
  start: Int32Array;
  /** Weighted number of events of each group (Breslow's d_k). */
  dk: Float64Array;
  /** Weighted event indicator, by original row. */
  dq: Float64Array;
}

/**
 * Risk-set bookkeeping of the Breslow likelihood exactly as glmnet builds it. glmnet moves each
 * censored time up by 100 machine epsilons so that a censored row is still at risk at an event at
 * the same time — but above t ≈ 256 that nudge is below the spacing of doubles and the tie
 * survives; the row then lands on whichever side of the tied event glmnet's sort leaves it. To give
 * the same fits (and the same cross-validated deviances) on data such as lung.csv, the times are
 * nudged the same way and ordered by the same sort (`singletonOrder`). Rows that end before the
 * first event are in no risk set and drop out.
 */
export function coxRiskSets(time: ArrayLike<number>, status: ArrayLike<number>, w: ArrayLike<number>, what: string): CoxRisk {
  const n = time.length;
  const ty = new Float64Array(n);
  for (let i = 0; i < n; i++) ty[i] = time[i] + (status[i] > 0 ? 0 : 100 * Number.EPSILON);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  singletonOrder(ty, all);
  const idx: number[] = [];
  for (const i of all) if (w[i] > 0) idx.push(i);
  const nj = idx.length;
  if (nj === 0) throw new InputError(`${what}: no positive observation weights`);
  let first = 0;
  while (first < nj && !(status[idx[first]] > 0)) first++;
  if (first >= nj) throw new InputError(`${what}: no events (every status is 0); the Cox partial likelihood is undefined`);
  if (first >= nj - 2) {
    throw new InputError(`${what}: initialization numerical error; probably too many censored observations (glmnet needs an event before the last two rows in time order)`);
  }
  const t0 = ty[idx[first]];
  let j0 = first - 1;
  while (j0 >= 0 && ty[idx[j0]] >= t0) j0--;
  const ord = Int32Array.from(idx.slice(j0 + 1));
  // Group k: from its event time up to (not including) the next event with a strictly later time.
  const starts: number[] = [0];
  let cur = t0;
  for (let k = first - (j0 + 1) + 1; k < ord.length; k++) {
    const i = ord[k];
    if (status[i] > 0 && ty[i] > cur) {
      starts.push(k);
      cur = ty[i];
    }
  }
  starts.push(ord.length);
  const nk = starts.length - 1;
  const dks = new Float64Array(nk);
  for (let k = 0; k < nk; k++) {
    for (let q = starts[k]; q < starts[k + 1]; q++) {
      const i = ord[q];
      if (status[i] > 0) dks[k] += w[i];
    }
  }
  const dq = new Float64Array(n);
  for (let i = 0; i < n; i++) dq[i] = status[i] > 0 ? w[i] : 0;
  return { ord, start: Int32Array.from(starts), dk: dks, dq };
}

/**
 * Sorts the index array `a` so that v[a[.]] increases, with R. C. Singleton's quicksort (CACM
 * Algorithm 347: median-of-three pivot, explicit stack of the larger part, straight insertion
 * for short segments away from the left end) — the sort glmnet's Fortran uses. It is not stable;
 * reproducing its order of tied values is the point, since glmnet's Cox risk sets depend on it.
 */
export function singletonOrder(v: ArrayLike<number>, a: Int32Array): void {
  const n = a.length;
  if (n < 2) return;
  const il = new Int32Array(64);
  const iu = new Int32Array(64);
  let m = 1;
  let i = 0;
  let j = n - 1;
  let state: "check" | "split" | "pop" | "next" = "check";
  for (;;) {
    if (state === "check") {
      state = i >= j ? "pop" : "split";
    } else if (state === "split") {
      let k = i;
      const ij = (i + j) >> 1;
      let t = a[ij];
      let vt = v[t];
      if (v[a[i]] > vt) {
        a[ij] = a[i];
        a[i] = t;
        t = a[ij];
        vt = v[t];
      }
      let l = j;
      if (v[a[j]] < vt) {
        a[ij] = a[j];
        a[j] = t;
        t = a[ij];
        vt = v[t];
        if (v[a[i]] > vt) {
          a[ij] = a[i];
          a[i] = t;
          t = a[ij];
          vt = v[t];
        }
      }
      for (;;) {
        do l--;
        while (v[a[l]] > vt);
        const tt = a[l];
        do k++;
        while (v[a[k]] < vt);
        if (k > l) break;
        a[l] = a[k];
        a[k] = tt;
      }
      if (l - i <= j - k) {
        il[m] = k;
        iu[m] = j;
        j = l;
      } else {
        il[m] = i;
        iu[m] = l;
        i = k;
      }
      m++;
      state = "next";
    } else if (state === "pop") {
      m--;
      if (m === 0) return;
      i = il[m];
      j = iu[m];
      state = "next";
    } else {
      if (j - i > 10) {
        state = "split";
        continue;
      }
      if (i === 0) {
        state = "check";
        continue;
      }
      // Straight insertion; a[i - 1] is a sentinel no larger than anything in the segment.
      for (let s = i; s < j; s++) {
        const t = a[s + 1];
        const vt = v[t];
        if (v[a[s]] <= vt) continue;
        let k = s;
        do {
          a[k + 1] = a[k];
          k--;
        } while (vt < v[a[k]]);
        a[k + 1] = t;
      }
      state = "pop";
    }
  }
}

/** Breslow log partial likelihood Σ_k [Σ_{events} w_i η_i − d_k log Σ_{risk set} w_j e^{η_j}]. */
export function coxLoglik(rs: CoxRisk, w: ArrayLike<number>, eta: ArrayLike<number>): number {
  const { ord, start, dk, dq } = rs;
  const nk = dk.length;
  let ll = 0;
  for (let i = 0; i < eta.length; i++) if (dq[i] > 0) ll += dq[i] * eta[i];
  // Shift by the largest η so exp() cannot overflow; the shift cancels in the likelihood.
  let emax = -Infinity;
  for (let k = 0; k < ord.length; k++) emax = Math.max(emax, eta[ord[k]]);
  let s = 0;
  for (let k = nk - 1; k >= 0; k--) {
    for (let q = start[k]; q < start[k + 1]; q++) {
      const i = ord[q];
      s += w[i] * Math.exp(eta[i] - emax);
    }
    ll -= dk[k] * (Math.log(s) + emax);
  }
  return ll;
}

/** Saturated log-likelihood of glmnet's Cox deviance: −Σ_k d_k log d_k. */
export function coxSaturated(rs: CoxRisk): number {
  let s = 0;
  for (const d of rs.dk) if (d > 0) s -= d * Math.log(d);
  return s;
}

/**
 * Fits the Cox path on a standardized design. The arithmetic is glmnet's, arranged for speed: the
 * column loops run in WebAssembly SIMD (kernels.ts), the sweeps run over index lists of the
 * strong and active sets (sweep() in design.ts), the linear
 * predictor is rebuilt from the active coefficients once per quadratic approximation instead of
 * being updated at every coordinate move, and nothing is allocated inside the loops.
 */
export function coxnetPath(inp: SolverInput, time: ArrayLike<number>, status: ArrayLike<number>): SolverOutput {
  const { n, p, x, w, ju, vp, alpha, thresh, maxit, what } = inp;
  const rs = coxRiskSets(time, status, w, what);
  const { ord, start, dk, dq } = rs;
  const nk = dk.length;
  const no = ord.length;
  const warnings: string[] = [];
  const fmax = Math.log(Number.MAX_VALUE * 0.1);

  // Design and the per-row vectors the column loops touch live in the kernels' heap:
  // x at 0 (column j at j·n), then wr, W and f.
  const K = kernels();
  const XO = 0;
  const WR = n * p;
  const WO = WR + n;
  const FO = WO + n;
  const heap = K.reserve(FO + n);
  heap.set(x.subarray(0, n * p), XO);
  const wr = heap.subarray(WR, WR + n); // score residual (gradient in η)
  const W = heap.subarray(WO, WO + n); // Hessian diagonal
  const f = heap.subarray(FO, FO + n); // linear predictor
  wr.fill(0);
  W.fill(0);
  f.fill(0);
  const e = new Float64Array(n);
  const u = new Float64Array(nk);
  const inSet = new Uint8Array(n);
  for (let q = 0; q < no; q++) inSet[ord[q]] = 1;
  const a = new Float64Array(p);
  const ws = new WorkingSets(p);

  /**
   * Rebuilds the quadratic approximation at the current coefficients: f = X·a over the active
   * set, risk-set sums by one backward cumulative sum over the time-ordered rows, then the
   * Hessian diagonal and score residual by one forward pass — O(n) beyond forming f. False when a
   * weight is not positive (glmnet's numerical error).
   */
  const outer = (): boolean => {
    f.fill(0);
    for (let l = 0; l < ws.nActive; l++) {
      const j = ws.active[l];
      if (a[j] !== 0) K.axpy(FO, a[j], XO + j * n, n);
    }
    for (let i = 0; i < n; i++) e[i] = inSet[i] ? w[i] * Math.exp(Math.sign(f[i]) * Math.min(Math.abs(f[i]), fmax)) : 0;
    let s = 0;
    for (let k = nk - 1; k >= 0; k--) {
      for (let q = start[k]; q < start[k + 1]; q++) s += e[ord[q]];
      u[k] = s;
    }
    let b = 0;
    let c = 0;
    for (let k = 0; k < nk; k++) {
      b += dk[k] / u[k];
      c += dk[k] / (u[k] * u[k]);
      for (let q = start[k]; q < start[k + 1]; q++) {
        const i = ord[q];
        const wi = e[i] * (b - e[i] * c);
        W[i] = wi;
        if (!(wi > 0)) return false;
        wr[i] = dq[i] - e[i] * b;
      }
    }
    return true;
  };
  const risk = (): number => {
    let r = 0;
    for (let i = 0; i < n; i++) r += dq[i] * f[i];
    for (let k = 0; k < nk; k++) r -= dk[k] * Math.log(u[k]);
    return r;
  };

  if (!outer()) throw new InputError(`${what}: initialization numerical error; probably too many censored observations`);
  const r0 = risk();
  let sdk = 0;
  for (let k = 0; k < nk; k++) sdk += dk[k] * Math.log(dk[k]);
  const rr = -(sdk + r0); // null half-deviance (normalised weights)

  const ga = new Float64Array(p);
  for (let j = 0; j < p; j++) if (ju[j]) ga[j] = Math.abs(K.dot(XO + j * n, WR, n));

  const user = inp.lambda;
  const nlam = user ? user.length : inp.nlambda;
  const flmin = user ? 1 : inp.lambdaMinRatio;
  // coxnet's Fortran forms the exponent 1/(nlam-1) in single precision; doing the same keeps the
  // default lambdas equal to glmnet's to the last digits rather than 1e-9 apart.
  const alf = user ? 1 : Math.pow(Math.max(control.eps, flmin), Math.fround(1 / (nlam - 1)));
  const mnl = Math.min(control.mnlam, nlam);
  const sml = control.fdev * 100; // coxnet's own, looser, stopping rules
  const devmax = (control.devmax * 0.99) / 0.999;
  const cthr = thresh * rr;

  const as = new Float64Array(p);
  const v = new Float64Array(p);
  const { strong, strongList, active } = ws;
  let nlp = 0;
  let al = 0;
  const out: SolverOutput = { lambda: [], beta: [], a0: [], devRatio: [], nullDevHalf: rr, npasses: 0, warnings };

  pathLoop: for (let m = 0; m < nlam; m++) {
    const nl = nextLambda(m, al, user, alf, ga, vp, ju, alpha);
    al = nl.al;
    const al0 = nl.al0;
    const sa = alpha * al;
    const omal = (1 - alpha) * al;
    const tlam = alpha * (2 * al - al0);
    for (let k = 0; k < p; k++) if (!strong[k] && ju[k] && ga[k] > tlam * vp[k]) strong[k] = 1;
    ws.syncStrong();
    for (;;) {
      for (let l = 0; l < ws.nActive; l++) as[active[l]] = a[active[l]];
      for (let s = 0; s < ws.nStrong; s++) {
        const j = strongList[s];
        v[j] = K.wsq(XO + j * n, WO, n);
      }
      // Coordinate descent on the quadratic: full strong-set passes, each followed by active-set passes.
      for (;;) {
        if (++nlp > maxit) {
          warnings.push(convergenceWarning(m, maxit));
          break pathLoop;
        }
        const dli = sweep(K, strongList, ws.nStrong, n, WR, WO, a, v, vp, sa, omal, ws);
        if (dli < cthr) break;
        for (;;) {
          if (++nlp > maxit) {
            warnings.push(convergenceWarning(m, maxit));
            break pathLoop;
          }
          const d2 = sweep(K, active, ws.nActive, n, WR, WO, a, v, vp, sa, omal, ws);
          if (d2 < cthr) break;
        }
      }
      if (!outer()) {
        warnings.push(`Numerical error at ${m + 1}th lambda value; solutions for larger values of lambda returned`);
        break pathLoop;
      }
      let moved = false;
      for (let l = 0; l < ws.nActive; l++) {
        const k = active[l];
        const d = a[k] - as[k];
        if (v[k] * d * d >= cthr) {
          moved = true;
          break;
        }
      }
      if (moved) continue;
      // KKT check outside the strong set, only once the fit has converged on it.
      let added = false;
      for (let k = 0; k < p; k++) {
        if (strong[k] || !ju[k]) continue;
        ga[k] = Math.abs(K.dot(XO + k * n, WR, n));
        if (ga[k] > sa * vp[k]) {
          strong[k] = 1;
          added = true;
        }
      }
      if (!added) break;
      ws.syncStrong();
    }
    out.lambda.push(al);
    out.beta.push(Float64Array.from(a));
    out.a0.push(0);
    const dev = (risk() - r0) / rr;
    out.devRatio.push(dev);
    if (m + 1 < mnl || user) continue;
    let me = 0;
    for (let j = 0; j < p; j++) if (a[j] !== 0) me++;
    if (me > inp.dfmax) break;
    if ((dev - out.devRatio[m - mnl + 1]) / dev < sml) break;
    if (dev > devmax) break;
  }
  out.npasses = nlp;
  return out;
}

export function convergenceWarning(m: number, maxit: number): string {
  return `Convergence for ${m + 1}th lambda value not reached after maxit=${maxit} iterations; solutions for larger lambdas returned`;
}
