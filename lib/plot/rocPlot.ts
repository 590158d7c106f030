/**
 * ROC curves as pROC users see them (plot.roc / ggroc): sensitivity against 1 − specificity (pROC's
 * legacy.axes = TRUE, the axis most papers print) or against specificity running from 1 to 0 (pROC's
 * default), the chance diagonal, one curve per result with "AUC (95% CI)" in its legend entry, and
 * the Youden-optimal threshold marked as plot.roc(print.thres = "best") does.
 *
 * Traces carry `meta.role` ("diagonal", "roc" with `meta.name`, "youden" with `meta.name`) so tests
 * and readers can find the plotted numbers.
 */
import type { RocResult } from "../stats/roc.js";
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";
import { huePalette } from "./figure.js";

/** The parts of a RocResult the figure reads. */
export type RocLike = Pick<RocResult, "auc" | "lower" | "upper" | "confLevel" | "sensitivity" | "specificity" | "thresholds" | "youden">;

export interface RocPlotOptions {
  title?: string;
  /**
   * Mark each curve's Youden-optimal point (default true), or per curve (e.g. [true, false] to leave out a
   * validation curve's own optimum, which is not a cut-off anyone may use).
   */
  youden?: boolean | boolean[];
  /**
   * Extra labelled operating points, drawn in the colour of curve `curve` (0-based, default 0): e.g. the
   * sensitivity and specificity of the training cut-off applied to the validation cohort.
   */
  points?: { curve?: number; sensitivity: number; specificity: number; label: string }[];
  /**
   * true (default): x = 1 − specificity from 0 to 1 (pROC's legacy.axes = TRUE);
   * false: x = specificity from 1 down to 0 (pROC's default axis).
   */
  legacyAxes?: boolean;
  /** One colour per curve. Default: black for a single curve (plot.roc), ggplot2's hue palette for several (ggroc). */
  colors?: string[];
  /** Decimals of AUC and CI in the legend (default 2, as print.roc's ci). */
  digits?: number;
  width?: number;
  height?: number;
}

export type RocPlotInput = RocLike | { name: string; roc: RocLike }[];

const isList = (x: RocPlotInput): x is { name: string; roc: RocLike }[] => Array.isArray(x);

/** "AUC 0.83 (95% CI 0.74–0.92)"; the CI is left out when it is not finite (e.g. a degenerate SE). */
export function rocLegend(r: Pick<RocLike, "auc" | "lower" | "upper" | "confLevel">, digits = 2): string {
  const f = (v: number) => v.toFixed(digits);
  const ci = Number.isFinite(r.lower) && Number.isFinite(r.upper) ? ` (${Math.round(100 * r.confLevel)}% CI ${f(r.lower)}–${f(r.upper)})` : "";
  return `AUC ${f(r.auc)}${ci}`;
}

export function rocPlot(rocs: RocPlotInput, options: RocPlotOptions = {}): PlotlyFigure {
  const list = isList(rocs) ? rocs : [{ name: "", roc: rocs }];
  if (list.length === 0) throw new RangeError("rocPlot: no ROC curve to draw");
  const legacy = options.legacyAxes ?? true;
  const youdenOpt = options.youden ?? true;
  const showYouden = (i: number) => (Array.isArray(youdenOpt) ? youdenOpt[i] ?? false : youdenOpt);
  const digits = options.digits ?? 2;
  const colors = options.colors ?? (list.length === 1 ? ["#000000"] : huePalette(list.length));
  const xOf = (spec: number) => (legacy ? 1 - spec : spec);
  const data: PlotlyTrace[] = [
    {
      type: "scatter",
      mode: "lines",
      // Chance line: sensitivity = 1 − specificity.
      x: legacy ? [0, 1] : [1, 0],
      y: [0, 1],
      name: "Chance",
      showlegend: false,
      hoverinfo: "skip",
      line: { color: "#9E9E9E", width: 1, dash: "dash" },
      meta: { role: "diagonal" },
    },
  ];
  list.forEach(({ name, roc }, i) => {
    const color = colors[i % colors.length];
    const legend = name ? `${name}: ${rocLegend(roc, digits)}` : rocLegend(roc, digits);
    data.push({
      type: "scatter",
      mode: "lines",
      x: Array.from(roc.specificity, xOf),
      y: Array.from(roc.sensitivity),
      // The step between two thresholds is drawn straight, as pROC does (empirical ROC).
      line: { color, width: 2 },
      name: legend,
      customdata: Array.from(roc.thresholds, (t) => (Number.isFinite(t) ? t : t > 0 ? "Inf" : "-Inf")),
      hovertemplate: `${name ? `${name}<br>` : ""}threshold %{customdata}<br>sensitivity %{y:.3f}<br>${legacy ? "1 − specificity" : "specificity"} %{x:.3f}<extra></extra>`,
      meta: { role: "roc", name },
    });
    if (showYouden(i)) {
      const y = roc.youden;
      // pROC's print.thres label: "threshold (specificity, sensitivity)".
      const label = `${y.threshold.toFixed(digits + 1)} (${y.specificity.toFixed(3)}, ${y.sensitivity.toFixed(3)})`;
      data.push({
        type: "scatter",
        mode: "markers+text",
        x: [xOf(y.specificity)],
        y: [y.sensitivity],
        text: [label],
        textposition: legacy ? "bottom right" : "bottom left",
        textfont: { color, size: 11 },
        marker: { color, size: 9, symbol: "circle-open", line: { width: 2, color } },
        name: `${name ? `${name}: ` : ""}Youden cut-off ${y.threshold.toFixed(digits + 1)}`,
        showlegend: false,
        hovertemplate: `Youden J ${y.j.toFixed(3)}<br>threshold ${y.threshold}<br>specificity %{customdata:.3f}<br>sensitivity %{y:.3f}<extra></extra>`,
        customdata: [y.specificity],
        meta: { role: "youden", name },
      });
    }
  });
  for (const pt of options.points ?? []) {
    const i = pt.curve ?? 0;
    if (!(i >= 0 && i < list.length)) throw new RangeError(`rocPlot: point "${pt.label}" refers to curve ${i}; there are ${list.length}`);
    const color = colors[i % colors.length];
    data.push({
      type: "scatter",
      mode: "markers+text",
      x: [xOf(pt.specificity)],
      y: [pt.sensitivity],
      text: [pt.label],
      textposition: legacy ? "bottom right" : "bottom left",
      textfont: { color, size: 11 },
      marker: { color, size: 9, symbol: "diamond" },
      showlegend: false,
      hovertemplate: `${pt.label}<br>specificity ${pt.specificity.toFixed(3)}<br>sensitivity %{y:.3f}<extra></extra>`,
      meta: { role: "point", name: list[i].name },
    });
  }
  const axis = { showline: true, linecolor: "black", ticks: "outside", showgrid: false, zeroline: false, constrain: "domain" };
  return {
    data,
    layout: {
      title: options.title ? { text: options.title } : undefined,
      width: options.width ?? 540,
      height: options.height ?? 520,
      plot_bgcolor: "white",
      paper_bgcolor: "white",
      xaxis: { ...axis, title: { text: legacy ? "1 − Specificity" : "Specificity" }, range: legacy ? [-0.02, 1.02] : [1.02, -0.02] },
      yaxis: { ...axis, title: { text: "Sensitivity" }, range: [-0.02, 1.02], scaleanchor: "x" },
      legend: { x: 0.98, xanchor: "right", y: 0.02, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.8)", bordercolor: "#cccccc", borderwidth: 1 },
      margin: { t: options.title ? 60 : 30, r: 20 },
    },
  };
}
