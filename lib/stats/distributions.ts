/**
 * Normal and chi-square tail probabilities accurate in the far tails.
 *
 * jstat computes upper tails as 1 - cdf, which underflows to 0 beyond z ≈ 8 or for
 * chi-square p below ~1e-16; R reports such p-values exactly (e.g. 7.6e-24), and so do we:
 * tails come from continued fractions that give the small quantity directly.
 */
import jstatPkg from "jstat";
import { logGamma } from "./beta.js";
const { jStat } = jstatPkg;

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Upper tail of the standard normal, Q(z) = P(Z > z). */
function normalUpper(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 1 - normalUpper(-z);
  if (z < 3) return 0.5 * jStat.erfc(z / SQRT2);
  // Mills ratio continued fraction Q(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + ...)))), Lentz's method.
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = z + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI) / f;
}

/** R's pnorm(q, 0, 1, lower.tail). */
export function pnorm(q: number, lowerTail = true): number {
  return lowerTail ? normalUpper(-q) : normalUpper(q);
}

/** R's qnorm(p) for the standard normal. */
export function qnorm(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return jStat.normal.inv(p, 0, 1);
}

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  const lead = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 - P is not small here, so no cancellation problem.
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - Math.exp(lead) * sum;
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** R's pchisq(q, df, lower.tail). */
export function pchisq(q: number, df: number, lowerTail = true): number {
  if (Number.isNaN(q) || !(df > 0)) return NaN;
  // df = 1 is a squared normal: use the normal tail for full accuracy.
  const upper = df === 1 ? (q <= 0 ? 1 : 2 * normalUpper(Math.sqrt(q))) : gammaQ(df / 2, q / 2);
  return lowerTail ? 1 - upper : upper;
}
