/**
 * cvLasso: K-fold cross-validation of the lasso path, matched to R's cv.glmnet (glmnet 4.1.6).
 * The full data fix the λ sequence; each fold refits on the other folds at exactly those λ; the
 * held-out error is summarised per λ as cv.glmnet does:
 *  - Cox "deviance" (grouped, Verweij & van Houwelingen): fold k scores
 *    [D(all rows, β_k) − D(rows outside k, β_k)] / (events in k), D = Breslow deviance;
 *    weights = events per fold.
 *  - Cox "C": Harrell's C of the held-out linear predictors per fold; weights = fold sizes.
 *  - binomial "deviance" / "class": per-observation loss averaged within each fold (grouped),
 *    weights = fold sizes; "auc": per-fold AUC, weights = fold sizes.
 * cvm is the weighted mean over folds, cvsd = sqrt(weighted mean of squared deviations / (K − 1));
 * lambdaMin is the largest λ attaining the best cvm, lambda1se the largest λ whose cvm is within
 * one cvsd (of the best λ) of the best.
 */
import { InputError } from "../errors.js";
import { createRng, foldIds } from "../random/index.js";
import { concordance } from "../survival/concordance.js";
import { designFromRows, type Design } from "./design.js";
import { coxLoglik, coxRiskSets, coxSaturated } from "./coxnet.js";
import {
  checkResponse,
  fitPath,
  type LassoFamily,
  type LassoPathOptions,
  type LassoPathResult,
  type LassoResponse,
} from "./lassoPath.js";

export type CvMeasure = "deviance" | "C" | "auc" | "class";

export interface CvLassoOptions extends LassoPathOptions {
  nfolds?: number;
  /** Fold of each row, 1..K (as R's foldid). Overrides nfolds and seed. */
  foldid?: ArrayLike<number>;
  typeMeasure?: CvMeasure;
  /** Seed of radsurv's generator for the random folds (default 1). */
  seed?: number;
  grouped?: boolean;
}

export interface CvLassoResult {
  family: LassoFamily;
  typeMeasure: CvMeasure;
  /** R's label of the measure, e.g. "Partial Likelihood Deviance". */
  name: string;
  lambda: number[];
  cvm: number[];
  cvsd: number[];
  cvup: number[];
  cvlo: number[];
  nzero: number[];
  lambdaMin: number;
  lambda1se: number;
  /** 0-based positions of lambdaMin / lambda1se in `lambda` (R's index is these + 1). */
  indexMin: number;
  index1se: number;
  /** The full-data path. */
  path: LassoPathResult;
  /** Fold of each row, 1..K. */
  foldid: number[];
  warnings: string[];
}

const WHAT = "cvLasso";

const measureNames: Record<CvMeasure, string> = {
  deviance: "",
  C: "C-index",
  auc: "AUC",
  class: "Misclassification Error",
};

function subset(d: Design, rows: number[]): Design {
  const m = rows.length;
  const x = new Float64Array(m * d.p);
  for (let j = 0; j < d.p; j++) {
    const off = j * d.n;
    const o2 = j * m;
    for (let r = 0; r < m; r++) x[o2 + r] = d.x[off + rows[r]];
  }
  return { n: m, p: d.p, x };
}

/** Linear predictors x·β for the given rows (β on the original scale). */
function linearPredictor(d: Design, rows: number[], beta: number[], a0: number): Float64Array {
  const eta = new Float64Array(rows.length).fill(a0);
  for (let j = 0; j < d.p; j++) {
    const b = beta[j];
    if (b === 0) continue;
    const off = j * d.n;
    for (let r = 0; r < rows.length; r++) eta[r] += b * d.x[off + rows[r]];
  }
  return eta;
}

/** x·β for every row into `out` (β on the original scale; zero coefficients skipped). */
function allEta(d: Design, beta: number[], out: Float64Array): void {
  out.fill(0);
  const { n, x } = d;
  for (let j = 0; j < d.p; j++) {
    const b = beta[j];
    if (b === 0) continue;
    const off = j * n;
    for (let i = 0; i < n; i++) out[i] += b * x[off + i];
  }
}

