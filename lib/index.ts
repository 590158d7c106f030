/**
 * radsurv public API (see ../shared/API.md): what notebooks import from dist/index.js.
 */
export * from "./errors.js";
export * from "./table/index.js";
export * from "./random/index.js";
export * from "./survival/index.js";
export * from "./plot/index.js";
export * from "./cohort/index.js";
export * from "./twin/index.js";
export * from "./imaging/index.js";
export * from "./penalized/index.js";
export * from "./features/index.js";
export * from "./evaluate/index.js";
export * from "./report/index.js";
export * from "./study/index.js";
export * from "./stats/index.js";
export { show } from "./notebook/show.js";
