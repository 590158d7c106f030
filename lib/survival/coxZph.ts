/**
 * Test of proportional hazards after coxph(), matched to survival 3.5.3's cox.zph
 * (the score-test version of survival >= 3): each covariate x_k gets an added term
 * x_k · g(t), with g the chosen transform of time centred over the event times, and the
 * score test for those added coefficients is taken at (beta-hat, 0), using the full
 * 2p × 2p information matrix (so the uncertainty in beta-hat is accounted for).
 * One test per covariate (df 1, factor terms are not grouped yet) and a global test (df p).
 * Strata, case weights and (start, stop] rows enter the risk sets as in the fit (R's zph1/zph2);
 * the km transform uses the unweighted Kaplan–Meier of all rows, as R.
 */
import { InputError } from "../errors.js";
import { pchisq } from "../stats/distributions.js";
import { addToRiskSums, cholesky, choleskySolve, timeOrder, type CoxphFit } from "./coxph.js";
import { sortRows } from "./coxData.js";

export type ZphTransform = "km" | "identity";

export interface ZphTest {
  name: string;
  chisq: number;
  df: number;
  p: number;
}

export interface CoxZphResult {
  terms: ZphTest[];
  global: { chisq: number; df: number; p: number };
  transform: ZphTransform;
}

/**
 * g(t) per observation: "identity" = t; "km" = 1 - S(t-), with S the (unweighted) Kaplan–Meier
 * of the whole sample, all strata pooled — with late entry for (start, stop] rows — so g is the
 * KM-scale "fraction of events passed" just before t (as cox.zph's survfitKM on the fit's y).
 */
function transformTimes(time: Float64Array, status: Uint8Array, start: Float64Array | null, transform: ZphTransform): Float64Array {
  if (transform === "identity") return Float64Array.from(time);
  const order = timeOrder(time);
  const n = time.length;
  const g = new Float64Array(n);
  // Entries (start times) ascending, to count who has entered before t.
  const starts = start ? Float64Array.from(start).sort() : null;
  let surv = 1; // KM just before the current distinct time
  let r = 0;
  let entered = n;
  let sIdx = 0;
  while (r < n) {
    const t = time[order[r]];
    let deaths = 0;
    let end = r;
    while (end < n && time[order[end]] === t) {
      deaths += status[order[end]];
      end++;
    }
    if (starts) {
      // At risk at t: start < t <= stop, i.e. entered before t and not yet left.
      while (sIdx < n && starts[sIdx] < t) sIdx++;
      entered = sIdx;
    }
    const atRisk = entered - r;
    for (let j = r; j < end; j++) g[order[j]] = 1 - surv;
    if (deaths > 0) surv *= 1 - deaths / atRisk;
    r = end;
  }
  return g;
}

/** Solves the (symmetric positive definite) system and returns u' A^-1 u. */
function scoreStatistic(a: Float64Array, m: number, u: Float64Array): number {
  const f = Float64Array.from(a);
  cholesky(f, m);
  const z = Float64Array.from(u);
  choleskySolve(f, m, z);
  let s = 0;
  for (let i = 0; i < m; i++) s += z[i] * u[i];
  return s;
}

