/**
 * Decision curve figure in the style of dcurves' plot.dca / rmda's plot_decision_curve: net benefit
 * against the threshold probability, one line per model, "Treat all" in grey and "Treat none" as the
 * horizontal line at 0. The y axis is cut at −10% of the event probability by t (dcurves' choice): the
 * treat-all line falls without bound as pt → 1 and would otherwise flatten everything else.
 *
 * Traces carry `meta.role` ("model" with `meta.model`, "treatAll", "treatNone", "costBenefitAxis").
 */
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";
import { huePalette } from "./figure.js";
import { defaultThresholdRange, thresholdAxes } from "./clinicalImpactPlot.js";

export interface DecisionCurveLike {
  threshold: ArrayLike<number>;
  treatAll: ArrayLike<number>;
  treatNone: ArrayLike<number>;
  models: Array<{ model: string; netBenefit: ArrayLike<number> }>;
  /** Event probability by t (1 − KM(t)); sets the y range. */
  eventProbability: number;
}

export interface DecisionCurvePlotOptions {
  /** Which models to draw, in this order. Default: all, in the result's order. */
  models?: string[];
  /** Legend labels by model name. */
  labels?: Record<string, string>;
  /** One colour per model drawn. Default: ggplot2's hue palette. */
  colors?: string[];
  /** Net-benefit range. Default [−0.1 · p, 1.02 · p], p the event probability by t. */
  yRange?: [number, number];
  /** Threshold range. Default: the thresholds' range widened to tenths (0–1 for 0.01–0.99). */
  xRange?: [number, number];
  /** Add rmda's cost:benefit axis under the threshold axis. Default false. */
  costBenefit?: boolean;
  nCostBenefits?: number;
  title?: string;
  width?: number;
  height?: number;
}

export function decisionCurvePlot(dc: DecisionCurveLike, options: DecisionCurvePlotOptions = {}): PlotlyFigure {
  const x = Array.from(dc.threshold);
  const names = options.models ?? dc.models.map((m) => m.model);
  const chosen = names.map((name) => {
    const m = dc.models.find((mm) => mm.model === name);
    if (!m) {
      throw new RangeError(`decisionCurvePlot: no model "${name}"; the result has ${dc.models.map((mm) => `"${mm.model}"`).join(", ")}`);
    }
    return m;
  });
  const colors = options.colors ?? huePalette(chosen.length);
  const p = dc.eventProbability;
  const yRange = options.yRange ?? [-0.1 * p, 1.02 * p];
  const xRange = options.xRange ?? defaultThresholdRange(x);
  const costBenefit = options.costBenefit ?? false;
  const axes = thresholdAxes(xRange, costBenefit, options.nCostBenefits ?? 6);
  const data: PlotlyTrace[] = [
    {
      type: "scatter",
      mode: "lines",
      x,
      y: Array.from(dc.treatAll),
      name: "Treat all",
      line: { color: "#808080", width: 1.5 },
      meta: { role: "treatAll" },
    },
    {
      type: "scatter",
      mode: "lines",
      x,
      y: Array.from(dc.treatNone),
      name: "Treat none",
      line: { color: "#000000", width: 1.5 },
      meta: { role: "treatNone" },
    },
    ...chosen.map((m, j) => ({
      type: "scatter",
      mode: "lines",
      x,
      // Non-finite values (none here, but a caller may pass stdca-style NA) leave a gap.
      y: Array.from(m.netBenefit, (v) => (Number.isFinite(v) ? v : null)),
      name: options.labels?.[m.model] ?? m.model,
      line: { color: colors[j % colors.length], width: 2 },
      meta: { role: "model", model: m.model },
    })),
    ...axes.traces,
  ];
  const layout: Record<string, unknown> = {
    title: options.title ? { text: options.title } : undefined,
    width: options.width ?? 640,
    height: options.height ?? 480,
    template: "plotly_white",
    ...axes.layout,
    yaxis: {
      title: { text: "Net Benefit" },
      range: yRange,
      zeroline: false,
      showline: true,
      ticks: "outside",
      domain: costBenefit ? [0.19, 1] : [0, 1],
    },
    legend: { x: 0.98, xanchor: "right", y: 0.98, yanchor: "top", bgcolor: "rgba(255,255,255,0.8)", bordercolor: "#cccccc", borderwidth: 1 },
    margin: { t: options.title ? 60 : 30, r: 20 },
  };
  return { data, layout };
}
