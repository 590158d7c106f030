/**
 * IBSI intensity histogram features (23), on the discretised grey levels of the intensity mask, keyed
 * by MIRP tags. The histogram runs over levels 1..Ng (Ng = the discretisation's number of levels), so
 * empty levels count for the gradient features.
 */
import type { DiscretisedRoi } from "./roi.js";
import { distributionFeatures } from "./statistics.js";

export function histogramFeatures(disc: DiscretisedRoi): Record<string, number> {
  const { grey, nLevels } = disc;
  let n = 0;
  for (let i = 0; i < grey.length; i++) if (grey[i] > 0) n++;
  const values = new Float64Array(n);
  const ng = Math.max(nLevels, 1);
  const counts = new Float64Array(ng);
  for (let i = 0, t = 0; i < grey.length; i++) {
    const g = grey[i];
    if (g <= 0) continue;
    values[t++] = g;
    counts[g - 1]++;
  }
  const d = distributionFeatures(values);
  const out: Record<string, number> = {};
  for (const k of ["mean", "var", "skew", "kurt", "median", "min", "p10", "p90", "max"]) out[`ih_${k}`] = d[k];
  // Mode: the most frequent level; ties go to the level closest to the mean (first such level), as MIRP.
  let maxCount = -1;
  for (let g = 0; g < ng; g++) if (counts[g] > maxCount) maxCount = counts[g];
  let mode = NaN;
  let bestDist = Infinity;
  for (let g = 0; g < ng; g++) {
    if (counts[g] !== maxCount) continue;
    const dist = Math.abs(g + 1 - d.mean);
    if (dist < bestDist) [bestDist, mode] = [dist, g + 1];
  }
  out.ih_mode = mode;
  for (const k of ["iqr", "range", "mad", "rmad", "medad", "cov", "qcod"]) out[`ih_${k}`] = d[k];
  let entropy = 0;
  let uniformity = 0;
  for (let g = 0; g < ng; g++) {
    const p = counts[g] / n;
    if (p > 0) entropy -= p * Math.log2(p);
    uniformity += p * p;
  }
  out.ih_entropy = entropy;
  out.ih_uniformity = uniformity;
  // Histogram gradient: central differences inside, one-sided at the ends (numpy.gradient).
  const grad = new Float64Array(ng);
  if (ng > 1) {
    grad[0] = counts[1] - counts[0];
    grad[ng - 1] = counts[ng - 1] - counts[ng - 2];
    for (let g = 1; g < ng - 1; g++) grad[g] = (counts[g + 1] - counts[g - 1]) / 2;
  }
  let gMax = 0, gMin = 0;
  for (let g = 1; g < ng; g++) {
    if (grad[g] > grad[gMax]) gMax = g;
    if (grad[g] < grad[gMin]) gMin = g;
  }
  out.ih_max_grad = grad[gMax];
  out.ih_max_grad_g = gMax + 1;
  out.ih_min_grad = grad[gMin];
  out.ih_min_grad_g = gMin + 1;
  return out;
}
