/**
 * lassoPath: the lasso / elastic-net regularisation path of a Cox or logistic model, matched to
 * R's glmnet 4.1.6 (`glmnet(x, y, family = "cox" | "binomial", ...)`): same objective
 * (−(1/n)·log-likelihood + λ·[α‖β‖₁ + (1−α)/2‖β‖²]), same standardisation (weighted mean and
 * 1/n SD, coefficients returned on the original scale), same default λ sequence and the same
 * early end of a default path.
 */
import { InputError } from "../errors.js";
import { survivalInput } from "../survival/input.js";
import { designFromRows, standardize, usableColumns, type Design } from "./design.js";
import { coxnetPath, type SolverInput, type SolverOutput } from "./coxnet.js";
import { lognetPath } from "./lognet.js";

export type LassoFamily = "cox" | "binomial";

export interface SurvivalResponse {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
}

export type LassoResponse = SurvivalResponse | ArrayLike<number>;

export interface LassoPathOptions {
  family: LassoFamily;
  /** Elastic-net mixing: 1 = lasso, 0 = ridge. Must lie in [0, 1]. */
  alpha?: number;
  /** User λ values (any order; glmnet fits them in decreasing order). The path then never stops early. */
  lambda?: ArrayLike<number>;
  nlambda?: number;
  /** Smallest λ as a fraction of λmax; glmnet's default is 1e-4 when n ≥ p, else 0.01. */
  lambdaMinRatio?: number;
  standardize?: boolean;
  /** Convergence threshold (relative to the null deviance), glmnet's `thresh`. */
  thresh?: number;
  /** Maximum number of coordinate-descent passes over all lambdas, glmnet's `maxit`. */
  maxit?: number;
  /** Relative penalty per feature (0 = unpenalised, Infinity = excluded); rescaled to sum to p as glmnet does. */
  penaltyFactor?: ArrayLike<number>;
  /** 0-based column indices kept out of the model. */
  exclude?: ArrayLike<number>;
  /** glmnet's dfmax (default p + 1): a default path stops once more features than this are non-zero. */
  dfmax?: number;
  /** Feature names, used in messages (and carried into the result). */
  featureNames?: string[];
}

export interface LassoPathResult {
  family: LassoFamily;
  lambda: number[];
  /** beta[l][j]: coefficient of feature j at lambda[l], on the scale of x. */
  beta: number[][];
  /** Intercepts (binomial only). */
  a0?: number[];
  /** Number of non-zero coefficients at each lambda. */
  df: number[];
  /** 1 − deviance/nullDev at each lambda. */
  devRatio: number[];
  nullDev: number;
  /** Coordinate-descent passes used (glmnet's npasses). */
  npasses: number;
  featureNames?: string[];
  /** R-like notes (convergence, few observations in a class, early end of the path). */
  warnings: string[];
}

const WHAT = "lassoPath";

export function isSurvivalResponse(y: LassoResponse): y is SurvivalResponse {
  return typeof y === "object" && y !== null && "time" in y && "status" in y;
}

/** Validated response of either family, plus the row count it implies. */
export function checkResponse(
  y: LassoResponse,
  family: LassoFamily,
  n: number,
  what: string,
): { time?: Float64Array; status?: Uint8Array; y01?: Float64Array; warnings: string[] } {
  const warnings: string[] = [];
  if (family === "cox") {
    if (!isSurvivalResponse(y)) throw new InputError(`${what}: family "cox" needs y = { time, status }`);
    const s = survivalInput(y.time, y.status, what);
    if (s.n !== n) throw new InputError(`${what}: y has ${s.n} observations but x has ${n} rows`);
    let events = 0;
    for (let i = 0; i < n; i++) {
      if (s.status[i] === 1) {
        events++;
        if (!(s.time[i] > 0)) {
          throw new InputError(`${what}: event time at row ${i + 1} is ${s.time[i]}; the Cox family needs positive event times (glmnet)`);
        }
      }
    }
    if (events === 0) throw new InputError(`${what}: no events (every status is 0); the Cox partial likelihood is undefined`);
    return { time: s.time, status: s.status, warnings };
  }
  if (family !== "binomial") throw new InputError(`${what}: family must be "cox" or "binomial", got ${String(family)}`);
  if (isSurvivalResponse(y)) throw new InputError(`${what}: family "binomial" needs y as an array of 0/1`);
  if (y.length !== n) throw new InputError(`${what}: y has ${y.length} values but x has ${n} rows`);
  const y01 = new Float64Array(n);
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new InputError(`${what}: y at row ${i + 1} is ${v}; binomial y must be 0 or 1`);
    y01[i] = v;
    ones += v;
  }
  const minClass = Math.min(ones, n - ones);
  if (minClass <= 1) throw new InputError(`${what}: one binomial class has 1 or 0 observations; not allowed`);
  if (minClass < 8) warnings.push("one multinomial or binomial class has fewer than 8  observations; dangerous ground");
  return { y01, warnings };
}

