/**
 * Clinical impact curve in the layout of rmda::plot_clinical_impact: against the threshold
 * probability, the number classified high risk (red, solid) and the number of those with the event
 * (blue, dashed), per `population` patients, with a second x axis below giving the cost:benefit ratio
 * pt : (1 − pt) that each threshold stands for.
 *
 * Traces carry `meta.role` ("nHighRisk" | "nHighRiskWithEvent" | "costBenefitAxis").
 */
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";

export interface ClinicalImpactLike {
  threshold: ArrayLike<number>;
  nHighRisk: ArrayLike<number>;
  nHighRiskWithEvent: ArrayLike<number>;
  population: number;
}

export interface ClinicalImpactPlotOptions {
  /** Second x axis with cost:benefit ratios (rmda's cost.benefit.axis). Default true. */
  costBenefit?: boolean;
  /** How many cost:benefit labels to aim for (rmda's n.cost.benefits). Default 6. */
  nCostBenefits?: number;
  /** Threshold range shown. Default: the thresholds' range widened to tenths (0–1 for 0.01–0.99). */
  xRange?: [number, number];
  title?: string;
  colors?: { nHighRisk?: string; nHighRiskWithEvent?: string };
  width?: number;
  height?: number;
}

/**
 * Readable cost:benefit ratios c:b (harm of an unnecessary treatment : benefit of a necessary one);
 * the threshold probability that makes a decision-maker indifferent is c / (c + b).
 */
const RATIOS: Array<[number, number]> = [
  [1, 100], [1, 50], [1, 25], [1, 20], [1, 10], [1, 9], [1, 5], [1, 4], [1, 3], [2, 5], [1, 2], [3, 5], [2, 3],
  [3, 4], [4, 5], [1, 1], [5, 4], [4, 3], [3, 2], [5, 3], [2, 1], [5, 2], [3, 1], [4, 1], [5, 1], [9, 1],
  [10, 1], [20, 1], [25, 1], [50, 1], [100, 1],
];

/**
 * Tick positions (threshold probabilities) and "c:b" labels for a cost:benefit axis over [lo, hi]:
 * for `n` evenly spaced thresholds, the nearest ratio from a list of readable ones (as rmda chooses
 * its labels). Duplicates are dropped.
 */
export function costBenefitTicks(lo: number, hi: number, n = 6): { vals: number[]; text: string[] } {
  const inRange = RATIOS.map(([c, b]) => ({ pt: c / (c + b), label: `${c}:${b}` })).filter((r) => r.pt >= lo && r.pt <= hi);
  const vals: number[] = [];
  const text: string[] = [];
  if (inRange.length === 0 || n < 1) return { vals, text };
  for (let k = 0; k < n; k++) {
    const target = n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * k) / (n - 1);
    let best = inRange[0];
    for (const r of inRange) if (Math.abs(r.pt - target) < Math.abs(best.pt - target)) best = r;
    if (!vals.includes(best.pt)) {
      vals.push(best.pt);
      text.push(best.label);
    }
  }
  return { vals, text };
}

/** The thresholds' range widened to whole tenths (0.01–0.99 is shown as 0–1, ticks at 0%, 20%, …). */
export function defaultThresholdRange(x: number[]): [number, number] {
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  return [Math.max(0, Math.floor(lo * 10 + 1e-9) / 10), Math.min(1, Math.ceil(hi * 10 - 1e-9) / 10)];
}

/**
 * Layout pieces for a threshold-probability x axis, with an optional cost:benefit axis underneath
 * (the plotting area is raised to make room for it).
 */
export function thresholdAxes(
  range: [number, number],
  costBenefit: boolean,
  nCostBenefits: number,
): { layout: Record<string, unknown>; traces: PlotlyTrace[] } {
  const xaxis = {
    title: { text: "Threshold Probability", standoff: 8 },
    range,
    tickformat: ".0%",
    zeroline: false,
    showline: true,
    ticks: "outside",
    anchor: "y",
  };
  if (!costBenefit) return { layout: { xaxis }, traces: [] };
  const ticks = costBenefitTicks(range[0], range[1], nCostBenefits);
  return {
    layout: {
      xaxis,
      xaxis2: {
        title: { text: "Cost:Benefit Ratio", standoff: 4 },
        overlaying: "x",
        matches: "x",
        anchor: "free",
        position: 0,
        side: "bottom",
        range,
        tickmode: "array",
        tickvals: ticks.vals,
        ticktext: ticks.text,
        showgrid: false,
        zeroline: false,
        showline: true,
        ticks: "outside",
      },
    },
    // Plotly draws an axis only when a trace uses it.
    traces: [
      {
        type: "scatter",
        mode: "markers",
        x: ticks.vals,
        y: ticks.vals.map(() => null),
        xaxis: "x2",
        marker: { opacity: 0 },
        hoverinfo: "skip",
        showlegend: false,
        meta: { role: "costBenefitAxis", labels: ticks.text },
      },
    ],
  };
}

export function clinicalImpactPlot(ci: ClinicalImpactLike, options: ClinicalImpactPlotOptions = {}): PlotlyFigure {
  const x = Array.from(ci.threshold);
  const range = options.xRange ?? defaultThresholdRange(x);
  const costBenefit = options.costBenefit ?? true;
  const axes = thresholdAxes(range, costBenefit, options.nCostBenefits ?? 6);
  const pop = ci.population;
  const data: PlotlyTrace[] = [
    {
      type: "scatter",
      mode: "lines",
      x,
      y: Array.from(ci.nHighRisk),
      name: "Number high risk",
      line: { color: options.colors?.nHighRisk ?? "#FF0000", width: 2 },
      meta: { role: "nHighRisk" },
    },
    {
      type: "scatter",
      mode: "lines",
      x,
      y: Array.from(ci.nHighRiskWithEvent),
      name: "Number high risk with event",
      line: { color: options.colors?.nHighRiskWithEvent ?? "#0000FF", width: 2, dash: "dash" },
      meta: { role: "nHighRiskWithEvent" },
    },
    ...axes.traces,
  ];
  const layout: Record<string, unknown> = {
    title: options.title ? { text: options.title } : undefined,
    width: options.width ?? 640,
    height: options.height ?? 480,
    template: "plotly_white",
    ...axes.layout,
    yaxis: {
      title: { text: `Number high risk (out of ${pop})` },
      range: [0, pop * 1.02],
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
