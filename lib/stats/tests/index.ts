/** Hypothesis tests for baseline tables (chi-square, Fisher, t, Wilcoxon), matched to R's stats package. */
export { chisqTest } from "./chisqTest.js";
export type { ChisqTestResult } from "./chisqTest.js";
export { fisherTest } from "./fisherTest.js";
export type { FisherTestResult, FisherTestOptions } from "./fisherTest.js";
export { tTest } from "./tTest.js";
export type { TTestResult, TTestOptions } from "./tTest.js";
export { wilcoxTest } from "./wilcoxTest.js";
export type { WilcoxTestResult, WilcoxTestOptions } from "./wilcoxTest.js";
