/**
 * Forest plot of Cox hazard ratios: a square at each HR with its 95% CI as a whisker on a log axis,
 * a dashed line at HR = 1, factor names on the left (top to bottom in table order) and
 * "HR (95% CI)" and "P" text columns on the right, as published clinical tables show them.
 *
 * Traces carry `meta.role` ("point" | "whisker" | "hrText" | "pText") so the plotted numbers can be
 * checked against the table they came from.
 */
import type { CoxTableResult } from "../survival/coxTable.js";
import { formatHrCi, formatP } from "../survival/coxTable.js";
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";

export interface ForestRow {
  label: string;
  hr: number;
  lower: number;
  upper: number;
  p: number;
}

/** The fields of a coxph() result the plot reads. */
export interface CoxFitLike {
  terms: ArrayLike<string> | string[];
  hr: ArrayLike<number>;
  hrLower: ArrayLike<number>;
  hrUpper: ArrayLike<number>;
  p: ArrayLike<number>;
}

export interface ForestPlotOptions {
  title?: string;
  /** Log-scaled HR axis (the usual choice: HR 0.5 and 2 equally far from 1). Default true. */
  logScale?: boolean;
  /**
   * For a coxTable result: which model's estimates to show. Default "multivariate" (only the
   * factors that entered it) when there is a multivariable fit, else "univariate".
   */
  which?: "univariate" | "multivariate";
  /** Labels for a coxph result's terms (default: the term names). */
  labels?: Record<string, string>;
  xlab?: string;
  digits?: number;
  color?: string;
  width?: number;
  height?: number;
}

function isCoxTable(t: unknown): t is CoxTableResult {
  return typeof t === "object" && t !== null && Array.isArray((t as CoxTableResult).rows) && "selected" in t;
}

function isCoxFit(t: unknown): t is CoxFitLike {
  return typeof t === "object" && t !== null && "terms" in t && "hrLower" in t;
}

/** The rows a forest plot shows, from a coxTable result, a coxph result or ready rows. */
export function forestRows(
  table: CoxTableResult | CoxFitLike | ForestRow[],
  options: Pick<ForestPlotOptions, "which" | "labels"> = {},
): ForestRow[] {
  if (Array.isArray(table)) return table;
  if (isCoxTable(table)) {
    const which = options.which ?? (table.multivariateFit ? "multivariate" : "univariate");
    const out: ForestRow[] = [];
    for (const r of table.rows) {
      const e = which === "multivariate" ? r.multivariate : r.univariate;
      if (e) out.push({ label: r.label, hr: e.hr, lower: e.lower, upper: e.upper, p: e.p });
    }
    return out;
  }
  if (isCoxFit(table)) {
    return Array.from(table.terms as ArrayLike<string>, (term, j) => ({
      label: options.labels?.[term] ?? term,
      hr: table.hr[j],
      lower: table.hrLower[j],
      upper: table.hrUpper[j],
      p: table.p[j],
    }));
  }
  throw new TypeError("forestPlot: expected a coxTable result, a coxph result or an array of rows");
}

/**
 * Tick values for a log HR axis on [lo, hi]: powers of 2 (0.25, 0.5, 1, 2, 4 — symmetric about 1 on
 * the log scale) for moderate spans, 1-2-5 decades for wide ones, finer steps for narrow ones.
 */
function logTicks(lo: number, hi: number): number[] {
  const ratio = hi / lo;
  const inRange = (v: number) => v >= lo && v <= hi;
  let ticks: number[];
  if (ratio >= 64) {
    ticks = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of ratio >= 1e4 ? [1] : [1, 2, 5]) ticks.push(Number((m * 10 ** e).toPrecision(6)));
    }
  } else if (ratio >= 5) {
    ticks = [];
    for (let e = Math.floor(Math.log2(lo)); e <= Math.ceil(Math.log2(hi)); e++) ticks.push(2 ** e);
  } else {
    ticks = [];
    for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8]) ticks.push(Number((m * 10 ** e).toPrecision(6)));
    }
  }
  ticks = ticks.filter(inRange).sort((a, b) => a - b);
  // At most 7 ticks: keep every other one, counted from 1 so that 1 stays.
  while (ticks.length > 7) {
    const one = ticks.findIndex((v) => v >= 1);
    const anchor = one < 0 ? 0 : one;
    ticks = ticks.filter((_, i) => (i - anchor) % 2 === 0);
  }
  return ticks;
}

