/**
 * Comparison of two C-indices measured on the same patients, as survival 3.5.3 does it with
 * `concordance(fitA, fitB)`: the two estimates are correlated, so their difference is tested with
 * the JOINT infinitesimal-jackknife covariance (cross-products of the per-patient influence
 * values), not with the two separate variances.
 *
 * Contrast: diff = cB - cA (R: `contr <- c(-1, 1); contr %*% coef(cf)`), so a positive diff means
 * riskB discriminates better. Both scores use concordance()'s convention: higher risk = earlier
 * event; pass the negative of a score where larger means longer survival.
 */
import { InputError } from "../errors.js";
import { pnorm } from "../stats/distributions.js";
import { concordanceWithInfluence, type ConcordanceOptions, type ConcordanceResult } from "./concordance.js";

export interface CompareConcordanceResult {
  cA: number;
  cB: number;
  /** cB - cA. */
  diff: number;
  /** Standard error of diff: sqrt(var A + var B - 2 cov AB). */
  se: number;
  z: number;
  /** Two-sided normal p-value. */
  p: number;
  /** Joint IJ covariance [[var A, cov], [cov, var B]] (R's vcov(concordance(fitA, fitB))). */
  covariance: [[number, number], [number, number]];
  /** The two single-score results (counts, se, ...). */
  a: ConcordanceResult;
  b: ConcordanceResult;
  warnings: string[];
}

/**
 * Tests cB - cA for two risk scores on the same (time, status).
 * `options` (timewt, ymax) apply to both, as in R's concordance(fitA, fitB, timewt =, ymax =).
 */
export function compareConcordance(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  riskA: ArrayLike<number>,
  riskB: ArrayLike<number>,
  options: ConcordanceOptions = {},
): CompareConcordanceResult {
  if (riskA.length !== riskB.length) {
    throw new InputError(`compareConcordance: riskA has ${riskA.length} values but riskB has ${riskB.length}`);
  }
  const fa = concordanceWithInfluence(time, status, riskA, options, "compareConcordance", "riskA");
  const fb = concordanceWithInfluence(time, status, riskB, options, "compareConcordance", "riskB");
  let vaa = 0;
  let vbb = 0;
  let vab = 0;
  for (let i = 0; i < fa.dfbeta.length; i++) {
    vaa += fa.dfbeta[i] * fa.dfbeta[i];
    vbb += fb.dfbeta[i] * fb.dfbeta[i];
    vab += fa.dfbeta[i] * fb.dfbeta[i];
  }
  const diff = fb.c - fa.c;
  const varDiff = vaa + vbb - 2 * vab;
  // Rounding can push the variance of a difference of (near-)identical scores just below 0.
  const se = Math.sqrt(Math.max(varDiff, 0));
  const z = diff / se;
  const p = 2 * pnorm(-Math.abs(z));
  const warnings = [...fa.warnings.map((w) => `riskA: ${w}`), ...fb.warnings.map((w) => `riskB: ${w}`)];
  if (warnings.length === 0 && !(se > 0)) {
    warnings.push("The standard error of cB - cA is 0 (the two scores have identical influence, e.g. they order every pair alike); z and p are undefined (R gives NaN).");
  }
  const { dfbeta: _da, ...a } = fa;
  const { dfbeta: _db, ...b } = fb;
  return {
    cA: fa.c,
    cB: fb.c,
    diff,
    se,
    z,
    p,
    covariance: [
      [vaa, vab],
      [vab, vbb],
    ],
    a,
    b,
    warnings,
  };
}
