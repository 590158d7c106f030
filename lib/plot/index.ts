export type { PlotlyFigure, PlotlyTrace } from "./figure.js";
export { palette, huePalette, hcl, withAlpha } from "./figure.js";
export { kmPlot, formatSurvminerP, nRiskAt } from "./kmPlot.js";
export type { KmPlotOptions, KmLike, KmStratumLike } from "./kmPlot.js";
export { forestPlot, forestRows } from "./forestPlot.js";
export type { ForestPlotOptions, ForestRow, CoxFitLike } from "./forestPlot.js";
export { extendedBreaks, axisBreaks } from "./breaks.js";
export { lassoPathPlot, cvLassoPlot } from "./lassoPlot.js";
export { flowDiagram } from "./flowDiagram.js";