export function coxZph(fit: CoxphFit, options: { transform?: ZphTransform } = {}): CoxZphResult {
  const transform = options.transform ?? "km";
  if (transform !== "km" && transform !== "identity") {
    throw new InputError(`coxZph: transform must be "km" or "identity", not "${transform}"`);
  }
  if (fit.nEvent === 0) throw new InputError("coxZph: the Cox fit has no events, so there is nothing to test");
  const { time, status } = fit.data;
  const n = time.length;
  // Aliased (NA) coefficients leave the test, as in R.
  const keep = fit.terms.flatMap((_, k) => (fit.aliased[k] ? [] : [k]));
  const p = keep.length;
  if (p === 0) throw new InputError("coxZph: no estimable coefficients");
  const names = keep.map((k) => fit.terms[k]);

  const start = fit.data.start ?? null;
  const tt = transformTimes(time, status, start, transform);
  let evMean = 0;
  for (let i = 0; i < n; i++) if (status[i] === 1) evMean += tt[i];
  evMean /= fit.nEvent;

  const rows = sortRows(time, start, status, fit.data.weights ?? null, fit.data.strata ?? null);
  const order = rows.order;
  // Covariates re-centred on their plain means (only for numerical stability), sorted order.
  const x = new Float64Array(n * p);
  keep.forEach((k, c) => {
    const col = fit.data.x[k];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    for (let r = 0; r < n; r++) x[r * p + c] = col[order[r]] - mean;
  });
  const w = rows.weights;
  const risk = Float64Array.from(order, (i, r) => Math.exp(fit.linearPredictors[i]) * w[r]);
  const gt = Float64Array.from(order, (i) => tt[i] - evMean);
  const sTime = rows.stop;
  const sStatus = rows.status;
  const sStart = rows.start;
  const startOrder = rows.startOrder;

  // Score for the time-interaction terms (u2) and the full information matrix, in one
  // backward pass per stratum; blocks: [I11 I12; I12' I22] with I12 weighted by g, I22 by g².
  const m = 2 * p;
  const u2 = new Float64Array(p);
  const imat = new Float64Array(m * m);
  const a = new Float64Array(p);
  const a2 = new Float64Array(p);
  const cmat = new Float64Array(p * p);
  const cmat2 = new Float64Array(p * p);
  const efron = fit.ties === "efron";
  for (const block of rows.blocks) {
    let denom = 0;
    let nrisk = 0;
    a.fill(0);
    cmat.fill(0);
    let sp = block.to - 1;
    let r = block.to - 1;
    while (r >= block.from) {
      const dtime = sTime[r];
      const g = gt[r];
      if (sStart && startOrder) {
        // (start, stop] rows leave once t reaches their start.
        while (sp >= block.from && sStart[startOrder[sp]] >= dtime) {
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
          addToRiskSums(-rk, x, q * p, p, a, cmat);
        }
      }
      let ndead = 0;
      let deadwt = 0;
      let denom2 = 0;
      for (; r >= block.from && sTime[r] === dtime; r--) {
        const row = r * p;
        const rk = risk[r];
        nrisk++;
        if (sStatus[r] === 0) {
          denom += rk;
          addToRiskSums(rk, x, row, p, a, cmat);
        } else {
          ndead++;
          deadwt += w[r];
          denom2 += rk;
          for (let i = 0; i < p; i++) u2[i] += g * w[r] * x[row + i];
          addToRiskSums(rk, x, row, p, a2, cmat2);
        }
      }
      if (ndead === 0) continue;
      // Breslow: one step with all deaths in; Efron: ndead steps, adding them gradually, each
      // with the deaths' mean weight.
      const steps = efron ? ndead : 1;
      const wt = deadwt / steps;
      for (let s = 0; s < steps; s++) {
        denom += denom2 / steps;
        for (let i = 0; i < p; i++) {
          a[i] += a2[i] / steps;
          const mean = a[i] / denom;
          u2[i] -= g * wt * mean;
          for (let j = 0; j <= i; j++) {
            cmat[i * p + j] += cmat2[i * p + j] / steps;
            const v = (wt * (cmat[i * p + j] - mean * a[j])) / denom;
            imat[j * m + i] += v;
            imat[j * m + i + p] += v * g;
            imat[(j + p) * m + i + p] += v * g * g;
          }
        }
      }
      a2.fill(0);
      cmat2.fill(0);
    }
  }
  // Fill in the symmetric parts.
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) {
      imat[i * m + j] = imat[j * m + i];
      imat[(i + p) * m + j + p] = imat[(j + p) * m + i + p];
      imat[i * m + j + p] = imat[j * m + i + p];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) imat[(i + p) * m + j] = imat[j * m + i + p];

  const terms: ZphTest[] = names.map((name, k) => {
    // Sub-system: all p beta rows plus the one interaction row of this term.
    const idx = [...Array.from({ length: p }, (_, i) => i), p + k];
    const q = p + 1;
    const sub = new Float64Array(q * q);
    idx.forEach((ii, aa) => idx.forEach((jj, bb) => (sub[aa * q + bb] = imat[ii * m + jj])));
    const u = new Float64Array(q);
    u[p] = u2[k];
    const chisq = scoreStatistic(sub, q, u);
    return { name, chisq, df: 1, p: pchisq(chisq, 1, false) };
  });
  const uAll = new Float64Array(m);
  uAll.set(u2, p);
  const gchisq = scoreStatistic(imat, m, uAll);
  return { terms, global: { chisq: gchisq, df: p, p: pchisq(gchisq, p, false) }, transform };
}
