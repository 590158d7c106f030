/**
 * Elastic-net logistic path with an unpenalised intercept, as glmnet 4.1.6's two-class lognet
 * (Newton, not the modified-Newton bound): each IRLS step forms weights v = w·p(1−p) and the
 * working residual, coordinate descent (strong set, then active set) solves the penalised
 * weighted least squares including the intercept, and a lambda is done when no coefficient moved
 * by more than thresh·(null half-deviance) in the weighted metric and the KKT check passes
 * outside the strong set. Probabilities are kept within [pmin, 1 − pmin] through the linear
 * predictor, as glmnet does, so separable data cannot drive coefficients to infinity silently.
 */
import { InputError } from "../errors.js";
import { control, nextLambda, sweep, WorkingSets } from "./design.js";
import { kernels } from "./kernels.js";
import { convergenceWarning, type SolverInput, type SolverOutput } from "./coxnet.js";

export function lognetPath(inp: SolverInput, y: Float64Array): SolverOutput {
  const { n, p, x, w, ju, vp, alpha, thresh, maxit, what } = inp;
  const warnings: string[] = [];
  const pmin = control.pmin;
  const vmin = (1 + pmin) * pmin * (1 - pmin);
  const fmaxEta = Math.log(1 / pmin - 1);

  let q0 = 0;
  for (let i = 0; i < n; i++) q0 += w[i] * y[i];
  if (q0 <= pmin || q0 >= 1 - pmin) throw new InputError(`${what}: the event proportion is 0 or 1; nothing to fit`);
  const bz = Math.log(q0 / (1 - q0));
  let b0 = bz;
  // Design, IRLS weights v, working residual r and linear predictor η in the kernels' heap.
  const K = kernels();
  const RO = n * p;
  const VO = RO + n;
  const EO = VO + n;
  const heap = K.reserve(EO + n);
  heap.set(x.subarray(0, n * p), 0);
  const r = heap.subarray(RO, RO + n);
  const v = heap.subarray(VO, VO + n);
  const eta = heap.subarray(EO, EO + n);
  const q = new Float64Array(n).fill(q0);
  for (let i = 0; i < n; i++) {
    v[i] = w[i] * q0 * (1 - q0);
    r[i] = w[i] * (y[i] - q0);
  }
  let xmz = q0 * (1 - q0);
  const dev1 = -(bz * q0 + Math.log(1 - q0)); // null negative log-likelihood
  let dev0 = dev1;
  for (let i = 0; i < n; i++) {
    if (y[i] > 0) dev0 += w[i] * y[i] * Math.log(y[i]);
    if (y[i] < 1) dev0 += w[i] * (1 - y[i]) * Math.log(1 - y[i]);
  }
  const thr = thresh * dev0;

  const ga = new Float64Array(p);
  for (let j = 0; j < p; j++) if (ju[j]) ga[j] = Math.abs(K.dot(j * n, RO, n));

  const user = inp.lambda;
  const nlam = user ? user.length : inp.nlambda;
  const flmin = user ? 1 : inp.lambdaMinRatio;
  const alf = user ? 1 : Math.pow(Math.max(control.eps, flmin), 1 / (nlam - 1));
  const mnl = Math.min(control.mnlam, nlam);

  const b = new Float64Array(p);
  const bs = new Float64Array(p);
  const xv = new Float64Array(p);
  const ws = new WorkingSets(p);
  const { strong, strongList, active } = ws;
  let nlp = 0;
  let al = 0;
  const out: SolverOutput = { lambda: [], beta: [], a0: [], devRatio: [], nullDevHalf: dev0, npasses: 0, warnings };

  const updateIntercept = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += r[i];
    const d = s / xmz;
    b0 += d;
    for (let i = 0; i < n; i++) r[i] -= d * v[i];
    return xmz * d * d;
  };

  pathLoop: for (let m = 0; m < nlam; m++) {
    const nl = nextLambda(m, al, user, alf, ga, vp, ju, alpha);
    al = nl.al;
    const l1 = alpha * al;
    const l2 = (1 - alpha) * al;
    const tlam = alpha * (2 * al - nl.al0);
    for (let k = 0; k < p; k++) if (!strong[k] && ju[k] && ga[k] > tlam * vp[k]) strong[k] = 1;
    ws.syncStrong();
    let tooSmall = false;
    for (;;) {
      const bs0 = b0;
      for (let l = 0; l < ws.nActive; l++) bs[active[l]] = b[active[l]];
      for (let s = 0; s < ws.nStrong; s++) {
        const j = strongList[s];
        xv[j] = K.wsq(j * n, VO, n);
      }
      for (;;) {
        if (++nlp > maxit) {
          warnings.push(convergenceWarning(m, maxit));
          break pathLoop;
        }
        let dlx = sweep(K, strongList, ws.nStrong, n, RO, VO, b, xv, vp, l1, l2, ws);
        dlx = Math.max(dlx, updateIntercept());
        if (dlx < thr) break;
        for (;;) {
          if (++nlp > maxit) {
            warnings.push(convergenceWarning(m, maxit));
            break pathLoop;
          }
          let d2 = sweep(K, active, ws.nActive, n, RO, VO, b, xv, vp, l1, l2, ws);
          d2 = Math.max(d2, updateIntercept());
          if (d2 < thr) break;
        }
      }
      // New IRLS weights at the updated fit.
      eta.fill(b0);
      for (let l = 0; l < ws.nActive; l++) {
        const j = active[l];
        if (b[j] !== 0) K.axpy(EO, b[j], j * n, n);
      }
      xmz = 0;
      for (let i = 0; i < n; i++) {
        const fi = eta[i];
        q[i] = fi < -fmaxEta ? 0 : fi > fmaxEta ? 1 : 1 / (1 + Math.exp(-fi));
        v[i] = w[i] * q[i] * (1 - q[i]);
        xmz += v[i];
      }
      if (xmz <= vmin) {
        tooSmall = true;
        break;
      }
      for (let i = 0; i < n; i++) r[i] = w[i] * (y[i] - q[i]);
      let conv = xmz * (b0 - bs0) * (b0 - bs0) < thr;
      if (conv) {
        for (let l = 0; l < ws.nActive; l++) {
          const k = active[l];
          const d = b[k] - bs[k];
          if (xv[k] * d * d >= thr) {
            conv = false;
            break;
          }
        }
      }
      if (!conv) continue;
      let added = false;
      for (let k = 0; k < p; k++) {
        if (strong[k] || !ju[k]) continue;
        ga[k] = Math.abs(K.dot(k * n, RO, n));
        if (ga[k] > l1 * vp[k]) {
          strong[k] = 1;
          added = true;
        }
      }
      if (!added) break;
      ws.syncStrong();
    }
    out.lambda.push(al);
    out.beta.push(Float64Array.from(b));
    out.a0.push(b0);
    let devi = 0;
    for (let i = 0; i < n; i++) {
      const pi = Math.min(Math.max(pmin, q[i]), 1 - pmin);
      devi -= w[i] * (y[i] * Math.log(pi) + (1 - y[i]) * Math.log(1 - pi));
    }
    const dev = (dev1 - devi) / dev0;
    out.devRatio.push(dev);
    if (m + 1 < mnl || user) continue;
    let me = 0;
    for (let j = 0; j < p; j++) if (b[j] !== 0) me++;
    const prev = m === 0 ? 0 : out.devRatio[m - 1];
    if (me > inp.dfmax || dev - prev < control.fdev || dev > control.devmax) break;
    if (tooSmall) break;
  }
  out.npasses = nlp;
  return out;
}
