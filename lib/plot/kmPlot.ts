/**
 * Kaplan–Meier curves as survminer's ggsurvplot draws them: step curves, step-shaped translucent
 * confidence bands, "+" censor marks, the log-rank p in the lower left, the legend on top, and a
 * number-at-risk table under the curves sharing their time axis. Pure data in, PlotlyFigure out.
 *
 * Every trace carries `meta: { role, group }` (role = "surv" | "lower" | "upper" | "censor" | "risk")
 * so notebooks and tests can find the numbers behind what is drawn.
 */
import { axisBreaks } from "./breaks.js";
import { type PlotlyFigure, type PlotlyTrace, huePalette, withAlpha } from "./figure.js";

/** The part of a kaplanMeier() result the figure needs (any object with these fields will do). */
export interface KmStratumLike {
  group?: unknown;
  n?: number;
  time: ArrayLike<number>;
  nRisk: ArrayLike<number>;
  nCensor: ArrayLike<number>;
  surv: ArrayLike<number>;
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
}

export interface KmLike {
  strata: KmStratumLike[];
}

export interface KmPlotOptions {
  title?: string;
  xlab?: string;
  ylab?: string;
  /** Confidence bands (the km's lower/upper). Default true. */
  conf?: boolean;
  /** "+" at censoring times. Default true. */
  censorMarks?: boolean;
  /** Number-at-risk table under the plot. Default true. */
  riskTable?: boolean;
  /** Time-axis breaks (also the risk-table columns): explicit times, or a step from 0. Default: ggplot's. */
  breaks?: number[] | number;
  /**
   * p-value annotation: a number, a logRank() result ({ p }), { p, method } to prefix the method
   * ("Log-rank p = 0.0013"), or ready text. Formatted as survminer does: "p = 0.0013", "p < 0.0001".
   */
  pValue?: number | { p: number; method?: string } | string;
  /** Colours per stratum; default ggplot2's hue palette for the number of strata. */
  palette?: string[];
  /** Legend entries per stratum; default String(group) ("All" for an ungrouped fit). */
  labels?: string[];
  /** Name of the grouping variable: legend entries become survfit's "sex=1", "sex=2". */
  variable?: string;
  legendTitle?: string;
  /** Right end of the time axis; curves, marks and breaks beyond it are cut. Default: the last time. */
  xmax?: number;
  /** Figure size in pixels. Defaults 720 × 560 with a risk table, 720 × 460 without. */
  width?: number;
  height?: number;
}

/** survminer's p text: "p < 0.0001" below 1e-4, else two significant digits. */
export function formatSurvminerP(p: number): string {
  if (!Number.isFinite(p)) return "p = NA";
  if (p < 1e-4) return "p < 0.0001";
  return `p = ${Number(p.toPrecision(2)).toString()}`;
}

