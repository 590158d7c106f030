/**
 * IBSI intensity discretisation of the intensity-mask voxels into grey levels 1..Ng.
 * FBN: floor(Ng (x - min) / (max - min)) + 1, with x = max put in bin Ng (min, max over the ROI).
 * FBS: floor((x - lowerBound) / w) + 1, lowerBound from the option, else the re-segmentation range's
 * low end, else the ROI minimum. "none": the intensities are used as they are and must already be
 * integer grey levels >= 1 (as in the IBSI digital phantom).
 */
import { check, InputError } from "../../errors.js";
import type { DiscretisedRoi, ProcessedRoi } from "../roi.js";

export interface DiscretisationOptions {
  method: "FBN" | "FBS" | "none";
  bins?: number;
  binWidth?: number;
  lowerBound?: number;
}

export function discretise(roi: ProcessedRoi, options: DiscretisationOptions): DiscretisedRoi {
  const { intensity, intensityMask } = roi;
  const n = intensity.length;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++)
    if (intensityMask[i]) {
      const x = intensity[i];
      if (x < min) min = x;
      if (x > max) max = x;
      count++;
    }
  check(count > 0, "discretise: the intensity mask is empty");
  const grey = new Int32Array(n);
  let nLevels: number;
  switch (options.method) {
    case "FBN": {
      const bins = options.bins;
      check(bins !== undefined && Number.isInteger(bins) && bins >= 1, `discretise: FBN needs an integer bins >= 1, got ${bins}`);
      const range = max - min;
      for (let i = 0; i < n; i++) {
        if (!intensityMask[i]) continue;
        // A single intensity has no range: MIRP puts every voxel in the middle bin.
        let g = range > 0 ? Math.floor((bins * (intensity[i] - min)) / range) + 1 : Math.ceil(bins / 2);
        if (g > bins) g = bins;
        if (g < 1) g = 1;
        grey[i] = g;
      }
      nLevels = bins;
      break;
    }
    case "FBS": {
      const w = options.binWidth;
      check(w !== undefined && Number.isFinite(w) && w > 0, `discretise: FBS needs a positive binWidth, got ${w}`);
      const lb = options.lowerBound ?? roi.range?.[0] ?? min;
      check(Number.isFinite(lb), `discretise: FBS lowerBound must be finite, got ${lb}`);
      let top = 1;
      for (let i = 0; i < n; i++) {
        if (!intensityMask[i]) continue;
        let g = Math.floor((intensity[i] - lb) / w) + 1;
        if (g < 1) g = 1; // intensities below the bound (only possible with an explicit lowerBound)
        grey[i] = g;
        if (g > top) top = g;
      }
      nLevels = top;
      break;
    }
    case "none": {
      for (let i = 0; i < n; i++) {
        if (!intensityMask[i]) continue;
        const x = intensity[i];
        if (!Number.isInteger(x) || x < 1) {
          throw new InputError(
            `discretise: method "none" needs integer intensities >= 1 in the ROI, found ${x}; use FBS with binWidth 1 or FBN`,
          );
        }
        grey[i] = x;
      }
      nLevels = max;
      break;
    }
    default:
      throw new InputError(`discretise: unknown method "${(options as { method: string }).method}"`);
  }
  return { dims: [...roi.dims] as [number, number, number], spacing: [...roi.spacing] as [number, number, number], grey, nLevels };
}
