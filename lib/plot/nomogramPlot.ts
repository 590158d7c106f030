/**
 * A nomogram drawn as rms's plot(nomogram) draws it: a "Points" scale on top (0..maxscale), one
 * axis per predictor with its values as tick labels at their points, "Total Points", the linear
 * predictor (optional) and one S(t) axis per horizon at the bottom. Total points, lp and S(t)
 * axes are compressed onto the 0..maxscale width as rms does (position = points × maxscale /
 * largest total-points tick). Pure data in, PlotlyFigure out; every trace carries
 * `meta: { role, axis }`.
 */
import type { Nomogram } from "../evaluate/nomogram.js";
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";

export interface NomogramPlotOptions {
  /** Draw the linear-predictor axis (rms's lp = TRUE). Default false. */
  lp?: boolean;
  title?: string;
  width?: number;
  /** Height per axis row in pixels (default 46). */
  rowHeight?: number;
  /** Display names of the predictors (default: their names in the model). */
  labels?: Record<string, string>;
}

interface Row {
  title: string;
  role: string;
  positions: number[];
  labels: string[];
  /** Minor ticks without labels (the Points scale). */
  minor?: number[];
}

export function nomogramPlot(nom: Nomogram, options: NomogramPlotOptions = {}): PlotlyFigure {
  const maxscale = nom.maxscale;
  const newMax = Math.max(...nom.totalPoints);
  const squeeze = (p: number) => (p * maxscale) / newMax;
  const fmt = (v: number) => String(Number(v.toPrecision(6)));
  const pointTicks = Array.from({ length: 11 }, (_, i) => (i * maxscale) / 10);
  const rows: Row[] = [
    { title: "Points", role: "points", positions: pointTicks, labels: pointTicks.map(fmt), minor: Array.from({ length: 51 }, (_, i) => (i * maxscale) / 50) },
  ];
  for (const a of nom.axes) {
    const keep = a.labels.map((l) => l !== "");
    rows.push({
      title: options.labels?.[a.term] ?? a.term,
      role: "predictor",
      positions: a.points.filter((_, i) => keep[i]),
      labels: a.labels.filter((_, i) => keep[i]),
    });
  }
  rows.push({ title: "Total Points", role: "total", positions: nom.totalPoints.map(squeeze), labels: nom.totalPoints.map(fmt) });
  if (options.lp) rows.push({ title: "Linear Predictor", role: "lp", positions: nom.lp.points.map(squeeze), labels: nom.lp.lp.map((v) => fmt(Number(v.toFixed(10)))) });
  for (const s of nom.survival) {
    rows.push({ title: s.label, role: "survival", positions: s.totalPoints.map(squeeze), labels: s.probability.map(fmt) });
  }
  const data: PlotlyTrace[] = [];
  const annotations: Record<string, unknown>[] = [];
  rows.forEach((row, r) => {
    const y = -r;
    const lo = Math.min(...row.positions);
    const hi = Math.max(...row.positions);
    data.push({
      type: "scatter",
      mode: "lines",
      x: [lo, hi],
      y: [y, y],
      line: { color: "black", width: 1 },
      hoverinfo: "skip",
      showlegend: false,
      meta: { role: `${row.role}-line`, axis: row.title },
    });
    if (row.minor) {
      data.push({
        type: "scatter",
        mode: "markers",
        x: row.minor,
        y: row.minor.map(() => y),
        marker: { symbol: "line-ns-open", size: 5, color: "black", line: { width: 1 } },
        hoverinfo: "skip",
        showlegend: false,
        meta: { role: "minor", axis: row.title },
      });
    }
    data.push({
      type: "scatter",
      mode: "markers+text",
      x: row.positions,
      y: row.positions.map(() => y),
      text: row.labels,
      textposition: "top center",
      textfont: { size: 11 },
      marker: { symbol: "line-ns-open", size: 9, color: "black", line: { width: 1 } },
      hovertemplate: `${row.title} %{text}<extra></extra>`,
      showlegend: false,
      meta: { role: row.role, axis: row.title },
    });
    annotations.push({ x: -4, y, xref: "x", yref: "y", text: row.title, showarrow: false, xanchor: "right", font: { size: 12 } });
  });
  const rowHeight = options.rowHeight ?? 46;
  return {
    data,
    layout: {
      title: options.title ? { text: options.title } : undefined,
      width: options.width ?? 820,
      height: 60 + rowHeight * rows.length + (options.title ? 30 : 0),
      margin: { l: 10, r: 20, t: options.title ? 50 : 20, b: 10 },
      plot_bgcolor: "white",
      paper_bgcolor: "white",
      xaxis: { range: [-38, maxscale + 6], visible: false, fixedrange: true },
      yaxis: { range: [-(rows.length - 1) - 0.6, 0.8], visible: false, fixedrange: true },
      annotations,
      showlegend: false,
    },
  };
}
