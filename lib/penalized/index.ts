export { lassoPath } from "./lassoPath.js";
export type { LassoPathOptions, LassoPathResult, LassoFamily, LassoResponse, SurvivalResponse } from "./lassoPath.js";
export { cvLasso, coxDeviance, aucScore } from "./cvLasso.js";
export type { CvLassoOptions, CvLassoResult, CvMeasure } from "./cvLasso.js";
