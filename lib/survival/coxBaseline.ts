/**
 * Baseline hazard and predicted survival curves after coxph(), matched to R's
 * survfit.coxph / basehaz (survival 3.5.3) with their defaults: S = exp(-cumulative hazard)
 * (stype 2); hazard increments by Breslow/Aalen when the fit used ties = "breslow" (ctype 1)
 * and with the Efron tie correction when it used ties = "efron" (ctype 2); the standard
 * error of the cumulative hazard includes the term for the uncertainty in beta
 * (Tsiatis' variance). Curves have a point at every distinct observed time, censored ones
 * included, as survfit does.
 *
 * Strata, case weights, offsets and (start, stop] rows are handled as survfit.coxph/agsurv:
 * one baseline per stratum, weighted risk sets and counts, late entry; see hazardStepsByStratum.
 */
import { InputError } from "../errors.js";
import { qnorm } from "../stats/distributions.js";
import { type CoxphFit } from "./coxph.js";
import { sortRows, sweepRiskSets } from "./coxData.js";

export interface BaseHazard {
  time: number[];
  /** Cumulative baseline hazard. */
  hazard: number[];
  /** For a stratified fit: the stratum of each row (strata one after another, in level order). */
  strata?: (string | number)[];
}

export interface CoxCurves {
  time: number[];
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  /** One row per newdata row, one column per time. */
  surv: number[][];
  cumhaz: number[][];
  /** Standard error of the cumulative hazard (survfit.coxph's std.err), row × time. */
  stdErr: number[][];
}

export interface CoxSurvivalSummary {
  times: number[];
  /** S(t) per newdata row (rows) and requested time (columns). */
  surv: number[][];
  cumhaz: number[][];
  /** Standard error of S(t) (summary.survfit's std.err). */
  stdErr: number[][];
  /** Log-scale ("log") confidence limits at fit.confLevel, as survfit.coxph's default. */
  lower: number[][];
  upper: number[][];
}

/** Per-time pieces of survfit.coxph (R's agsurv), for covariates at the fit's means. */
interface CoxHazardSteps {
  time: Float64Array;
  nRisk: Float64Array;
  nEvent: Float64Array;
  nCensor: Float64Array;
  /** Cumulative hazard at the means. */
  cumhaz: Float64Array;
  /** Cumulative variance term sum of d / (risk-set total)^2 (Efron-adjusted for ctype 2). */
  cumVarhaz: Float64Array;
  /** Cumulative sum of (weighted mean of centred x in the risk set) × hazard increment, time × p. */
  xbar: Float64Array;
  /** Coefficients with R's NA as 0 (they drop out of the curves). */
  beta: Float64Array;
  p: number;
}

function coefOrZero(fit: CoxphFit): Float64Array {
  return Float64Array.from(fit.coef, (b) => (Number.isFinite(b) ? b : 0));
}

/** survfit.coxph's offset.mean: the (case-weighted) mean of the fit's offset, 0 without one. */
function offsetMean(fit: CoxphFit): number {
  const off = fit.data.offset;
  if (!off) return 0;
  const w = fit.data.weights;
  let s = 0;
  let t = 0;
  for (let i = 0; i < off.length; i++) {
    const wi = w ? w[i] : 1;
    s += wi * off[i];
    t += wi;
  }
  return s / t;
}

/**
 * Hazard steps for every stratum (one entry for an unstratified fit), in level order. Risk sets
 * as in the fit: within strata, with case weights, and with late entry for (start, stop] rows
 * (R's agsurv). Counts (nRisk, nEvent, nCensor) are case-weighted, as survfit.coxph's.
 */
