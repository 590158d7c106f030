/**
 * The rad-score: one number per patient from the features the LASSO selected, fitted on the
 * training cohort and then applied unchanged to any cohort.
 *  - radScoreCox: the paper's definition — the linear predictor of an (unpenalised) Cox model
 *    refitted on the selected features (survival::coxph, Efron ties), centred at the training
 *    means as R's predict(fit, newdata, type = "lp") is, so the training scores average 0.
 *  - radScoreLasso: the LASSO coefficients themselves at lambda.min or lambda.1se (shrunken, not
 *    refitted); for the binomial family the intercept is included (the score is the log-odds).
 * Both keep the training scaler when given one, so raw feature values of a new cohort are
 * z-scored with the training numbers before the score is formed.
 * radScoreCutoff picks the Youden-optimal cut-off on the training cohort (pROC's rule, via
 * lib/stats/roc) and riskGroup applies that fixed cut-off to any cohort.
 */
import { InputError } from "../errors.js";
import { roc, type RocResult } from "../stats/roc.js";
import { applyScaler, type Scaler, type ScaledMatrix } from "../stats/preprocess.js";
import type { BinaryAtHorizon } from "../stats/binaryOutcome.js";
import { coxph, type CoxTies } from "../survival/coxph.js";
import type { CvLassoResult } from "./cvLasso.js";

export interface RadScoreTerm {
  feature: string;
  /** Column of the feature in the matrix the score is computed from. */
  column: number;
  coef: number;
  /** Cox refit only: standard error, hazard ratio with its interval, Wald p. */
  se?: number;
  hr?: number;
  hrLower?: number;
  hrUpper?: number;
  p?: number;
}

export interface RadScore {
  method: "cox" | "lasso";
  /** Coefficient table of the selected features. */
  terms: RadScoreTerm[];
  /** score = constant + Σ coef·x: −Σ coef·(training mean) for the Cox refit, the intercept (or 0) for the LASSO. */
  constant: number;
  /** The rad-score of each row of `x` (rows × all features, the columns the model was fitted on). */
  score(x: ArrayLike<ArrayLike<number>>): number[];
  /** Training scaler applied to `x` first by score(), when one was given. */
  scaler?: Scaler;
  /** Scores of the training rows. */
  trainScore: number[];
  warnings: string[];
}

export interface RadScoreOptions {
  /** Feature names (column order); default the scaler's names, the LASSO's featureNames, or x1, x2, … */
  names?: string[];
  /**
   * The training scaler. When given, score() takes RAW feature values and z-scores them with it
   * (applyScaler, including the median replacement); without it, score() takes values on the
   * same scale as the matrix the model was fitted on.
   */
  scaler?: Scaler;
}

export interface RadScoreCoxOptions extends RadScoreOptions {
  /** Tie handling of the refit (default "efron", as coxph). */
  ties?: CoxTies;
}

type Rows = ArrayLike<ArrayLike<number>>;

function columnsOf(selected: ArrayLike<number | string>, names: string[], what: string): number[] {
  if (!selected || selected.length === 0) throw new InputError(`${what}: no features selected; the rad-score needs at least one`);
  const cols: number[] = [];
  for (let k = 0; k < selected.length; k++) {
    const s = selected[k];
    const j = typeof s === "number" ? s : names.indexOf(s);
    if (!Number.isInteger(j) || j < 0 || j >= names.length) {
      throw new InputError(`${what}: selected feature ${String(s)} is not a column (${names.length} features${typeof s === "string" ? " by name" : ", 0-based"})`);
    }
    if (cols.includes(j)) throw new InputError(`${what}: feature ${names[j]} is selected twice`);
    cols.push(j);
  }
  return cols;
}

function widthOf(x: Rows, what: string): number {
  if (!x || x.length === 0) throw new InputError(`${what}: x has no rows`);
  return x[0].length;
}

