/** Radiomics features (IBSI 1): the extractFeatures orchestrator, its settings, and the building blocks. */
export { extractFeatures, prepareRoi, ibsiFeatures, type ExtractResult, type PreparedRoi } from "./extract.js";
export {
  resolveSettings,
  DEFAULT_DISCRETISATION,
  type ExtractSettings,
  type ResolvedSettings,
  type DiscretisationSettings,
  type DiscretisationMethod,
  type ResampleSettings,
  type ResegmentSettings,
  type InterpolationMethod,
  type TextureDimensions,
  type FeatureProfile,
} from "./settings.js";
export type { ProcessedRoi, DiscretisedRoi, TextureAggregation } from "./roi.js";
export {
  resample,
  ibsiAxisGrid,
  toProcessedRoi,
  resegment,
  discretise,
  LOCAL_INTENSITY_RADIUS,
  type ResampleOptions,
  type ResampleResult,
  type Interpolation,
  type CropOptions,
  type ResegmentOptions,
  type DiscretisationOptions,
} from "./process/index.js";
export {
  firstOrderFeatures,
  morphologyFeatures,
  localIntensityFeatures,
  statisticsFeatures,
  histogramFeatures,
  ivhFeatures,
  type FirstOrderSettings,
} from "./firstOrder.js";
export {
  textureFeatures,
  TEXTURE_FAMILIES,
  TEXTURE_AGGREGATIONS,
  glcmMatrix,
  glcmFeaturesOf,
  glrlmMatrix,
  glrlmFeaturesOf,
  glszmMatrix,
  glszmFeaturesOf,
  gldzmMatrix,
  gldzmFeaturesOf,
  ngtdmMatrix,
  ngtdmFeaturesOf,
  ngldmMatrix,
  ngldmFeaturesOf,
  type TextureFamily,
  type TextureOptions,
} from "./texture/index.js";
export { extractCohort, readManifest } from "./extractCohort.js";
export { AK396_NAMES, AK396_GROUPS } from "./profiles/ak396.js";