function hazardStepsByStratum(fit: CoxphFit): Array<{ code: number; steps: CoxHazardSteps }> {
  if (fit.nEvent === 0) throw new InputError("baseline hazard: the Cox fit has no events");
  const { time, status, x } = fit.data;
  const n = time.length;
  const p = fit.terms.length;
  const beta = coefOrZero(fit);
  const means = fit.means;
  const offMean = offsetMean(fit);
  const rows = sortRows(time, fit.data.start ?? null, status, fit.data.weights ?? null, fit.data.strata ?? null);
  const order = rows.order;
  // Centred covariates and risk scores exp((x - means) beta + offset - mean offset), sorted order.
  const xc = new Float64Array(n * p);
  const risk = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    let eta = fit.data.offset ? fit.data.offset[i] - offMean : 0;
    for (let k = 0; k < p; k++) {
      const v = x[k][i] - means[k];
      xc[r * p + k] = v;
      eta += v * beta[k];
    }
    risk[r] = Math.exp(eta);
  }
  const efron = fit.ties === "efron";
  const out: Array<{ code: number; steps: CoxHazardSteps }> = [];
  for (const block of rows.blocks) {
    const sub = { ...rows, blocks: [block] };
    const time: number[] = [];
    const nRisk: number[] = [];
    const nEvent: number[] = [];
    const nCensor: number[] = [];
    const haz: number[] = [];
    const varhaz: number[] = [];
    const dxbar: Float64Array[] = [];
    sweepRiskSets(sub, risk, xc, p, (at) => {
      time.push(at.time);
      nRisk.push(at.nRiskWeighted);
      nEvent.push(at.deadWeight);
      nCensor.push(at.censorWeight);
      const dx = new Float64Array(p);
      const d = at.nDeath;
      if (d === 0) {
        haz.push(0);
        varhaz.push(0);
      } else if (!efron || d === 1) {
        const h = at.deadWeight / at.s0;
        haz.push(h);
        varhaz.push(at.deadWeight / (at.s0 * at.s0));
        for (let k = 0; k < p; k++) dx[k] = (at.s1[k] / at.s0) * h;
      } else {
        // Efron: the d tied deaths leave the risk set in d equal steps, each with the mean weight.
        const meanwt = at.deadWeight / d;
        let h = 0;
        let v = 0;
        for (let j = 0; j < d; j++) {
          const f = j / d;
          const denom = at.s0 - f * at.e0;
          h += meanwt / denom;
          v += meanwt / (denom * denom);
          for (let k = 0; k < p; k++) dx[k] += (meanwt * (at.s1[k] - f * at.e1[k])) / (denom * denom);
        }
        haz.push(h);
        varhaz.push(v);
      }
      dxbar.push(dx);
    });
    // The sweep runs backwards in time.
    for (const a of [time, nRisk, nEvent, nCensor, haz, varhaz, dxbar]) a.reverse();
    const m = time.length;
    const steps: CoxHazardSteps = {
      time: Float64Array.from(time),
      nRisk: Float64Array.from(nRisk),
      nEvent: Float64Array.from(nEvent),
      nCensor: Float64Array.from(nCensor),
      cumhaz: new Float64Array(m),
      cumVarhaz: new Float64Array(m),
      xbar: new Float64Array(m * p),
      beta,
      p,
    };
    let ch = 0;
    let cv = 0;
    for (let g = 0; g < m; g++) {
      ch += haz[g];
      cv += varhaz[g];
      steps.cumhaz[g] = ch;
      steps.cumVarhaz[g] = cv;
      for (let k = 0; k < p; k++) steps.xbar[g * p + k] = (g > 0 ? steps.xbar[(g - 1) * p + k] : 0) + dxbar[g][k];
    }
    out.push({ code: block.code, steps });
  }
  return out;
}

/** Stratum codes for new rows: required (one per row, a level of the fit) for a stratified fit. */
function newStrata(fit: CoxphFit, strata: ArrayLike<string | number> | undefined, rows: number, what: string): Int32Array {
  const levels = fit.strataLevels;
  if (!levels) {
    if (strata !== undefined) throw new InputError(`${what}: strata given, but the model is not stratified`);
    return new Int32Array(rows);
  }
  if (strata === undefined || strata === null) {
    throw new InputError(`${what}: the model is stratified (levels ${levels.join(", ")}); give options.strata, one stratum per new row`);
  }
  if (strata.length !== rows) throw new InputError(`${what}: strata has ${strata.length} values but newX has ${rows} rows`);
  const numeric = levels.every((v) => typeof v === "number");
  return Int32Array.from({ length: rows }, (_, i) => {
    const v = strata[i];
    const k = levels.findIndex((l) => l === (numeric ? v : String(v)));
    if (k < 0) throw new InputError(`${what}: stratum "${v}" of new row ${i + 1} is not a level of the fit (${levels.join(", ")})`);
    return k;
  });
}

