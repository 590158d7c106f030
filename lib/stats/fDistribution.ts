/**
 * The F distribution's upper tail and its quantile, to R's accuracy (pf/qf with lower.tail = FALSE).
 * jStat.gammaln (a 6-term Lanczos, ~1e-10 relative) is too coarse for p-values and quantiles that
 * must agree with R to 1e-10, so the incomplete beta here uses Stirling-series remainders.
 */
import { betaContinuedFraction, stirlingDelta } from "./beta.js";

const HALF_LOG_2PI = 0.9189385332046728;

/** log(1 + u) written so that 1 + u = ratio is taken from `logRatio` when u is far from 0. */
function logNearOne(u: number, logRatio: () => number): number {
  return Math.abs(u) < 0.5 ? Math.log1p(u) : logRatio();
}

/**
 * Upper tail of F(d1, d2) at f, and log of f × density (the derivative of the tail in log f).
 * The beta prefactor x^a y^b / B(a, b) is assembled as TOMS 708 does, from log(x (a+b)/a) and
 * log(y (a+b)/b) plus Stirling remainders, so the large terms of a log x + b log y − log B(a, b)
 * cancel analytically rather than in floating point (matters for df in the hundreds or thousands).
 */
function fTails(f: number, d1: number, d2: number): { upper: number; logDensityTimesF: number } {
  const a = d1 / 2;
  const b = d2 / 2;
  const r = (a * f) / b; // = x / y
  const x = r / (1 + r);
  const y = 1 / (1 + r);
  // x (a+b)/a = 1 + (f − 1)/(1 + r);  y (a+b)/b = 1 + a (1 − f)/(b (1 + r)).
  const l1 = logNearOne((f - 1) / (1 + r), () => Math.log(f) + Math.log(a + b) - Math.log(b) - Math.log1p(r));
  const l2 = logNearOne((a * (1 - f)) / (b * (1 + r)), () => Math.log(a + b) - Math.log(b) - Math.log1p(r));
  const logFront =
    a * l1 + b * l2 + 0.5 * Math.log((a / (a + b)) * b) - HALF_LOG_2PI - stirlingDelta(a) - stirlingDelta(b) + stirlingDelta(a + b);
  let upper: number;
  if (x < (a + 1) / (a + b + 2)) {
    upper = 1 - (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  } else {
    upper = (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
  }
  return { upper, logDensityTimesF: logFront };
}

/** R's pf(f, d1, d2, lower.tail = FALSE). */
export function pfUpper(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || !(d1 > 0) || !(d2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite((d1 * f) / d2)) return 0;
  return fTails(f, d1, d2).upper;
}

/** R's qf(q, d1, d2, lower.tail = FALSE): the f with upper tail probability q. */
export function qfUpper(q: number, d1: number, d2: number): number {
  if (!(q >= 0 && q <= 1) || !(d1 > 0) || !(d2 > 0)) return NaN;
  if (q === 0) return Infinity;
  if (q === 1) return 0;
  // Newton on t = log f for h(t) = log P(F > e^t) - log q, which is smooth and decreasing;
  // a bracket [lo, hi] guards the steps (bisection when Newton leaves it).
  const logQ = Math.log(q);
  let lo = -Infinity;
  let hi = Infinity;
  let t = 0;
  for (let iter = 0; iter < 500; iter++) {
    const { upper, logDensityTimesF } = fTails(Math.exp(t), d1, d2);
    const h = Math.log(upper) - logQ;
    if (h === 0) return Math.exp(t);
    if (h > 0) lo = t;
    else hi = t;
    const slope = -Math.exp(logDensityTimesF) / upper;
    let next = t - h / slope;
    if (!Number.isFinite(next) || next <= lo || next >= hi) {
      if (Number.isFinite(lo) && Number.isFinite(hi)) next = 0.5 * (lo + hi);
      else next = Number.isFinite(lo) ? lo + 2 : hi - 2;
    }
    const step = Math.abs(next - t);
    t = next;
    if (step <= 1e-15 * Math.max(1, Math.abs(t))) break;
  }
  return Math.exp(t);
}