/** Breslow Cox deviance 2·(saturated − log partial likelihood) of the rows, unit weights (glmnet's coxnet.deviance). */
export function coxDeviance(time: ArrayLike<number>, status: ArrayLike<number>, eta: ArrayLike<number>): number {
  const w = new Float64Array(time.length).fill(1);
  const rs = coxRiskSets(time, status, w, "coxDeviance");
  return 2 * (coxSaturated(rs) - coxLoglik(rs, w, eta));
}

/** AUC with ties counted one half (what glmnet's auc() gets from survival::concordance). */
export function aucScore(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  // Mann–Whitney via mid-ranks.
  const ranks = new Float64Array(y.length);
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e + 1 < idx.length && score[idx[e + 1]] === score[idx[k]]) e++;
    const mid = (k + e) / 2 + 1;
    for (let q = k; q <= e; q++) ranks[idx[q]] = mid;
    k = e + 1;
  }
  let n1 = 0;
  let rs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) {
      n1++;
      rs += ranks[i];
    }
  }
  const n0 = y.length - n1;
  if (n1 === 0 || n0 === 0) return NaN;
  return (rs - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * Coefficients of a fitted path at the lambdas `s`, as glmnet's predict.glmnet with its
 * lambda.interp: positions on the path's λ scale normalised to [0, 1], linear interpolation of the
 * coefficients between the two neighbouring path λ (R's approx() to find them), and values outside
 * the path's range clamped to its first or last solution. At a λ of the path itself this returns
 * that solution exactly.
 */
export function interpolateCoefs(fit: LassoPathResult, s: ArrayLike<number>): Array<{ beta: number[]; a0: number }> {
  const lam = fit.lambda;
  const K = lam.length;
  const a0s = fit.a0;
  const out: Array<{ beta: number[]; a0: number }> = [];
  if (K === 1) {
    for (let q = 0; q < s.length; q++) out.push({ beta: fit.beta[0], a0: a0s ? a0s[0] : 0 });
    return out;
  }
  const range = lam[0] - lam[K - 1];
  const norm = lam.map((l) => (lam[0] - l) / range); // increasing from 0 to 1
  const lo = Math.min(...norm);
  const hi = Math.max(...norm);
  for (let q = 0; q < s.length; q++) {
    let sf = (lam[0] - s[q]) / range;
    if (sf < lo) sf = lo;
    if (sf > hi) sf = hi;
    // R's approx(norm, 1..K, sf): bisection for the bracketing knots, exact knot values returned as is.
    let i = 0;
    let j = K - 1;
    while (i < j - 1) {
      const ij = (i + j) >> 1;
      if (sf < norm[ij]) j = ij;
      else i = ij;
    }
    let coord: number;
    if (sf === norm[j]) coord = j + 1;
    else if (sf === norm[i]) coord = i + 1;
    else coord = i + 1 + ((sf - norm[i]) / (norm[j] - norm[i]));
    const left = Math.floor(coord) - 1;
    const right = Math.ceil(coord) - 1;
    let frac = (sf - norm[right]) / (norm[left] - norm[right]);
    if (left === right || Math.abs(norm[left] - norm[right]) < Number.EPSILON) frac = 1;
    if (frac === 1) {
      out.push({ beta: fit.beta[left], a0: a0s ? a0s[left] : 0 });
      continue;
    }
    const bl = fit.beta[left];
    const br = fit.beta[right];
    const beta = new Array<number>(bl.length);
    for (let m = 0; m < bl.length; m++) beta[m] = bl[m] * frac + br[m] * (1 - frac);
    out.push({ beta, a0: a0s ? a0s[left] * frac + a0s[right] * (1 - frac) : 0 });
  }
  return out;
}

function weightedMean(x: number[], w: number[]): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) continue;
    s += x[i] * w[i];
    sw += w[i];
  }
  return s / sw;
}