/** Builds score() for fixed coefficients on columns `cols`. */
function scorer(cols: number[], coef: number[], constant: number, p: number, scaler: Scaler | undefined, what: string) {
  return (x: Rows): number[] => {
    let rows: Rows = x;
    if (scaler) rows = (applyScaler(scaler, x) as ScaledMatrix).x;
    const out: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!r || r.length !== p) throw new InputError(`${what}: row ${i + 1} has ${r ? r.length : 0} values but the model has ${p} features`);
      let s = constant;
      for (let k = 0; k < cols.length; k++) {
        const v = r[cols[k]];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new InputError(`${what}: row ${i + 1}, feature column ${cols[k] + 1} is ${v}; z-score with a scaler (which replaces it) or impute it first`);
        }
        s += coef[k] * v;
      }
      out.push(s);
    }
    return out;
  };
}

function namesFor(p: number, opts: RadScoreOptions, fallback?: string[]): string[] {
  const names = opts.names ?? opts.scaler?.names ?? fallback ?? Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new InputError(`radScore: ${names.length} feature names for ${p} columns`);
  return names;
}

/**
 * The paper's rad-score: Cox refit on the selected features of the training cohort.
 * `trainX` is rows × all features on the scale the LASSO saw (e.g. applyScaler(scaler, raw).x);
 * `selected` are column indices (0-based) or names.
 */
