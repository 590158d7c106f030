/**
 * A Cox model's nomogram as rms::nomogram(fit, fun = function(lp) S0(t)^exp(lp), lp = TRUE,
 * maxscale = 100, nint = 10) computes it (rms 6.5.0):
 *
 * - every predictor's effect x·beta over its axis values has a range [R1, R2]; the widest range
 *   spans 0..maxscale points: sc = maxscale / max(R2 - R1), points(x) = (x·beta - R1)·sc;
 * - total points P map back to the linear predictor lp = intercept + P / sc with
 *   intercept = sum R1 - center (center = sum of coef × column means, rms's cph centring);
 * - S(t) axes: tick values (fun.at, default pretty() of S over the lp axis) placed at the total
 *   points where S0(t)^exp(lp) equals them. rms inverts by linear interpolation on a 1000-point lp
 *   grid; `inverse: "exact"` (the default) solves lp = log(log p / log S0(t)) instead, `"rms"`
 *   reproduces rms's interpolation.
 *
 * Axis values follow rms's datadist defaults: a numeric predictor with at most 10 distinct values
 * gets those values, otherwise pretty(range, nint) (R's pretty); a factor gets its levels;
 * `values` overrides (rms's nomogram(fit, var = values)). Only main effects (no interactions or
 * spline terms: one column per numeric predictor).
 */
import { InputError } from "../errors.js";
import { survivalAt, type CoxphFit } from "../survival/index.js";
import { checkHorizon } from "./calibration.js";

export interface NomogramOptions {
  /** Horizons: one S(t) axis per t. */
  t: number[];
  /** Model column → predictor (modelFrame's `assign`); default each column its own predictor. */
  assign?: Record<string, string>;
  /** Levels of each factor predictor, reference first (as given to modelFrame's factors). */
  levels?: Record<string, (string | number)[]>;
  /** Axis values per predictor (rms's nomogram(fit, var = values)). */
  values?: Record<string, (string | number)[]>;
  /** Tick values of the S(t) axes: one list for all t, or one per t. Default pretty() of S(t). */
  funAt?: number[] | number[][];
  /** Axis titles of the S(t) axes; default "S(t = <t>)". */
  funLabel?: string | string[];
  /** Linear-predictor axis ticks; default pretty(range of the fit's lp), as rms. */
  lpAt?: number[];
  /** Points of the widest predictor (default 100). */
  maxscale?: number;
  /** Number of intervals for pretty() (default 10, rms's nint). */
  nint?: number;
  /** How the S(t) ticks are placed: "exact" (default) or "rms" (rms's 1000-point interpolation). */
  inverse?: "exact" | "rms";
}

export interface NomogramAxis {
  /** Predictor name. */
  term: string;
  kind: "numeric" | "factor";
  /** Axis values (numbers, or level names for a factor). */
  values: (number | string)[];
  /** Tick labels (rms merges values that get the same points, e.g. "1-2"). */
  labels: string[];
  /** Effect x·beta at each value (rms's Xbeta). */
  xbeta: number[];
  points: number[];
  /** [R1, R2]: the effect's range over the axis values (rms's info$R). */
  range: [number, number];
  /** Model columns of this predictor and their coefficients. */
  columns: string[];
  coef: number[];
  /** Factor levels, reference first, and the column of each level (null for the reference). */
  levels?: string[];
  levelColumns?: (string | null)[];
}

export interface NomogramSurvivalAxis {
  t: number;
  label: string;
  /** S0(t): baseline survival at the covariate means; S(t | lp) = baseline^exp(lp). */
  baseline: number;
  /** Tick values (survival probabilities) that fall on the axis ... */
  probability: number[];
  /** ... and where they sit on the total-points scale. */
  totalPoints: number[];
}

