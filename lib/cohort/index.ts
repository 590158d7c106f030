export { exclusionFlow, rule } from "./exclusionFlow.js";
export type { Criterion, CohortRow, ExclusionFlow, FlowStep, RuleOp } from "./exclusionFlow.js";
export { splitCohort } from "./split.js";
export type { CohortSplit, SplitOptions } from "./split.js";
export { baselineTable, tableRows } from "./baselineTable.js";
