/**
 * radsurv public API (see ../shared/API.md): what notebooks import from dist/index.js.
 */
export * from "./errors.js";
export * from "./table/index.js";
export { pnorm, qnorm, pchisq } from "./stats/distributions.js";
export { show } from "./notebook/show.js";
export type { PlotlyFigure } from "./plot/figure.js";