export interface Nomogram {
  /** Predictors in model order. */
  terms: string[];
  /** Points per unit of each model column (coefficient × sc), keyed by the fit's column name. */
  pointsPerUnit: Record<string, number>;
  axes: NomogramAxis[];
  /** Tick values of the Total Points axis. */
  totalPoints: number[];
  survival: NomogramSurvivalAxis[];
  /** Linear-predictor axis: lp ticks and their total points. */
  lp: { lp: number[]; points: number[] };
  /** Points per unit of linear predictor (rms's sc). */
  sc: number;
  /** lp at 0 total points (rms's Intercept). */
  intercept: number;
  /** sum of coef × column means (rms's cph center). */
  center: number;
  maxscale: number;
  nint: number;
  inverse: "exact" | "rms";
  warnings: string[];
}

const DBL_EPSILON = 2.220446049250313e-16;

/** R's seq.int(from, to, length.out = n): from + i * by inside, `to` exactly at the end. */
function seqLength(from: number, to: number, n: number): number[] {
  const out = new Array<number>(n);
  if (n > 0) out[0] = from;
  if (n > 1) out[n - 1] = to;
  if (n > 2) {
    const by = (to - from) / (n - 1);
    for (let i = 1; i < n - 1; i++) out[i] = from + i * by;
  }
  return out;
}

/**
 * R's pretty(x, n): about n + 1 equally spaced round values covering range(x) (base R's
 * R_pretty with its defaults: min.n = n %/% 3, shrink.sml = 0.75, high.u.bias = 1.5,
 * u5.bias = 0.5 + 1.5 * high.u.bias).
 */
export function pretty(x: ArrayLike<number>, n = 5): number[] {
  let lo = Infinity;
  let up = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) continue;
    lo = Math.min(lo, x[i]);
    up = Math.max(up, x[i]);
  }
  if (!Number.isFinite(lo)) return [];
  const minN = Math.floor(n / 3);
  const h = 1.5;
  const h5 = 0.5 + 1.5 * h;
  const dx = up - lo;
  let cell: number;
  let iSmall: boolean;
  if (dx === 0 && up === 0) {
    cell = 1;
    iSmall = true;
  } else {
    cell = Math.max(Math.abs(lo), Math.abs(up));
    let U = 1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5));
    U *= Math.max(1, n) * DBL_EPSILON;
    iSmall = dx < cell * U * 3;
  }
  if (iSmall) {
    if (cell > 10) cell = 9 + cell / 10;
    cell *= 0.75;
    if (minN > 1) cell /= minN;
  } else {
    cell = dx;
    if (n > 1) cell /= n;
  }
  if (cell < 2 ** -20 * 2.2250738585072014e-308) cell = 2.2250738585072014e-308;
  const base = Math.pow(10, Math.floor(Math.log10(cell)));
  let unit = base;
  let ns = 2 * base;
  if (ns - cell < h * (cell - unit)) {
    unit = ns;
    ns = 5 * base;
    if (ns - cell < h5 * (cell - unit)) {
      unit = ns;
      ns = 10 * base;
      if (ns - cell < h * (cell - unit)) unit = ns;
    }
  }
  const roundingEps = 1e-10;
  let nsi = Math.floor(lo / unit + roundingEps);
  let nui = Math.ceil(up / unit - roundingEps);
  while (nsi * unit > lo + roundingEps * unit) nsi--;
  while (nui * unit < up - roundingEps * unit) nui++;
  let k = Math.floor(0.5 + nui - nsi);
  let ndiv: number;
  if (k < minN) {
    k = minN - k;
    if (nsi >= 0) {
      nui += Math.floor(k / 2);
      nsi -= Math.floor(k / 2) + (k % 2);
    } else {
      nsi -= Math.floor(k / 2);
      nui += Math.floor(k / 2) + (k % 2);
    }
    ndiv = minN;
  } else {
    ndiv = k;
  }
  const l = nsi * unit < lo ? nsi * unit : lo;
  const u = nui * unit > up ? nui * unit : up;
  const s = seqLength(l, u, ndiv + 1);
  if (ndiv > 0) {
    const delta = (u - l) / ndiv;
    for (let i = 0; i < s.length; i++) if (Math.abs(s[i]) < 1e-14 * delta) s[i] = 0;
  }
  return s;
}

