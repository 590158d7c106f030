export { lassoPath } from "./lassoPath.js";
export type { LassoPathOptions, LassoPathResult, LassoFamily, LassoResponse, SurvivalResponse } from "./lassoPath.js";
export { cvLasso, coxDeviance, aucScore } from "./cvLasso.js";
export type { CvLassoOptions, CvLassoResult, CvMeasure } from "./cvLasso.js";
export { interpolateCoefs } from "./cvLasso.js";
export { radScoreCox, radScoreLasso, radScoreCutoff, riskGroup, selectedFeatures } from "./radScore.js";
export type { RadScore, RadScoreTerm, RadScoreOptions, RadScoreCoxOptions, RadScoreCutoff } from "./radScore.js";
