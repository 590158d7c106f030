/**
 * IBSI re-segmentation: drops voxels from the intensity mask by intensity. The morphological mask is
 * unchanged. A range and an outlier filter together keep the intersection; the outlier mean and SD
 * (population SD) are those of the whole ROI (morphological mask), as in the IBSI reference configurations.
 */
import { check, InputError } from "../../errors.js";
import type { ProcessedRoi } from "../roi.js";

export interface ResegmentOptions {
  /** Keep voxels with low <= intensity <= high; null leaves that side open. */
  range?: [number | null, number | null];
  /** Keep voxels within mean ± outlierSigma × SD of the ROI intensities. */
  outlierSigma?: number;
}

export function resegment(roi: ProcessedRoi, options: ResegmentOptions): ProcessedRoi {
  let low = -Infinity;
  let high = Infinity;
  if (options.range) {
    check(Array.isArray(options.range) && options.range.length === 2, "resegment: range must be [low | null, high | null]");
    const [a, b] = options.range;
    if (a !== null && a !== undefined) low = a;
    if (b !== null && b !== undefined) high = b;
    if (low > high) throw new InputError(`resegment: range low ${low} is above high ${high}`);
  }
  if (options.outlierSigma !== undefined && options.outlierSigma !== null) {
    const s = options.outlierSigma;
    check(Number.isFinite(s) && s > 0, `resegment: outlierSigma must be positive, got ${s}`);
    let n = 0;
    let sum = 0;
    for (let i = 0; i < roi.morphMask.length; i++)
      if (roi.morphMask[i]) {
        n++;
        sum += roi.intensity[i];
      }
    check(n > 0, "resegment: the ROI is empty");
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < roi.morphMask.length; i++)
      if (roi.morphMask[i]) ss += (roi.intensity[i] - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    low = Math.max(low, mean - s * sd);
    high = Math.min(high, mean + s * sd);
  }
  const intensityMask = new Uint8Array(roi.morphMask.length);
  let kept = 0;
  for (let i = 0; i < intensityMask.length; i++) {
    const x = roi.intensity[i];
    if (roi.morphMask[i] && x >= low && x <= high) {
      intensityMask[i] = 1;
      kept++;
    }
  }
  if (kept === 0) throw new InputError(`resegment: no ROI voxel is left in [${low}, ${high}]`);
  return {
    ...roi,
    intensityMask,
    range: options.range ? [options.range[0] ?? null, options.range[1] ?? null] : roi.range,
  };
}