export function forestPlot(
  table: CoxTableResult | CoxFitLike | ForestRow[],
  options: ForestPlotOptions = {},
): PlotlyFigure {
  const rows = forestRows(table, options);
  const logScale = options.logScale ?? true;
  const digits = options.digits ?? 2;
  const color = options.color ?? "black";
  const n = rows.length;
  const y = rows.map((_, i) => n - 1 - i); // first row on top

  // Axis limits from the finite CI ends, always showing the reference line at 1.
  const finite = (v: number) => Number.isFinite(v) && (!logScale || v > 0);
  let lo = 1;
  let hi = 1;
  for (const r of rows) for (const v of [r.lower, r.hr, r.upper]) if (finite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  let range: number[];
  let tickvals: number[] | undefined;
  if (logScale) {
    const span = Math.log10(hi) - Math.log10(lo);
    const padding = Math.max(0.06, 0.08 * span);
    const a = Math.log10(lo) - padding;
    const b = Math.log10(hi) + padding;
    range = [a, b];
    tickvals = logTicks(Math.pow(10, a), Math.pow(10, b));
  } else {
    const padding = 0.06 * (hi - lo || 1);
    range = [Math.max(0, lo - padding), hi + padding];
  }
  const axisLo = logScale ? Math.pow(10, range[0]) : range[0];
  const axisHi = logScale ? Math.pow(10, range[1]) : range[1];
  // A CI end that is infinite or off the axis is drawn to the edge (an arrow-free clip).
  const clip = (v: number, edge: number) => (finite(v) ? Math.min(Math.max(v, axisLo), axisHi) : edge);

  const wx: (number | null)[] = [];
  const wy: (number | null)[] = [];
  rows.forEach((r, i) => {
    if (!finite(r.hr)) return;
    wx.push(clip(r.lower, axisLo), clip(r.upper, axisHi), null);
    wy.push(y[i], y[i], null);
  });

  const data: PlotlyTrace[] = [
    {
      type: "scatter",
      mode: "lines",
      x: wx,
      y: wy,
      line: { color, width: 1.5 },
      hoverinfo: "skip",
      showlegend: false,
      meta: { role: "whisker" },
    },
    {
      type: "scatter",
      mode: "markers",
      x: rows.map((r) => (finite(r.hr) ? r.hr : null)),
      y,
      marker: { symbol: "square", size: 10, color },
      text: rows.map((r) => r.label),
      customdata: rows.map((r) => [r.lower, r.upper, formatP(r.p)]),
      hovertemplate: "%{text}<br>HR %{x:.2f} (%{customdata[0]:.2f}–%{customdata[1]:.2f})<br>p %{customdata[2]}<extra></extra>",
      showlegend: false,
      meta: { role: "point" },
    },
    {
      type: "scatter",
      mode: "text",
      x: rows.map(() => 0.02),
      y,
      text: rows.map((r) => formatHrCi(r.hr, r.lower, r.upper, digits)),
      textposition: "middle right",
      textfont: { size: 13, color: "black" },
      xaxis: "x2",
      yaxis: "y",
      cliponaxis: false,
      hoverinfo: "skip",
      showlegend: false,
      meta: { role: "hrText" },
    },
    {
      type: "scatter",
      mode: "text",
      x: rows.map(() => 0.78),
      y,
      text: rows.map((r) => formatP(r.p)),
      textposition: "middle right",
      textfont: { size: 13, color: "black" },
      xaxis: "x2",
      yaxis: "y",
      cliponaxis: false,
      hoverinfo: "skip",
      showlegend: false,
      meta: { role: "pText" },
    },
  ];

  const longest = Math.max(8, ...rows.map((r) => r.label.length));
  const header = n - 0.35;
  const layout: Record<string, unknown> = {
    width: options.width ?? 760,
    height: options.height ?? Math.max(220, 110 + 38 * n),
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    font: { family: "Arial, Helvetica, sans-serif", size: 13, color: "black" },
    margin: { l: 20 + 7.2 * longest, r: 20, t: options.title ? 70 : 30, b: 55 },
    showlegend: false,
    hovermode: "closest",
    xaxis: {
      type: logScale ? "log" : "linear",
      domain: [0, 0.58],
      range,
      ...(tickvals ? { tickvals, ticktext: tickvals.map((v) => String(v)) } : {}),
      showline: true,
      linecolor: "black",
      ticks: "outside",
      tickcolor: "black",
      showgrid: false,
      zeroline: false,
      title: { text: options.xlab ?? "Hazard ratio (95% CI)", font: { size: 14 } },
      anchor: "y",
    },
    xaxis2: { domain: [0.6, 1], range: [0, 1], visible: false, fixedrange: true, anchor: "y" },
    yaxis: {
      range: [-0.6, n - 0.05],
      tickvals: y,
      ticktext: rows.map((r) => r.label),
      showline: false,
      ticks: "",
      showgrid: false,
      zeroline: false,
      tickfont: { size: 13, color: "black" },
      fixedrange: true,
    },
    shapes: [
      {
        type: "line",
        xref: "x",
        yref: "paper",
        x0: 1,
        x1: 1,
        y0: 0,
        y1: (n - 0.6 + 0.6) / (n - 0.05 + 0.6),
        line: { color: "grey", width: 1, dash: "dash" },
      },
    ],
    annotations: [
      { xref: "x2", yref: "y", x: 0.02, y: header, xanchor: "left", yanchor: "bottom", text: "<b>HR (95% CI)</b>", showarrow: false },
      { xref: "x2", yref: "y", x: 0.78, y: header, xanchor: "left", yanchor: "bottom", text: "<b>P</b>", showarrow: false },
    ],
  };
  if (options.title) layout.title = { text: options.title, x: 0.5, xanchor: "center", font: { size: 16 } };
  return { data, layout };
}
