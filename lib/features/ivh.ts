/**
 * IBSI intensity-volume histogram (IVH) features, keyed by MIRP tags. The IVH is built on the
 * intensity-mask voxels, discretised separately from texture (settings.ivhDiscretisation):
 * - "none": the intensities themselves (must be integers, e.g. HU), on the levels min..max in steps of 1;
 * - "FBS": bins of width w from the lower bound, each bin represented by its centre;
 * - "FBN": bin numbers 1..Ng.
 * The range is the re-segmentation range when one was set (open ends: the ROI min / max), as IBSI and MIRP.
 * Intensity fraction gamma = (X - X_min) / (X_max - X_min); volume fraction nu(X) = share of voxels >= X.
 * V_x = nu at the first level with gamma >= x; I_x = the first level with nu <= x (or the level after the
 * last one when there is none).
 */
import { check, InputError } from "../errors.js";
import type { ProcessedRoi } from "./roi.js";
import type { DiscretisationOptions } from "./process/discretise.js";
import { roiValues } from "./statistics.js";

export interface IntensityVolumeHistogram {
  /** Discretised intensity of each level, ascending. */
  level: Float64Array;
  /** Intensity fraction of each level. */
  gamma: Float64Array;
  /** Volume fraction: share of voxels at or above each level. */
  nu: Float64Array;
  /** The level after the last one (returned by I_x when no level has nu <= x). */
  nextLevel: number;
}

export function intensityVolumeHistogram(roi: ProcessedRoi, settings: DiscretisationOptions = { method: "none" }): IntensityVolumeHistogram {
  const x = roiValues(roi);
  const n = x.length;
  check(n > 0, "ivh: the intensity mask is empty");
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  let r0 = roi.range?.[0] ?? min;
  let r1 = roi.range?.[1] ?? max;
  if (!Number.isFinite(r0)) r0 = min;
  if (!Number.isFinite(r1)) r1 = max;
  let binOf: (v: number) => number; // 0-based level index
  let nLevels: number;
  let levelValue: (b: number) => number;
  let step: number;
  switch (settings.method) {
    case "none": {
      for (let i = 0; i < n; i++) {
        if (!Number.isInteger(x[i])) {
          throw new InputError(`ivh: discretisation "none" needs integer intensities, found ${x[i]}; use FBS or FBN`);
        }
      }
      check(Number.isInteger(r0) && Number.isInteger(r1), `ivh: discretisation "none" needs an integer range, got [${r0}, ${r1}]`);
      nLevels = r1 - r0 + 1;
      binOf = (v) => v - r0;
      levelValue = (b) => r0 + b;
      step = 1;
      break;
    }
    case "FBS": {
      const w = settings.binWidth;
      check(w !== undefined && w > 0, `ivh: FBS needs a positive binWidth, got ${w}`);
      const lb = settings.lowerBound ?? r0;
      nLevels = Math.ceil((r1 - lb) / w) + 1;
      binOf = (v) => Math.min(nLevels - 1, Math.max(0, Math.floor((v - lb) / w)));
      levelValue = (b) => lb + (b + 0.5) * w;
      step = w;
      break;
    }
    case "FBN": {
      const bins = settings.bins;
      check(bins !== undefined && Number.isInteger(bins) && bins >= 1, `ivh: FBN needs an integer bins >= 1, got ${bins}`);
      nLevels = bins;
      binOf = (v) => (max > min ? Math.min(bins - 1, Math.max(0, Math.floor((bins * (v - min)) / (max - min)))) : 0);
      levelValue = (b) => b + 1;
      step = 1;
      break;
    }
    default:
      throw new InputError(`ivh: unknown discretisation method "${(settings as { method: string }).method}"`);
  }
  check(nLevels >= 1 && nLevels <= 1e7, `ivh: ${nLevels} levels is out of range`);
  const counts = new Float64Array(nLevels);
  for (let i = 0; i < n; i++) counts[binOf(x[i])]++;
  const level = new Float64Array(nLevels);
  for (let b = 0; b < nLevels; b++) level[b] = levelValue(b);
  const lo = level[0];
  const hi = level[nLevels - 1];
  const gamma = new Float64Array(nLevels);
  // With a single level there is no intensity range; that level is both the lowest and the highest.
  for (let b = 0; b < nLevels; b++) gamma[b] = hi > lo ? (level[b] - lo) / (hi - lo) : 1;
  const nu = new Float64Array(nLevels);
  let below = 0;
  for (let b = 0; b < nLevels; b++) {
    nu[b] = 1 - below / n;
    below += counts[b];
  }
  return { level, gamma, nu, nextLevel: hi + step };
}

/** Volume fraction at intensity fraction x (0..1). */
export function ivhVolumeAt(h: IntensityVolumeHistogram, x: number): number {
  // nu decreases with the level, so the first level with gamma >= x has the largest nu.
  for (let b = 0; b < h.gamma.length; b++) if (h.gamma[b] >= x) return h.nu[b];
  return NaN;
}

/** Intensity at volume fraction x (0..1). */
export function ivhIntensityAt(h: IntensityVolumeHistogram, x: number): number {
  for (let b = 0; b < h.nu.length; b++) if (h.nu[b] <= x) return h.level[b];
  return h.nextLevel;
}

export function ivhFeatures(roi: ProcessedRoi, settings: DiscretisationOptions = { method: "none" }): Record<string, number> {
  const h = intensityVolumeHistogram(roi, settings);
  const v10 = ivhVolumeAt(h, 0.1), v90 = ivhVolumeAt(h, 0.9);
  const i10 = ivhIntensityAt(h, 0.1), i90 = ivhIntensityAt(h, 0.9);
  return {
    ivh_v10: v10,
    ivh_v90: v90,
    ivh_i10: i10,
    ivh_i90: i90,
    ivh_diff_v10_v90: v10 - v90,
    ivh_diff_i10_i90: i10 - i90,
  };
}