/** Offsets for new rows (default 0, as R when newdata has no offset). */
function newOffsets(offset: ArrayLike<number> | undefined, rows: number, what: string): Float64Array {
  if (offset === undefined) return new Float64Array(rows);
  if (offset.length !== rows) throw new InputError(`${what}: offset has ${offset.length} values but newX has ${rows} rows`);
  return Float64Array.from({ length: rows }, (_, i) => {
    const v = offset[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${what}: offset is ${v} at new row ${i + 1}`);
    return v;
  });
}

/** Options for predictions from a stratified fit and/or a fit with an offset. */
export interface CoxPredictOptions {
  /** Stratum of each new row (required for a stratified fit). */
  strata?: ArrayLike<string | number>;
  /** Offset of each new row (default 0). */
  offset?: ArrayLike<number>;
}

/**
 * R's basehaz(fit, centered): the cumulative baseline hazard at every distinct time, for
 * covariates at fit.means (centered = true, the default) or at 0 (centered = false). For a
 * stratified fit the strata follow one another in level order and `strata` names each row's.
 * With an offset, the curve is at the (weighted) mean offset, as R.
 */
export function baseHazard(fit: CoxphFit, options: { centered?: boolean } = {}): BaseHazard {
  const centered = options.centered ?? true;
  const byStratum = hazardStepsByStratum(fit);
  let shift = 1;
  if (!centered) {
    const beta = coefOrZero(fit);
    let xcenter = 0;
    for (let k = 0; k < beta.length; k++) xcenter += fit.means[k] * beta[k];
    shift = Math.exp(-xcenter);
  }
  const out: BaseHazard = { time: [], hazard: [] };
  if (fit.strataLevels) out.strata = [];
  for (const { code, steps } of byStratum) {
    for (let g = 0; g < steps.time.length; g++) {
      out.time.push(steps.time[g]);
      out.hazard.push(steps.cumhaz[g] * shift);
      if (out.strata && fit.strataLevels) out.strata.push(fit.strataLevels[code]);
    }
  }
  return out;
}

/** newdata columns for the fit's terms: every term present, equal lengths, finite values. */
function newdataRows(fit: CoxphFit, newX: Record<string, ArrayLike<number>>, what: string): number[][] {
  if (newX === null || typeof newX !== "object") throw new InputError(`${what}: newX must be an object of covariate columns`);
  let rows = -1;
  const cols = fit.terms.map((name) => {
    const col = newX[name];
    if (col === undefined) throw new InputError(`${what}: newX has no column "${name}" (the model's terms: ${fit.terms.join(", ")})`);
    if (rows < 0) rows = col.length;
    else if (col.length !== rows) throw new InputError(`${what}: newX column "${name}" has ${col.length} values but "${fit.terms[0]}" has ${rows}`);
    for (let i = 0; i < col.length; i++) {
      if (typeof col[i] !== "number" || !Number.isFinite(col[i])) {
        throw new InputError(`${what}: newX column "${name}" is ${col[i]} at row ${i + 1}; give complete, finite covariate values`);
      }
    }
    return col;
  });
  if (rows <= 0) throw new InputError(`${what}: newX has no rows`);
  return Array.from({ length: rows }, (_, i) => cols.map((c) => c[i]));
}

/** One curve for covariate row `row` (uncentred) with offset `off`, from a stratum's steps. */
function curveFor(fit: CoxphFit, s: CoxHazardSteps, row: number[], off: number, offMean: number) {
  const { p } = s;
  const m = s.time.length;
  const v = fit.variance;
  const dt = new Float64Array(p);
  const xc = row.map((value, k) => value - fit.means[k]);
  let eta = off - offMean;
  for (let k = 0; k < p; k++) eta += xc[k] * s.beta[k];
  const risk2 = Math.exp(eta);
  const sRow: number[] = [];
  const hRow: number[] = [];
  const eRow: number[] = [];
  for (let g = 0; g < m; g++) {
    const h = s.cumhaz[g];
    // Variance of the cumulative hazard: the hazard part plus d' V d, where d is the
    // derivative of the cumulative hazard with respect to beta.
    for (let k = 0; k < p; k++) dt[k] = h * xc[k] - s.xbar[g * p + k];
    let quad = 0;
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < p; j++) t += v[i][j] * dt[j];
      quad += dt[i] * t;
    }
    const H = h * risk2;
    hRow.push(H);
    sRow.push(Math.exp(-H));
    eRow.push(Math.sqrt((s.cumVarhaz[g] + quad) * risk2 * risk2));
  }
  return { surv: sRow, cumhaz: hRow, stdErr: eRow };
}

