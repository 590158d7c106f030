/**
 * Baseline hazard and predicted survival curves after coxph(), matched to R's
 * survfit.coxph / basehaz (survival 3.5.3) with their defaults: S = exp(-cumulative hazard)
 * (stype 2); hazard increments by Breslow/Aalen when the fit used ties = "breslow" (ctype 1)
 * and with the Efron tie correction when it used ties = "efron" (ctype 2); the standard
 * error of the cumulative hazard includes the term for the uncertainty in beta
 * (Tsiatis' variance). Curves have a point at every distinct observed time, censored ones
 * included, as survfit does.
 */
import { InputError } from "../errors.js";
import { qnorm } from "../stats/distributions.js";
import { timeOrder, type CoxphFit } from "./coxph.js";

export interface BaseHazard {
  time: number[];
  /** Cumulative baseline hazard. */
  hazard: number[];
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

function hazardSteps(fit: CoxphFit): CoxHazardSteps {
  if (fit.nEvent === 0) throw new InputError("baseline hazard: the Cox fit has no events");
  const { time, status, x } = fit.data;
  const n = time.length;
  const p = fit.terms.length;
  const beta = coefOrZero(fit);
  const means = fit.means;
  const order = timeOrder(time);
  // Centred covariates and risk scores exp((x - means) beta), in time order.
  const xc = new Float64Array(n * p);
  const risk = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r];
    let eta = 0;
    for (let k = 0; k < p; k++) {
      const v = x[k][i] - means[k];
      xc[r * p + k] = v;
      eta += v * beta[k];
    }
    risk[r] = Math.exp(eta);
  }
  // Distinct times and the row where each starts.
  const starts: number[] = [];
  for (let r = 0; r < n; r++) if (r === 0 || time[order[r]] !== time[order[r - 1]]) starts.push(r);
  const m = starts.length;
  const out: CoxHazardSteps = {
    time: new Float64Array(m),
    nRisk: new Float64Array(m),
    nEvent: new Float64Array(m),
    nCensor: new Float64Array(m),
    cumhaz: new Float64Array(m),
    cumVarhaz: new Float64Array(m),
    xbar: new Float64Array(m * p),
    beta,
    p,
  };
  const haz = new Float64Array(m);
  const varhaz = new Float64Array(m);
  const dxbar = new Float64Array(m * p);
  // Backwards through time: risk-set sums are cumulative from the latest time.
  let riskSum = 0;
  let atRisk = 0;
  const xsum = new Float64Array(p);
  const xsumDead = new Float64Array(p);
  const efron = fit.ties === "efron";
  for (let g = m - 1; g >= 0; g--) {
    const from = starts[g];
    const to = g + 1 < m ? starts[g + 1] : n;
    let deaths = 0;
    let deadRisk = 0;
    xsumDead.fill(0);
    for (let r = from; r < to; r++) {
      riskSum += risk[r];
      atRisk++;
      for (let k = 0; k < p; k++) xsum[k] += risk[r] * xc[r * p + k];
      if (status[order[r]] === 1) {
        deaths++;
        deadRisk += risk[r];
        for (let k = 0; k < p; k++) xsumDead[k] += risk[r] * xc[r * p + k];
      }
    }
    out.time[g] = time[order[from]];
    out.nRisk[g] = atRisk;
    out.nEvent[g] = deaths;
    out.nCensor[g] = to - from - deaths;
    if (deaths === 0) continue;
    if (!efron || deaths === 1) {
      haz[g] = deaths / riskSum;
      varhaz[g] = deaths / (riskSum * riskSum);
      for (let k = 0; k < p; k++) dxbar[g * p + k] = (xsum[k] / riskSum) * haz[g];
    } else {
      // Efron: the d tied deaths leave the risk set in d equal steps.
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < deaths; j++) {
        const f = j / deaths;
        const denom = riskSum - deadRisk * f;
        s1 += 1 / denom / deaths;
        s2 += 1 / (denom * denom) / deaths;
        for (let k = 0; k < p; k++) dxbar[g * p + k] += (xsum[k] - xsumDead[k] * f) / (denom * denom) / deaths;
      }
      haz[g] = deaths * s1;
      varhaz[g] = deaths * s2;
      for (let k = 0; k < p; k++) dxbar[g * p + k] *= deaths;
    }
  }
  let ch = 0;
  let cv = 0;
  for (let g = 0; g < m; g++) {
    ch += haz[g];
    cv += varhaz[g];
    out.cumhaz[g] = ch;
    out.cumVarhaz[g] = cv;
    for (let k = 0; k < p; k++) out.xbar[g * p + k] = (g > 0 ? out.xbar[(g - 1) * p + k] : 0) + dxbar[g * p + k];
  }
  return out;
}

