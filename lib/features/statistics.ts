/**
 * IBSI intensity-based statistical features (18), on the intensity-mask voxels, keyed by MIRP tags.
 * Percentiles interpolate linearly between order statistics (numpy's default, as MIRP); moments are
 * population moments; kurtosis is excess kurtosis.
 */
import type { ProcessedRoi } from "./roi.js";

/** Linear-interpolation percentile (numpy default) of ascending-sorted values; p in [0, 100]. */
export function percentileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The statistics shared by the intensity statistics and the intensity histogram families. */
export function distributionFeatures(values: Float64Array): Record<string, number> {
  const n = values.length;
  const x = Float64Array.from(values).sort();
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    sum += x[i];
    sumSq += x[i] * x[i];
  }
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0, mad = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    mad += Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const sd = Math.sqrt(m2);
  const median = percentileSorted(x, 50);
  const p10 = percentileSorted(x, 10);
  const p90 = percentileSorted(x, 90);
  const p25 = percentileSorted(x, 25);
  const p75 = percentileSorted(x, 75);
  // Robust MAD: mean absolute deviation of the voxels between the 10th and 90th percentiles, from their own mean.
  let rn = 0, rs = 0;
  for (let i = 0; i < n; i++) if (x[i] >= p10 && x[i] <= p90) {
    rn++;
    rs += x[i];
  }
  const rmean = rs / rn;
  let rmad = 0;
  for (let i = 0; i < n; i++) if (x[i] >= p10 && x[i] <= p90) rmad += Math.abs(x[i] - rmean);
  let medad = 0;
  for (let i = 0; i < n; i++) medad += Math.abs(x[i] - median);
  return {
    mean,
    var: m2,
    // A constant ROI has no shape: 0 rather than 0/0, as MIRP.
    skew: m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0,
    kurt: m2 > 0 ? m4 / (m2 * m2) - 3 : 0,
    median,
    min: x[0],
    p10,
    p90,
    max: x[n - 1],
    iqr: p75 - p25,
    range: x[n - 1] - x[0],
    mad: mad / n,
    rmad: rmad / rn,
    medad: medad / n,
    cov: m2 > 0 ? sd / mean : 0,
    qcod: (p75 - p25) / (p75 + p25),
    energy: sumSq,
    rms: Math.sqrt(sumSq / n),
  };
}

/** Intensities of the intensity-mask voxels. */
export function roiValues(roi: ProcessedRoi): Float64Array {
  let n = 0;
  for (let i = 0; i < roi.intensityMask.length; i++) n += roi.intensityMask[i];
  const v = new Float64Array(n);
  for (let i = 0, t = 0; i < roi.intensityMask.length; i++) if (roi.intensityMask[i]) v[t++] = roi.intensity[i];
  return v;
}

const STAT_KEYS = ["mean", "var", "skew", "kurt", "median", "min", "p10", "p90", "max", "iqr", "range", "mad", "rmad", "medad", "cov", "qcod", "energy", "rms"];

export function statisticsFeatures(roi: ProcessedRoi): Record<string, number> {
  const values = roiValues(roi);
  const d = distributionFeatures(values);
  const out: Record<string, number> = {};
  for (const k of STAT_KEYS) out[`stat_${k}`] = d[k];
  return out;
}
