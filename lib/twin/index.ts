export { design } from "./design.js";
export { twinTables, paperCriteria, baselineScale } from "./cohort.js";
export type { ScreeningRow, ClinicalRow, LatentRow, TwinTables } from "./cohort.js";
export { writeTwin } from "./write.js";