/** R's approx(x, y, xout, ties = mean) with rule = 1 (NaN outside the range of x). */
function approx(x: number[], y: number[], xout: number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = 0; j < idx.length; ) {
    let k = j;
    let sum = 0;
    while (k < idx.length && x[idx[k]] === x[idx[j]]) sum += y[idx[k++]];
    xs.push(x[idx[j]]);
    ys.push(sum / (k - j));
    j = k;
  }
  const n = xs.length;
  return xout.map((v) => {
    if (!(v >= xs[0] && v <= xs[n - 1])) return NaN;
    let i = 0;
    let j = n - 1;
    while (i < j - 1) {
      const ij = (i + j) >> 1;
      if (v < xs[ij]) j = ij;
      else i = ij;
    }
    if (v === xs[j]) return ys[j];
    if (v === xs[i]) return ys[i];
    return ys[i] + (ys[j] - ys[i]) * ((v - xs[i]) / (xs[j] - xs[i]));
  });
}

/** R's format() of a number for a tick label (up to 7 significant digits, no trailing zeros). */
function formatValue(v: number | string): string {
  if (typeof v === "string") return v;
  return String(Number(v.toPrecision(7)));
}

/** rms merges runs of equal points into one tick ("a-b", or "a+" at the end of a numeric axis). */
function mergedLabels(labels: string[], points: number[], discrete: boolean): string[] {
  const out = [...labels];
  let i = 0;
  while (i < points.length) {
    let j = i;
    while (j + 1 < points.length && points[j + 1] === points[i]) j++;
    if (j > i) {
      out[j] = discrete || j < points.length - 1 ? `${labels[i]}-${labels[j]}` : `${labels[i]}+`;
      for (let k = i; k < j; k++) out[k] = "";
    }
    i = j + 1;
  }
  return out;
}

interface Predictor {
  term: string;
  columns: number[];
}

function predictorsOf(fit: CoxphFit, assign: Record<string, string> | undefined): Predictor[] {
  const out: Predictor[] = [];
  fit.terms.forEach((col, k) => {
    const term = assign?.[col] ?? col;
    if (typeof term !== "string") throw new InputError(`nomogram: assign["${col}"] must be a predictor name`);
    const p = out.find((q) => q.term === term);
    if (p) p.columns.push(k);
    else out.push({ term, columns: [k] });
  });
  if (assign) {
    for (const col of Object.keys(assign)) {
      if (!fit.terms.includes(col)) throw new InputError(`nomogram: assign names column "${col}", which is not in the model (${fit.terms.join(", ")})`);
    }
  }
  return out;
}

/**
 * The nomogram of a Cox model for survival at each t. See the module comment for what is
 * matched to rms::nomogram.
 */
