export { design } from "./design.js";
export { twinTables, paperCriteria, baselineScale } from "./cohort.js";
export type { ScreeningRow, ClinicalRow, LatentRow, TwinTables } from "./cohort.js";
export { writeTwin } from "./write.js";
export { twinImages, patientImages, imageDesign } from "./images.js";
export type { TwinPatientImages, ReaderMask, TumourTruth } from "./images.js";