/**
 * survfit(fit, newdata): one predicted survival curve per newdata row, at every distinct
 * observed time (of the row's stratum), with the standard error of the cumulative hazard
 * (using fit.variance, the robust one for a robust fit, as R). For a stratified fit give
 * options.strata; all rows must then be in the same stratum, since curves of different strata
 * have different time points (use survivalSummary/survivalAt for mixed strata).
 */
export function survfitCox(fit: CoxphFit, newX: Record<string, ArrayLike<number>>, options: CoxPredictOptions = {}): CoxCurves {
  const rows = newdataRows(fit, newX, "survfitCox");
  const codes = newStrata(fit, options.strata, rows.length, "survfitCox");
  const offs = newOffsets(options.offset, rows.length, "survfitCox");
  if (codes.some((c) => c !== codes[0])) {
    throw new InputError("survfitCox: new rows in different strata have curves on different times; call once per stratum (or use survivalSummary)");
  }
  const entry = hazardStepsByStratum(fit).find((e) => e.code === codes[0]);
  if (!entry) throw new InputError(`survfitCox: stratum ${fit.strataLevels?.[codes[0]]} has no rows`);
  const s = entry.steps;
  const offMean = offsetMean(fit);
  const curves = rows.map((row, i) => curveFor(fit, s, row, offs[i], offMean));
  return {
    time: Array.from(s.time),
    nRisk: Array.from(s.nRisk),
    nEvent: Array.from(s.nEvent),
    nCensor: Array.from(s.nCensor),
    surv: curves.map((c) => c.surv),
    cumhaz: curves.map((c) => c.cumhaz),
    stdErr: curves.map((c) => c.stdErr),
  };
}

/**
 * summary(survfit(fit, newdata), times, extend = TRUE): survival, its standard error and
 * log-type confidence limits at the requested times (step function; 1 before the first
 * time, the last value after the last). Each new row uses its own stratum's curve.
 */
export function survivalSummary(
  fit: CoxphFit,
  newX: Record<string, ArrayLike<number>>,
  times: ArrayLike<number>,
  options: CoxPredictOptions = {},
): CoxSurvivalSummary {
  const ts = Array.from(times);
  ts.forEach((t, i) => {
    if (typeof t !== "number" || Number.isNaN(t)) throw new InputError(`survivalAt: times[${i}] is ${t}`);
  });
  const rows = newdataRows(fit, newX, "survivalAt");
  const codes = newStrata(fit, options.strata, rows.length, "survivalAt");
  const offs = newOffsets(options.offset, rows.length, "survivalAt");
  const byStratum = hazardStepsByStratum(fit);
  const offMean = offsetMean(fit);
  const z = qnorm(1 - (1 - fit.confLevel) / 2);
  const out: CoxSurvivalSummary = { times: ts, surv: [], cumhaz: [], stdErr: [], lower: [], upper: [] };
  rows.forEach((row, r) => {
    const entry = byStratum.find((e) => e.code === codes[r]);
    if (!entry) throw new InputError(`survivalAt: stratum ${fit.strataLevels?.[codes[r]]} has no rows`);
    const st = entry.steps.time;
    const c = curveFor(fit, entry.steps, row, offs[r], offMean);
    // Index of the last curve time <= t (-1 when t precedes every time).
    const idx = ts.map((t) => {
      let lo = 0;
      let hi = st.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (st[mid] <= t) lo = mid + 1;
        else hi = mid;
      }
      return lo - 1;
    });
    const surv = idx.map((j) => (j < 0 ? 1 : c.surv[j]));
    const seH = idx.map((j) => (j < 0 ? 0 : c.stdErr[j]));
    out.surv.push(surv);
    out.cumhaz.push(idx.map((j) => (j < 0 ? 0 : c.cumhaz[j])));
    out.stdErr.push(surv.map((sv, j) => sv * seH[j]));
    out.lower.push(surv.map((sv, j) => (sv === 0 ? NaN : Math.exp(Math.log(sv) - z * seH[j]))));
    out.upper.push(surv.map((sv, j) => (sv === 0 ? NaN : Math.min(1, Math.exp(Math.log(sv) + z * seH[j])))));
  });
  return out;
}

/**
 * Predicted survival S(t | newX) per newdata row (rows) and time (columns). For a stratified
 * fit, options.strata gives each new row's stratum.
 */
export function survivalAt(
  fit: CoxphFit,
  newX: Record<string, ArrayLike<number>>,
  times: ArrayLike<number>,
  options: CoxPredictOptions = {},
): number[][] {
  return survivalSummary(fit, newX, times, options).surv;
}