export function radScoreCox(
  trainX: Rows,
  trainY: { time: ArrayLike<number>; status: ArrayLike<number> },
  selected: ArrayLike<number | string>,
  options: RadScoreCoxOptions = {},
): RadScore {
  const what = "radScoreCox";
  const p = widthOf(trainX, what);
  const names = namesFor(p, options);
  const cols = columnsOf(selected, names, what);
  const n = trainX.length;
  const x: Record<string, Float64Array> = {};
  for (const j of cols) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = trainX[i][j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${what}: trainX row ${i + 1}, feature ${names[j]} is ${v}`);
      c[i] = v;
    }
    x[names[j]] = c;
  }
  const fit = coxph({ time: trainY.time, status: trainY.status, x }, { ties: options.ties ?? "efron" });
  const warnings = [...fit.warnings];
  const coef = fit.coef.map((b, k) => {
    if (Number.isNaN(b)) {
      warnings.push(`${fit.terms[k]}: coefficient not estimable (collinear with other selected features); it counts 0 in the rad-score, as predict.coxph treats NA`);
      return 0;
    }
    return b;
  });
  let constant = 0;
  for (let k = 0; k < cols.length; k++) constant -= coef[k] * fit.means[k];
  const terms: RadScoreTerm[] = cols.map((j, k) => ({
    feature: names[j],
    column: j,
    coef: coef[k],
    se: fit.se[k],
    hr: fit.hr[k],
    hrLower: fit.hrLower[k],
    hrUpper: fit.hrUpper[k],
    p: fit.p[k],
  }));
  // Training scores from the rows as given (trainX is already on the model's scale).
  const onModelScale = scorer(cols, coef, constant, p, undefined, what);
  return {
    method: "cox",
    terms,
    constant,
    score: scorer(cols, coef, constant, p, options.scaler, what),
    scaler: options.scaler,
    trainScore: onModelScale(trainX),
    warnings,
  };
}

/** Indices and names of the features with a non-zero LASSO coefficient at lambda.min or lambda.1se. */
export function selectedFeatures(cv: CvLassoResult, which: "lambda.min" | "lambda.1se" = "lambda.min"): { columns: number[]; names: string[]; coef: number[]; lambda: number } {
  const lambda = which === "lambda.min" ? cv.lambdaMin : which === "lambda.1se" ? cv.lambda1se : NaN;
  if (Number.isNaN(lambda)) throw new InputError(`selectedFeatures: which must be "lambda.min" or "lambda.1se", got ${String(which)}`);
  const l = cv.path.lambda.indexOf(lambda);
  const beta = cv.path.beta[l];
  const columns: number[] = [];
  const coef: number[] = [];
  for (let j = 0; j < beta.length; j++) {
    if (beta[j] !== 0) {
      columns.push(j);
      coef.push(beta[j]);
    }
  }
  const names = columns.map((j) => cv.path.featureNames?.[j] ?? `x${j + 1}`);
  return { columns, names, coef, lambda };
}

/**
 * The LASSO's own linear combination at lambda.min or lambda.1se of a cvLasso fit; `trainX` (the
 * matrix cvLasso was given) supplies the training scores.
 */
export function radScoreLasso(
  cv: CvLassoResult,
  which: "lambda.min" | "lambda.1se",
  trainX: Rows,
  options: RadScoreOptions = {},
): RadScore {
  const what = "radScoreLasso";
  const sel = selectedFeatures(cv, which);
  const p = cv.path.beta[0].length;
  if (widthOf(trainX, what) !== p) throw new InputError(`${what}: trainX has ${trainX[0].length} columns but the LASSO has ${p}`);
  const names = namesFor(p, options, cv.path.featureNames);
  const warnings: string[] = [];
  if (sel.columns.length === 0) warnings.push(`no feature has a non-zero coefficient at ${which}; the rad-score is constant`);
  const l = cv.path.lambda.indexOf(sel.lambda);
  const constant = cv.family === "binomial" && cv.path.a0 ? cv.path.a0[l] : 0;
  const terms: RadScoreTerm[] = sel.columns.map((j, k) => ({ feature: names[j], column: j, coef: sel.coef[k] }));
  const onModelScale = scorer(sel.columns, sel.coef, constant, p, undefined, what);
  return {
    method: "lasso",
    terms,
    constant,
    score: scorer(sel.columns, sel.coef, constant, p, options.scaler, what),
    scaler: options.scaler,
    trainScore: onModelScale(trainX),
    warnings,
  };
}

export interface RadScoreCutoff {
  /** pROC's Youden-optimal threshold on the training scores. */
  cutoff: number;
  /** "<": higher score = more likely event ("high" risk is score ≥ cutoff); ">": the reverse. */
  direction: "<" | ">";
  sensitivity: number;
  specificity: number;
  /** Youden's J at the cut-off. */
  j: number;
  /** Rows used (those with a defined binary outcome). */
  n: number;
  roc: RocResult;
  warnings: string[];
}

/**
 * Youden-optimal cut-off of the training rad-score against a binary outcome: an array of 0/1 (null
 * or NaN = not used) aligned with the scores, or a binaryAtHorizon() result. The direction is "<"
 * (a higher rad-score means a higher risk) unless given.
 */
export function radScoreCutoff(
  trainScore: ArrayLike<number>,
  binaryOutcome: ArrayLike<number | null> | BinaryAtHorizon,
  options: { direction?: "<" | ">" } = {},
): RadScoreCutoff {
  const what = "radScoreCutoff";
  const outcome: ArrayLike<number | null> = "outcome" in binaryOutcome ? binaryOutcome.outcome : binaryOutcome;
  if (outcome.length !== trainScore.length) {
    throw new InputError(`${what}: the outcome has ${outcome.length} values but there are ${trainScore.length} scores`);
  }
  const y: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < outcome.length; i++) {
    const o = outcome[i];
    if (o === null || o === undefined || Number.isNaN(o)) continue;
    if (o !== 0 && o !== 1) throw new InputError(`${what}: outcome at row ${i + 1} is ${o}; must be 0, 1 or null`);
    y.push(o);
    s.push(trainScore[i]);
  }
  const r = roc(y, s, { direction: options.direction ?? "<" });
  return {
    cutoff: r.youden.threshold,
    direction: r.direction,
    sensitivity: r.youden.sensitivity,
    specificity: r.youden.specificity,
    j: r.youden.j,
    n: y.length,
    roc: r,
    warnings: r.warnings.slice(),
  };
}

/**
 * High / low risk by a fixed cut-off: with direction "<" (default, or a number as cut-off) a score
 * at or above the cut-off is "high" — pROC's rule for calling a score positive.
 */
export function riskGroup(score: ArrayLike<number>, cutoff: number | Pick<RadScoreCutoff, "cutoff" | "direction">): Array<"high" | "low"> {
  const c = typeof cutoff === "number" ? cutoff : cutoff.cutoff;
  const dir = typeof cutoff === "number" ? "<" : cutoff.direction;
  if (typeof c !== "number" || Number.isNaN(c)) throw new InputError(`riskGroup: cutoff is ${c}`);
  const out: Array<"high" | "low"> = [];
  for (let i = 0; i < score.length; i++) {
    const v = score[i];
    if (typeof v !== "number" || Number.isNaN(v)) throw new InputError(`riskGroup: score at row ${i + 1} is ${v}`);
    out.push((dir === "<" ? v >= c : v <= c) ? "high" : "low");
  }
  return out;
}