/**
 * R's basehaz(fit, centered): the cumulative baseline hazard at every distinct time, for
 * covariates at fit.means (centered = true, the default) or at 0 (centered = false).
 */
export function baseHazard(fit: CoxphFit, options: { centered?: boolean } = {}): BaseHazard {
  const centered = options.centered ?? true;
  const s = hazardSteps(fit);
  let shift = 1;
  if (!centered) {
    let xcenter = 0;
    for (let k = 0; k < s.p; k++) xcenter += fit.means[k] * s.beta[k];
    shift = Math.exp(-xcenter);
  }
  return { time: Array.from(s.time), hazard: Array.from(s.cumhaz, (h) => h * shift) };
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

/**
 * survfit(fit, newdata): one predicted survival curve per newdata row, at every distinct
 * observed time, with the standard error of the cumulative hazard.
 */
export function survfitCox(fit: CoxphFit, newX: Record<string, ArrayLike<number>>): CoxCurves {
  const rows = newdataRows(fit, newX, "survfitCox");
  const s = hazardSteps(fit);
  const { p } = s;
  const m = s.time.length;
  const v = fit.variance;
  const surv: number[][] = [];
  const cumhaz: number[][] = [];
  const stdErr: number[][] = [];
  const dt = new Float64Array(p);
  for (const row of rows) {
    const xc = row.map((value, k) => value - fit.means[k]);
    let eta = 0;
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
    surv.push(sRow);
    cumhaz.push(hRow);
    stdErr.push(eRow);
  }
  return {
    time: Array.from(s.time),
    nRisk: Array.from(s.nRisk),
    nEvent: Array.from(s.nEvent),
    nCensor: Array.from(s.nCensor),
    surv,
    cumhaz,
    stdErr,
  };
}

/**
 * summary(survfit(fit, newdata), times, extend = TRUE): survival, its standard error and
 * log-type confidence limits at the requested times (step function; 1 before the first
 * time, the last value after the last).
 */
export function survivalSummary(fit: CoxphFit, newX: Record<string, ArrayLike<number>>, times: ArrayLike<number>): CoxSurvivalSummary {
  const ts = Array.from(times);
  ts.forEach((t, i) => {
    if (typeof t !== "number" || Number.isNaN(t)) throw new InputError(`survivalAt: times[${i}] is ${t}`);
  });
  const curves = survfitCox(fit, newX);
  const z = qnorm(1 - (1 - fit.confLevel) / 2);
  // Index of the last curve time <= t (-1 when t precedes every time).
  const idx = ts.map((t) => {
    let lo = 0;
    let hi = curves.time.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (curves.time[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  });
  const pick = (a: number[], at0: number) => idx.map((j) => (j < 0 ? at0 : a[j]));
  const surv = curves.surv.map((r) => pick(r, 1));
  const cumhaz = curves.cumhaz.map((r) => pick(r, 0));
  const seH = curves.stdErr.map((r) => pick(r, 0));
  return {
    times: ts,
    surv,
    cumhaz,
    stdErr: surv.map((r, i) => r.map((sv, j) => sv * seH[i][j])),
    lower: surv.map((r, i) => r.map((sv, j) => (sv === 0 ? NaN : Math.exp(Math.log(sv) - z * seH[i][j])))),
    upper: surv.map((r, i) => r.map((sv, j) => (sv === 0 ? NaN : Math.min(1, Math.exp(Math.log(sv) + z * seH[i][j]))))),
  };
}

/** Predicted survival S(t | newX) per newdata row (rows) and time (columns). */
export function survivalAt(fit: CoxphFit, newX: Record<string, ArrayLike<number>>, times: ArrayLike<number>): number[][] {
  return survivalSummary(fit, newX, times).surv;
}
