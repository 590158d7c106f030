/** Statistics: tail probabilities, intraclass correlation, ROC analysis. */
export { pnorm, qnorm, pchisq } from "./distributions.js";
export { pfUpper, qfUpper } from "./fDistribution.js";
export { icc, iccByFeature, ICC_FORMS, ICC_READINGS } from "./icc.js";
export type { IccForm, IccOptions, IccResult, IccMeanSquares, IccByFeatureOptions, IccByFeatureResult } from "./icc.js";
export { roc } from "./roc.js";
export type { RocOptions, RocResult, RocYouden, RocDirection } from "./roc.js";
export { pt, qt } from "./tDistribution.js";
export * from "./tests/index.js";
export { fitScaler, applyScaler } from "./preprocess.js";
export type { Scaler, ScalerOptions, ScaledMatrix } from "./preprocess.js";
export { binaryAtHorizon } from "./binaryOutcome.js";
export type { BinaryAtHorizon, BinaryAtHorizonOptions } from "./binaryOutcome.js";
