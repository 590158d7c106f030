/** IBSI image processing: interpolation, ROI cropping, re-segmentation, discretisation. */
export { resample, ibsiAxisGrid, type ResampleOptions, type ResampleResult, type Interpolation } from "./resample.js";
export { toProcessedRoi, LOCAL_INTENSITY_RADIUS, type CropOptions } from "./crop.js";
export { resegment, type ResegmentOptions } from "./resegment.js";
export { discretise, type DiscretisationOptions } from "./discretise.js";