/**
 * Cross-validates the path. Options are lassoPath's plus nfolds/foldid/seed/typeMeasure/grouped.
 */
export function cvLasso(x: number[][], y: LassoResponse, options: CvLassoOptions): CvLassoResult {
  if (!options || (options.family !== "cox" && options.family !== "binomial")) {
    throw new InputError(`${WHAT}: options.family must be "cox" or "binomial"`);
  }
  const family = options.family;
  const d = designFromRows(x, WHAT, options.featureNames);
  const n = d.n;
  const resp = checkResponse(y, family, n, WHAT);
  const warnings = [...resp.warnings];

  let typeMeasure: CvMeasure = options.typeMeasure ?? "deviance";
  const allowed: CvMeasure[] = family === "cox" ? ["deviance", "C"] : ["deviance", "auc", "class"];
  if (!allowed.includes(typeMeasure)) {
    throw new InputError(`${WHAT}: typeMeasure "${typeMeasure}" is not available for family "${family}" (use ${allowed.join(", ")})`);
  }

  // Folds: given, or drawn with radsurv's seeded generator (R's sample(rep(1:K, length = n)) in spirit).
  let foldid: number[];
  if (options.foldid !== undefined) {
    if (options.foldid.length !== n) throw new InputError(`${WHAT}: foldid has ${options.foldid.length} values but x has ${n} rows`);
    foldid = Array.from(options.foldid);
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(foldid[i]) || foldid[i] < 1) {
        throw new InputError(`${WHAT}: foldid at row ${i + 1} is ${foldid[i]}; folds are numbered 1..K`);
      }
    }
  } else {
    const nfolds = options.nfolds ?? 10;
    foldid = Array.from(foldIds(n, nfolds, createRng(options.seed ?? 1)));
  }
  const K = Math.max(...foldid);
  if (K < 3) throw new InputError(`${WHAT}: nfolds must be bigger than 3; nfolds=10 recommended (got ${K})`);
  const foldRows: number[][] = Array.from({ length: K }, () => []);
  const trainRows: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) (foldid[i] === k + 1 ? foldRows : trainRows)[k].push(i);
  }
  for (let k = 0; k < K; k++) {
    if (foldRows[k].length === 0) throw new InputError(`${WHAT}: fold ${k + 1} has no rows; folds must be numbered 1..K without gaps`);
  }

  if (family === "binomial" && typeMeasure === "auc" && Math.min(...foldRows.map((r) => r.length)) < 10) {
    warnings.push(
      "Too few (< 10) observations per fold for type.measure='auc' in cv.lognet; changed to type.measure='deviance'. Alternatively, use smaller value for nfolds",
    );
    typeMeasure = "deviance";
  }
  let grouped = options.grouped ?? true;
  if (family === "cox" && typeMeasure === "deviance" && n / K < 10 && !grouped) {
    warnings.push("Option grouped=TRUE enforced for cv.coxnet, since < 10 observations per fold");
    grouped = true;
  }

  const path = fitPath(d, resp, options, WHAT);
  warnings.push(...path.warnings);
  const lambda = path.lambda;
  const L = lambda.length;
  // As cv.glmnet: the fold fits get the user's lambda when there is one; otherwise each fold runs
  // its own default sequence (its own λmax, lambda.min.ratio by its own n vs p, and the early end
  // of a default path), and its coefficients are interpolated at the full data's λ (below).
  const foldOpts: LassoPathOptions = options.lambda !== undefined ? { ...options, lambda } : { ...options };

  // cvraw rows: folds (grouped) or observations (ungrouped binomial loss); weights alongside.
  let cvraw: number[][];
  let weights: number[];
  let N: number[];
  const foldSizes = foldRows.map((r) => r.length);

  const fits: LassoPathResult[] = [];
  for (let k = 0; k < K; k++) {
    const dk = subset(d, trainRows[k]);
    const rk =
      family === "cox"
        ? {
            time: Float64Array.from(trainRows[k], (i) => resp.time![i]),
            status: Uint8Array.from(trainRows[k], (i) => resp.status![i]),
          }
        : { y01: Float64Array.from(trainRows[k], (i) => resp.y01![i]) };
    if (family === "cox" && !rk.status!.some((s) => s === 1)) {
      throw new InputError(`${WHAT}: the rows outside fold ${k + 1} contain no events`);
    }
    if (family === "binomial") {
      const ones = rk.y01!.reduce((a, b) => a + b, 0);
      if (Math.min(ones, rk.y01!.length - ones) <= 1) {
        throw new InputError(`${WHAT}: the rows outside fold ${k + 1} have 1 or 0 observations of one class`);
      }
    }
    const fk = fitPath(dk, rk, foldOpts, WHAT);
    for (const wmsg of fk.warnings) warnings.push(`fold ${k + 1}: ${wmsg}`);
    fits.push(fk);
  }
  /** Coefficients of each fold at each full-data lambda (glmnet's predict(fit, s = lambda, type = "coefficients")). */
  const foldCoefs = fits.map((f) => interpolateCoefs(f, lambda));
  const coefAt = (k: number, l: number) => foldCoefs[k][l];

  if (family === "cox") {
    const time = resp.time!;
    const status = resp.status!;
    if (typeMeasure === "deviance") {
      cvraw = [];
      const events = foldRows.map((r) => r.reduce((a, i) => a + status[i], 0));
      // Risk sets depend only on the rows, so they are built once per data set, not per lambda.
      const ones = new Float64Array(n).fill(1);
      const rsFull = coxRiskSets(time, status, ones, WHAT);
      const satFull = coxSaturated(rsFull);
      const etaAll = new Float64Array(n);
      const etaTrain = new Float64Array(n);
      for (let k = 0; k < K; k++) {
        const row: number[] = [];
        const tr = trainRows[k];
        const ft = foldRows[k];
        const trTime = tr.map((i) => time[i]);
        const trStatus = tr.map((i) => status[i]);
        const rsTrain = coxRiskSets(trTime, trStatus, ones, WHAT);
        const satTrain = coxSaturated(rsTrain);
        const trOnes = ones.subarray(0, tr.length);
        for (let l = 0; l < L; l++) {
          const { beta } = coefAt(k, l);
          let val: number;
          if (grouped) {
            // One X·β over all rows; the training rows' predictors are a subset of it.
            allEta(d, beta, etaAll);
            for (let r = 0; r < tr.length; r++) etaTrain[r] = etaAll[tr[r]];
            const full = 2 * (satFull - coxLoglik(rsFull, ones, etaAll));
            const minus = 2 * (satTrain - coxLoglik(rsTrain, trOnes, etaTrain.subarray(0, tr.length)));
            val = full - minus;
          } else {
            val = ft.some((i) => status[i] === 1)
              ? coxDeviance(
                  ft.map((i) => time[i]),
                  ft.map((i) => status[i]),
                  linearPredictor(d, ft, beta, 0),
                )
              : NaN;
          }
          row.push(val / events[k]);
        }
        cvraw.push(row);
      }
      weights = events;
      N = new Array(L).fill(K);
    } else {
      cvraw = [];
      for (let k = 0; k < K; k++) {
        const ft = foldRows[k];
        const row: number[] = [];
        for (let l = 0; l < L; l++) {
          const eta = linearPredictor(d, ft, coefAt(k, l).beta, 0);
          const c = concordance(
            ft.map((i) => time[i]),
            ft.map((i) => status[i]),
            eta,
          );
          row.push(c.c);
        }
        cvraw.push(row);
      }
      weights = foldSizes;
      N = new Array(L).fill(K);
    }
  } else {
    const yv = resp.y01!;
    if (typeMeasure === "auc") {
      cvraw = [];
      for (let k = 0; k < K; k++) {
        const ft = foldRows[k];
        const row: number[] = [];
        for (let l = 0; l < L; l++) {
          const { beta, a0 } = coefAt(k, l);
          const eta = linearPredictor(d, ft, beta, a0);
          // On the probability scale, as cv.lognet: probabilities that round to the same double
          // (e.g. 1 near separation) are ties there although their linear predictors differ.
          for (let r = 0; r < eta.length; r++) eta[r] = 1 / (1 + Math.exp(-eta[r]));
          row.push(aucScore(ft.map((i) => yv[i]), eta));
        }
        cvraw.push(row);
      }
      weights = foldSizes;
      N = new Array(L).fill(K);
    } else {
      // Per-observation losses of the held-out predictions.
      const obs: number[][] = Array.from({ length: n }, () => new Array<number>(L));
      const pmin = 1e-5;
      for (let k = 0; k < K; k++) {
        const ft = foldRows[k];
        for (let l = 0; l < L; l++) {
          const { beta, a0 } = coefAt(k, l);
          const eta = linearPredictor(d, ft, beta, a0);
          for (let r = 0; r < ft.length; r++) {
            const i = ft[r];
            const p = 1 / (1 + Math.exp(-eta[r]));
            if (typeMeasure === "deviance") {
              const pc = Math.min(Math.max(p, pmin), 1 - pmin);
              obs[i][l] = -2 * (yv[i] === 1 ? Math.log(pc) : Math.log(1 - pc));
            } else {
              // cv.lognet counts p = 0.5 as an error for either class.
              obs[i][l] = yv[i] === 1 ? (p <= 0.5 ? 1 : 0) : p >= 0.5 ? 1 : 0;
            }
          }
        }
      }
      if (n / K < 3 && grouped) {
        warnings.push("Option grouped=FALSE enforced in cv.glmnet, since < 3 observations per fold");
        grouped = false;
      }
      if (grouped) {
        cvraw = foldRows.map((ft) =>
          Array.from({ length: L }, (_, l) => {
            let s = 0;
            for (const i of ft) s += obs[i][l];
            return s / ft.length;
          }),
        );
        weights = foldSizes;
        N = new Array(L).fill(K);
      } else {
        cvraw = obs;
        weights = new Array(n).fill(1);
        N = new Array(L).fill(n);
      }
    }
  }

  // cv.glmnet's summaries per lambda; a lambda whose cvsd is undefined is dropped, as cvstats does.
  const out = { lambda: [] as number[], cvm: [] as number[], cvsd: [] as number[], nzero: [] as number[] };
  for (let l = 0; l < L; l++) {
    const col = cvraw.map((r) => r[l]);
    const m = weightedMean(col, weights);
    const sd = Math.sqrt(
      weightedMean(
        col.map((v) => (v - m) ** 2),
        weights,
      ) /
        (N[l] - 1),
    );
    if (Number.isNaN(sd)) continue;
    out.lambda.push(lambda[l]);
    out.cvm.push(m);
    out.cvsd.push(sd);
    out.nzero.push(path.df[l]);
  }
  if (out.lambda.length === 0) throw new InputError(`${WHAT}: no lambda has a defined cross-validated error`);
  const higherBetter = typeMeasure === "C" || typeMeasure === "auc";
  const score = out.cvm.map((v) => (higherBetter ? -v : v));
  const best = Math.min(...score);
  // lambda is decreasing, so the first index attaining the optimum is the largest such lambda.
  const indexMin = score.findIndex((v) => v <= best);
  const bound = score[indexMin] + out.cvsd[indexMin];
  const index1se = score.findIndex((v) => v <= bound);
  const name =
    typeMeasure === "deviance" ? (family === "cox" ? "Partial Likelihood Deviance" : "Binomial Deviance") : measureNames[typeMeasure];
  return {
    family,
    typeMeasure,
    name,
    lambda: out.lambda,
    cvm: out.cvm,
    cvsd: out.cvsd,
    cvup: out.cvm.map((m, i) => m + out.cvsd[i]),
    cvlo: out.cvm.map((m, i) => m - out.cvsd[i]),
    nzero: out.nzero,
    lambdaMin: out.lambda[indexMin],
    lambda1se: out.lambda[index1se],
    indexMin,
    index1se,
    path,
    foldid,
    warnings,
  };
}