/** Numbers at risk at time t as summary.survfit(times =) gives them: n.risk at the first time >= t, 0 past the end. */
export function nRiskAt(stratum: KmStratumLike, t: number): number {
  const { time, nRisk } = stratum;
  for (let i = 0; i < time.length; i++) if (time[i] >= t) return nRisk[i];
  return 0;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

const AXIS = {
  showline: true,
  linecolor: "black",
  linewidth: 1,
  ticks: "outside",
  tickcolor: "black",
  ticklen: 5,
  showgrid: false,
  zeroline: false,
  tickfont: { size: 13, color: "black" },
};

export function kmPlot(km: KmLike, options: KmPlotOptions = {}): PlotlyFigure {
  const strata = km.strata;
  const k = strata.length;
  const conf = options.conf ?? true;
  const censorMarks = options.censorMarks ?? true;
  const riskTable = options.riskTable ?? true;
  const colors = options.palette && options.palette.length >= k ? options.palette : huePalette(k);
  const labels = strata.map((s, i) => {
    if (options.labels?.[i] !== undefined) return options.labels[i];
    if (k === 1 && (s.group == null || s.group === "all")) return "All";
    return options.variable ? `${options.variable}=${String(s.group)}` : String(s.group);
  });
  let lastTime = 0;
  for (const s of strata) for (let i = 0; i < s.time.length; i++) lastTime = Math.max(lastTime, s.time[i]);
  const xmax = options.xmax ?? lastTime;
  const breaks =
    Array.isArray(options.breaks)
      ? options.breaks.filter((b) => b >= 0 && b <= xmax)
      : typeof options.breaks === "number" && options.breaks > 0
        ? Array.from({ length: Math.floor(xmax / options.breaks + 1e-9) + 1 }, (_, i) => i * (options.breaks as number))
        : axisBreaks(0, xmax);

  const data: PlotlyTrace[] = [];
  strata.forEach((s, g) => {
    const color = colors[g];
    const label = labels[g];
    // The curve starts at S(0) = 1; points past xmax are dropped (the step is drawn up to xmax).
    const x: number[] = [0];
    const y: (number | null)[] = [1];
    const lo: (number | null)[] = [1];
    const hi: (number | null)[] = [1];
    const nr: number[] = [s.n ?? (s.nRisk.length > 0 ? s.nRisk[0] : 0)];
    for (let i = 0; i < s.time.length && s.time[i] <= xmax; i++) {
      x.push(s.time[i]);
      y.push(finiteOrNull(s.surv[i]));
      lo.push(s.lower ? finiteOrNull(s.lower[i]) : null);
      hi.push(s.upper ? finiteOrNull(s.upper[i]) : null);
      nr.push(s.nRisk[i]);
    }
    // Curves end at their stratum's last time even when xmax is later: a step drawn on to xmax
    // would claim survival is known beyond follow-up.
    if (conf && s.lower && s.upper) {
      data.push({
        type: "scatter",
        mode: "lines",
        x,
        y: lo,
        line: { shape: "hv", width: 0, color },
        hoverinfo: "skip",
        showlegend: false,
        legendgroup: label,
        meta: { role: "lower", group: label },
      });
      data.push({
        type: "scatter",
        mode: "lines",
        x,
        y: hi,
        line: { shape: "hv", width: 0, color },
        fill: "tonexty",
        fillcolor: withAlpha(color, 0.2),
        hoverinfo: "skip",
        showlegend: false,
        legendgroup: label,
        meta: { role: "upper", group: label },
      });
    }
    data.push({
      type: "scatter",
      mode: "lines",
      name: label,
      x,
      y,
      customdata: x.map((_, i) => [lo[i], hi[i], nr[i]]),
      line: { shape: "hv", width: 2, color },
      legendgroup: label,
      hovertemplate:
        `${label}<br>time %{x}<br>survival %{y:.3f}` +
        (conf && s.lower ? " (%{customdata[0]:.3f}–%{customdata[1]:.3f})" : "") +
        "<br>at risk %{customdata[2]}<extra></extra>",
      meta: { role: "surv", group: label },
    });
    if (censorMarks) {
      const cx: number[] = [];
      const cy: number[] = [];
      for (let i = 0; i < s.time.length && s.time[i] <= xmax; i++) {
        if (s.nCensor[i] > 0) {
          cx.push(s.time[i]);
          cy.push(s.surv[i]);
        }
      }
      data.push({
        type: "scatter",
        mode: "markers",
        x: cx,
        y: cy,
        marker: { symbol: "cross-thin", size: 8, color, line: { color, width: 1.5 } },
        showlegend: false,
        legendgroup: label,
        hovertemplate: `${label}<br>censored at %{x}<extra></extra>`,
        meta: { role: "censor", group: label },
      });
    }
  });

  const width = options.width ?? 720;
  // The risk table gets ~30 px a stratum; the figure grows with it so the curves keep their size.
  const height = options.height ?? (riskTable ? 500 + 30 * k : 460);
  const xlab = options.xlab ?? "Time";
  // Room on the left for the risk table's stratum names (~7 px a character at 13 px).
  const longest = Math.max(...labels.map((l) => l.length));
  const marginLeft = Math.max(70, riskTable ? 24 + 7.5 * longest : 70);
  const pad = 0.02 * xmax;
  const margin = { l: marginLeft, r: 20, t: options.title ? 80 : 50, b: 50 };
  // Domains in pixels: table rows, then the gap for the main plot's tick labels and the table header.
  const plotPx = height - margin.t - margin.b;
  const tableTop = Math.min(0.4, (30 * k + 10) / plotPx);
  const mainBottom = riskTable ? Math.min(0.6, tableTop + 70 / plotPx) : 0;
  const xaxis = {
    ...AXIS,
    range: [-pad, xmax + pad],
    tickvals: breaks,
    title: { text: xlab, font: { size: 14 } },
    anchor: "y",
  };
  const layout: Record<string, unknown> = {
    width,
    height,
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    font: { family: "Arial, Helvetica, sans-serif", size: 13, color: "black" },
    margin,
    showlegend: true,
    legend: {
      orientation: "h",
      x: 0.5,
      xanchor: "center",
      y: 1.01,
      yanchor: "bottom",
      title: { text: options.legendTitle ?? "Strata", side: "left" },
      font: { size: 13 },
    },
    hovermode: "closest",
    xaxis,
    yaxis: {
      ...AXIS,
      range: [-0.03, 1.03],
      tickvals: [0, 0.25, 0.5, 0.75, 1],
      tickformat: ".2f",
      title: { text: options.ylab ?? "Survival probability", font: { size: 14 } },
      domain: [mainBottom, 1],
      anchor: "x",
    },
    annotations: [] as unknown[],
    shapes: [] as unknown[],
  };
  if (options.title) {
    layout.title = { text: options.title, x: 0.5, xanchor: "center", y: 0.98, yanchor: "top", font: { size: 16 } };
  }
  const annotations = layout.annotations as unknown[];

  if (options.pValue !== undefined) {
    const pv = options.pValue;
    const text =
      typeof pv === "string"
        ? pv
        : typeof pv === "number"
          ? formatSurvminerP(pv)
          : (pv.method ? `${pv.method} ` : "") + formatSurvminerP(pv.p);
    // survminer's default position: x = max time / 50, y = 0.2, left-justified.
    annotations.push({
      x: xmax / 50,
      y: 0.2,
      xref: "x",
      yref: "y",
      xanchor: "left",
      yanchor: "middle",
      text,
      showarrow: false,
      font: { size: 15, color: "black" },
      name: "pValue",
    });
  }

  if (riskTable) {
    const rowY = (g: number) => k - 1 - g; // first stratum on top, as survminer
    strata.forEach((s, g) => {
      data.push({
        type: "scatter",
        mode: "text",
        x: breaks,
        y: breaks.map(() => rowY(g)),
        text: breaks.map((t) => String(nRiskAt(s, t))),
        textposition: "middle center",
        textfont: { color: colors[g], size: 13 },
        xaxis: "x2",
        yaxis: "y2",
        cliponaxis: false,
        showlegend: false,
        hoverinfo: "skip",
        meta: { role: "risk", group: labels[g] },
      });
      annotations.push({
        x: 0,
        xref: "paper",
        xanchor: "right",
        xshift: -8,
        y: rowY(g),
        yref: "y2",
        text: labels[g],
        showarrow: false,
        font: { color: colors[g], size: 13 },
      });
    });
    layout.xaxis2 = {
      ...AXIS,
      matches: "x",
      range: xaxis.range,
      tickvals: breaks,
      title: { text: xlab, font: { size: 14 } },
      anchor: "y2",
    };
    layout.yaxis2 = {
      ...AXIS,
      // No y axis line: the numbers of the first column would sit on it.
      showline: false,
      ticks: "",
      showticklabels: false,
      range: [-0.6, k - 0.4],
      domain: [0, tableTop],
      anchor: "x2",
      fixedrange: true,
    };
    annotations.push({
      x: 0,
      xref: "paper",
      xanchor: "left",
      xshift: -marginLeft + 8,
      y: tableTop,
      yref: "paper",
      yanchor: "bottom",
      yshift: 6,
      text: "Number at risk",
      showarrow: false,
      font: { size: 14, color: "black" },
    });
    // The main plot's axis title moves to the table's axis, which now ends the figure.
    (layout.xaxis as Record<string, unknown>).title = { text: "" };
  }
  return { data, layout };
}
