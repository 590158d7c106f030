export { parseCsv, readCsv, numericColumn, textColumn } from "./csv.js";
export type { Table, Column } from "./csv.js";
export { toDataFrame, htmlTable, formatNumber } from "./frame.js";
export type { Row } from "./frame.js";
export { modelFrame } from "./modelFrame.js";
export type { ModelFrame, ModelFrameSpec } from "./modelFrame.js";
export { toCsv } from "./writeCsv.js";
