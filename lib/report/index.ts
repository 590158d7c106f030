export { createProgress, formatDuration } from "./progress.js";
export type { Progress, ProgressOptions } from "./progress.js";
export { nomogramCalculator } from "./nomogramCalculator.js";
export { renderReport, escapeHtml } from "./html.js";
export type { ReportDocument, ReportSection, ReportBlock } from "./html.js";
export { exportFigures } from "./exportFigures.js";
