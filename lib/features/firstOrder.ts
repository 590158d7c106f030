/**
 * Entry point for the non-texture IBSI families: morphology, local intensity, intensity statistics,
 * intensity histogram and intensity-volume histogram. Keys are MIRP tags (the `mirp_tag` column of the
 * IBSI digital-phantom reference table).
 */
import type { DiscretisedRoi, ProcessedRoi } from "./roi.js";
import type { DiscretisationOptions } from "./process/discretise.js";
import { morphologyFeatures } from "./morphology.js";
import { localIntensityFeatures } from "./localIntensity.js";
import { statisticsFeatures } from "./statistics.js";
import { histogramFeatures } from "./histogram.js";
import { ivhFeatures } from "./ivh.js";

export { morphologyFeatures, localIntensityFeatures, statisticsFeatures, histogramFeatures, ivhFeatures };

export interface FirstOrderSettings {
  /** IVH discretisation (IBSI: separate from texture); default "none" (raw, integer intensities). */
  ivhDiscretisation?: DiscretisationOptions;
}

/**
 * All first-order and morphological features.
 * @param roi processed ROI (after interpolation and re-segmentation), cropped with the local-intensity margin
 * @param discretised the same ROI discretised for texture and the intensity histogram
 */
export function firstOrderFeatures(roi: ProcessedRoi, discretised: DiscretisedRoi, settings: FirstOrderSettings = {}): Record<string, number> {
  return {
    ...morphologyFeatures(roi),
    ...localIntensityFeatures(roi),
    ...statisticsFeatures(roi),
    ...histogramFeatures(discretised),
    ...ivhFeatures(roi, settings.ivhDiscretisation ?? { method: "none" }),
  };
}