export function nomogram(fit: CoxphFit, options: NomogramOptions): Nomogram {
  const what = "nomogram";
  if (options === null || typeof options !== "object") throw new InputError(`${what}: options { t: [...] } are required`);
  const ts = Array.isArray(options.t) ? options.t : typeof options.t === "number" ? [options.t] : [];
  if (ts.length === 0) throw new InputError(`${what}: t must give at least one horizon`);
  const nint = options.nint ?? 10;
  const maxscale = options.maxscale ?? 100;
  const inverse = options.inverse ?? "exact";
  if (!Number.isInteger(nint) || nint < 1) throw new InputError(`${what}: nint must be a whole number >= 1, got ${nint}`);
  if (!(maxscale > 0 && Number.isFinite(maxscale))) throw new InputError(`${what}: maxscale must be a positive number, got ${maxscale}`);
  if (inverse !== "exact" && inverse !== "rms") throw new InputError(`${what}: inverse must be "exact" or "rms", got "${inverse}"`);
  fit.coef.forEach((b, k) => {
    if (!Number.isFinite(b)) throw new InputError(`${what}: coefficient of "${fit.terms[k]}" is NA (aliased); refit without it`);
  });
  for (const t of ts) checkHorizon(fit.data.time, fit.data.status, t, what);

  const { time, x } = fit.data;
  const n = time.length;
  const colMeans = x.map((c) => c.reduce((s, v) => s + v, 0) / n);
  const center = fit.coef.reduce((s, b, k) => s + b * colMeans[k], 0);
  const warnings: string[] = [];

  const axes: NomogramAxis[] = predictorsOf(fit, options.assign).map((pred) => {
    const { term } = pred;
    const columns = pred.columns.map((k) => fit.terms[k]);
    const coef = pred.columns.map((k) => fit.coef[k]);
    const given = options.values?.[term];
    const levels = options.levels?.[term];
    const isFactor = levels !== undefined || columns.length > 1 || columns[0] !== term;
    if (!isFactor) {
      const col = x[pred.columns[0]];
      let values: number[];
      if (given !== undefined) {
        values = given.map((v) => {
          if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${what}: values.${term} must be finite numbers, got ${v}`);
          return v;
        });
      } else {
        const uniq = [...new Set(Array.from(col))].sort((a, b) => a - b);
        values = uniq.length <= 10 ? uniq : pretty([uniq[0], uniq[uniq.length - 1]], nint);
      }
      const xbeta = values.map((v) => coef[0] * v);
      return { term, kind: "numeric" as const, values, labels: values.map(formatValue), xbeta, points: [], range: [0, 0] as [number, number], columns, coef };
    }
    // Factor: each column is "<term><level>" (modelFrame's naming); the reference has no column.
    const levelOfColumn = columns.map((c) => (c.startsWith(term) ? c.slice(term.length) : c));
    let allLevels: string[];
    if (levels !== undefined) {
      allLevels = levels.map(String);
      for (const l of levelOfColumn) {
        if (!allLevels.includes(l)) throw new InputError(`${what}: column "${term}${l}" has level "${l}", which is not in levels.${term} (${allLevels.join(", ")})`);
      }
    } else {
      throw new InputError(
        `${what}: predictor "${term}" has columns ${columns.join(", ")}; give its levels (reference first), e.g. levels: { ${term}: [...] }, as given to modelFrame`,
      );
    }
    const levelColumns = allLevels.map((l) => {
      const j = levelOfColumn.indexOf(l);
      return j < 0 ? null : columns[j];
    });
    const values = given !== undefined ? given.map(String) : allLevels;
    const xbeta = values.map((v) => {
      const li = allLevels.indexOf(v);
      if (li < 0) throw new InputError(`${what}: values.${term} has "${v}", not a level of ${term} (${allLevels.join(", ")})`);
      const j = levelColumns[li] === null ? -1 : columns.indexOf(levelColumns[li] as string);
      return j < 0 ? 0 : coef[j];
    });
    return { term, kind: "factor" as const, values, labels: [...values], xbeta, points: [], range: [0, 0] as [number, number], columns, coef, levels: allLevels, levelColumns };
  });

  for (const a of axes) {
    if (a.values.length === 0) throw new InputError(`${what}: predictor "${a.term}" has no axis values`);
    a.range = [Math.min(...a.xbeta), Math.max(...a.xbeta)];
  }
  const widest = Math.max(...axes.map((a) => a.range[1] - a.range[0]));
  if (!(widest > 0)) throw new InputError(`${what}: every predictor has a zero effect over its axis values; nothing to draw`);
  const sc = maxscale / widest;
  const intercept = -center + axes.reduce((s, a) => s + a.range[0], 0);
  for (const a of axes) {
    a.points = a.xbeta.map((xb) => (xb - a.range[0]) * sc);
    a.labels = mergedLabels(a.labels, a.points, a.kind === "factor" || (options.values?.[a.term] === undefined && a.values.length <= 10));
  }
  const pointsPerUnit: Record<string, number> = {};
  fit.terms.forEach((c, k) => (pointsPerUnit[c] = fit.coef[k] * sc));

  // rms's lp axis: pretty() over the fit's own linear predictors (centred as cph centres them).
  let lpAt = options.lpAt;
  if (lpAt === undefined) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      let lp = -center;
      for (let k = 0; k < x.length; k++) lp += fit.coef[k] * x[k][i];
      lo = Math.min(lo, lp);
      hi = Math.max(hi, lp);
    }
    lpAt = pretty([lo, hi], nint);
  } else if (lpAt.length < 2 || lpAt.some((v) => !Number.isFinite(v))) {
    throw new InputError(`${what}: lpAt must be at least two finite numbers`);
  }
  const lpMin = Math.min(...lpAt);
  const lpMax = Math.max(...lpAt);
  const sumMax = axes.length === 1 ? maxscale : Math.max(maxscale, sc * Math.max(...lpAt.map((v) => v - intercept)));
  const totalPoints = pretty([0, sumMax], nint);

  const means: Record<string, number[]> = {};
  fit.terms.forEach((c, k) => (means[c] = [colMeans[k]]));
  const baselines = survivalAt(fit, means, ts)[0];
  const funAt = options.funAt;
  const labels = options.funLabel;
  const survival = ts.map((t, ti): NomogramSurvivalAxis => {
    const s0 = baselines[ti];
    const fun = (lp: number) => Math.pow(s0, Math.exp(lp));
    let fat: number[];
    if (funAt === undefined) {
      // pretty() may reach 0 or 1, which no finite lp gives; rms drops them (approx gives NA).
      fat = pretty([fun(lpMin), fun(lpMax)], nint).filter((p) => p > 0 && p < 1);
    } else {
      fat = Array.isArray(funAt[0]) ? (funAt as number[][])[ti] : (funAt as number[]);
      if (!Array.isArray(fat) || fat.some((p) => typeof p !== "number" || !(p > 0 && p < 1))) {
        throw new InputError(`${what}: funAt (S(t) tick values) must be probabilities strictly between 0 and 1, got ${String(fat)}`);
      }
    }
    let w: number[];
    if (inverse === "rms") {
      // rms: approx() of the function on seq(min(lp.at), max(lp.at), length = 1000).
      const xseq = [lpMin, ...Array.from({ length: 998 }, (_, i) => lpMin + (i + 1) * ((lpMax - lpMin) / 999)), lpMax];
      w = approx(xseq.map(fun), xseq, fat);
    } else {
      const fLo = Math.min(fun(lpMin), fun(lpMax));
      const fHi = Math.max(fun(lpMin), fun(lpMax));
      w = fat.map((p) => (p >= fLo && p <= fHi ? Math.log(Math.log(p) / Math.log(s0)) : NaN));
    }
    const keep = w.map((v) => Number.isFinite(v));
    const label = typeof labels === "string" ? labels : Array.isArray(labels) ? (labels[ti] ?? `S(t = ${t})`) : `S(t = ${t})`;
    return {
      t,
      label,
      baseline: s0,
      probability: fat.filter((_, i) => keep[i]),
      totalPoints: w.filter((_, i) => keep[i]).map((v) => (v - intercept) * sc),
    };
  });

  return {
    terms: axes.map((a) => a.term),
    pointsPerUnit,
    axes,
    totalPoints,
    survival,
    lp: { lp: [...lpAt], points: lpAt.map((v) => (v - intercept) * sc) },
    sc,
    intercept,
    center,
    maxscale,
    nint,
    inverse,
    warnings,
  };
}

/**
 * Points, total points, lp and S(t) for one patient: `values` gives each predictor's value (a
 * number, or a level name for a factor). Numeric predictors need not be on an axis tick.
 */
export function nomogramScore(
  nom: Nomogram,
  values: Record<string, number | string>,
): { points: Record<string, number>; totalPoints: number; lp: number; survival: number[] } {
  const points: Record<string, number> = {};
  let total = 0;
  for (const a of nom.axes) {
    const v = values[a.term];
    let xb: number;
    if (a.kind === "numeric") {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`nomogramScore: ${a.term} must be a finite number, got ${v}`);
      xb = a.coef[0] * v;
    } else {
      const li = (a.levels as string[]).indexOf(String(v));
      if (li < 0) throw new InputError(`nomogramScore: ${a.term} = "${v}" is not one of ${(a.levels as string[]).join(", ")}`);
      const col = (a.levelColumns as (string | null)[])[li];
      xb = col === null ? 0 : a.coef[a.columns.indexOf(col)];
    }
    points[a.term] = (xb - a.range[0]) * nom.sc;
    total += points[a.term];
  }
  const lp = nom.intercept + total / nom.sc;
  return { points, totalPoints: total, lp, survival: nom.survival.map((s) => Math.pow(s.baseline, Math.exp(lp))) };
}