/** Path on an already validated design (used by cvLasso for the fold fits). */
export function fitPath(
  d: Design,
  resp: { time?: Float64Array; status?: Uint8Array; y01?: Float64Array },
  opts: LassoPathOptions,
  what: string,
): LassoPathResult {
  const { n, p } = d;
  const family = opts.family;
  const alpha = opts.alpha ?? 1;
  if (typeof alpha !== "number" || !(alpha >= 0 && alpha <= 1)) {
    throw new InputError(`${what}: alpha must lie in [0, 1], got ${alpha}`);
  }
  const nlambda = opts.nlambda ?? 100;
  if (!Number.isInteger(nlambda) || nlambda < 1) throw new InputError(`${what}: nlambda must be a positive integer, got ${nlambda}`);
  const lambdaMinRatio = opts.lambdaMinRatio ?? (n < p ? 0.01 : 1e-4);
  let userLambda: Float64Array | null = null;
  if (opts.lambda !== undefined) {
    if (opts.lambda.length === 0) throw new InputError(`${what}: lambda is empty`);
    for (let l = 0; l < opts.lambda.length; l++) {
      const v = opts.lambda[l];
      if (!Number.isFinite(v) || v < 0) throw new InputError(`${what}: lambda[${l}] is ${v}; lambdas should be non-negative`);
    }
    userLambda = Float64Array.from(opts.lambda).sort().reverse();
  } else if (!(lambdaMinRatio > 0 && lambdaMinRatio < 1)) {
    throw new InputError(`${what}: lambdaMinRatio should be in (0, 1), got ${lambdaMinRatio}`);
  }
  const thresh = opts.thresh ?? 1e-7;
  if (!(thresh > 0)) throw new InputError(`${what}: thresh must be positive, got ${thresh}`);
  const maxit = opts.maxit ?? 1e5;
  if (!(maxit >= 1)) throw new InputError(`${what}: maxit must be at least 1, got ${maxit}`);

  // Penalty factors and exclusions as glmnet prepares them.
  const vp = new Float64Array(p).fill(1);
  if (opts.penaltyFactor !== undefined) {
    if (opts.penaltyFactor.length !== p) {
      throw new InputError(`${what}: penaltyFactor has ${opts.penaltyFactor.length} values but x has ${p} columns`);
    }
    for (let j = 0; j < p; j++) {
      const v = opts.penaltyFactor[j];
      if (!(v >= 0)) throw new InputError(`${what}: penaltyFactor[${j}] is ${v}; must be >= 0`);
      vp[j] = v;
    }
  }
  const ju = usableColumns(d);
  const excluded = new Uint8Array(p);
  if (opts.exclude) {
    for (let l = 0; l < opts.exclude.length; l++) {
      const j = opts.exclude[l];
      if (!Number.isInteger(j) || j < 0 || j >= p) throw new InputError(`${what}: exclude[${l}] = ${j} is not a column index in 0..${p - 1}`);
      excluded[j] = 1;
    }
  }
  for (let j = 0; j < p; j++) {
    if (vp[j] === Infinity) excluded[j] = 1;
    if (excluded[j]) {
      vp[j] = 1;
      ju[j] = 0;
    }
  }
  let vmax = 0;
  let vsum = 0;
  for (let j = 0; j < p; j++) {
    vmax = Math.max(vmax, vp[j]);
    vsum += vp[j];
  }
  if (!(vmax > 0)) throw new InputError(`${what}: all used predictors have zero penalty factor`);
  for (let j = 0; j < p; j++) vp[j] = (vp[j] * p) / vsum;
  if (!ju.some((v) => v === 1)) throw new InputError(`${what}: all used predictors have zero variance`);

  const w = new Float64Array(n).fill(1 / n);
  const std = opts.standardize ?? true;
  const s = standardize(d, w, ju, true, std);
  const inp: SolverInput = {
    n,
    p,
    x: s.x,
    w,
    ju,
    vp,
    alpha,
    lambda: userLambda,
    nlambda,
    lambdaMinRatio,
    thresh,
    maxit,
    dfmax: opts.dfmax ?? p + 1,
    what,
  };
  let fit: SolverOutput;
  if (family === "cox") fit = coxnetPath(inp, resp.time!, resp.status!);
  else fit = lognetPath(inp, resp.y01!);

  const lambda = fit.lambda.slice();
  // glmnet reports its first, "infinite" default lambda as the log-linear extrapolation of the next two.
  if (!userLambda && lambda.length > 2) lambda[0] = Math.exp(2 * Math.log(lambda[1]) - Math.log(lambda[2]));
  const beta: number[][] = [];
  const df: number[] = [];
  const a0: number[] = [];
  for (let l = 0; l < fit.beta.length; l++) {
    const bl = fit.beta[l];
    const row = new Array<number>(p);
    let nz = 0;
    let shift = 0;
    for (let j = 0; j < p; j++) {
      const bj = bl[j] === 0 ? 0 : bl[j] / s.xs[j];
      row[j] = bj;
      if (bj !== 0) nz++;
      shift += bj * s.xm[j];
    }
    beta.push(row);
    df.push(nz);
    a0.push(fit.a0[l] - shift);
  }
  const result: LassoPathResult = {
    family,
    lambda,
    beta,
    df,
    devRatio: fit.devRatio,
    nullDev: 2 * n * fit.nullDevHalf,
    npasses: fit.npasses,
    warnings: fit.warnings,
  };
  if (family === "binomial") result.a0 = a0;
  if (opts.featureNames) result.featureNames = opts.featureNames;
  return result;
}

/**
 * Fits the regularisation path. `x` is rows × features; `y` is { time, status } for "cox" or an
 * array of 0/1 for "binomial". Throws InputError naming the row/column of bad input; numerical
 * trouble (no convergence) ends the path early with an R-like message in `warnings`.
 */
export function lassoPath(x: number[][], y: LassoResponse, options: LassoPathOptions): LassoPathResult {
  if (!options || (options.family !== "cox" && options.family !== "binomial")) {
    throw new InputError(`${WHAT}: options.family must be "cox" or "binomial"`);
  }
  if (options.featureNames && x.length > 0 && options.featureNames.length !== x[0].length) {
    throw new InputError(`${WHAT}: featureNames has ${options.featureNames.length} names but x has ${x[0].length} columns`);
  }
  const d = designFromRows(x, WHAT, options.featureNames);
  const resp = checkResponse(y, options.family, d.n, WHAT);
  const fit = fitPath(d, resp, options, WHAT);
  fit.warnings.unshift(...resp.warnings);
  return fit;
}
