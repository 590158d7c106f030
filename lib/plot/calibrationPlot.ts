/**
 * Calibration curves as rms's plot(calibrate(...)) draws them for cmethod = "KM": mean predicted
 * S(t) per group (x) against the Kaplan–Meier S(t) (y) with its confidence bars, the ideal 45°
 * line, the apparent curve joining the groups, and the bootstrap bias-corrected estimates (the
 * blue "x" of rms). Several cohorts (e.g. the training cohort's internal calibration and the
 * validation cohort's external calibration) go on one figure. Every trace carries
 * `meta: { role, cohort }`.
 */
import type { CalibrationResult } from "../evaluate/calibration.js";
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";

export interface CalibrationPlotOptions {
  /** Legend names per result; default "Training (apparent)" / "Validation". */
  names?: string[];
  colors?: string[];
  title?: string;
  xlab?: string;
  ylab?: string;
  /** Axis range (both axes), default [0, 1]. */
  range?: [number, number];
  width?: number;
  height?: number;
}

export function calibrationPlot(cal: CalibrationResult | CalibrationResult[], options: CalibrationPlotOptions = {}): PlotlyFigure {
  const list = Array.isArray(cal) ? cal : [cal];
  const colors = options.colors ?? ["#000000", "#D55E00", "#009E73", "#CC79A7"];
  const range = options.range ?? [0, 1];
  const data: PlotlyTrace[] = [
    {
      type: "scatter",
      mode: "lines",
      x: range,
      y: range,
      name: "Ideal",
      line: { color: "#9E9E9E", dash: "dash", width: 1 },
      meta: { role: "ideal" },
    },
  ];
  list.forEach((c, i) => {
    const name = options.names?.[i] ?? (c.cohort === "external" ? "Validation" : "Training (apparent)");
    const color = colors[i % colors.length];
    const ok = c.km.map((v, k) => Number.isFinite(v) && Number.isFinite(c.meanPredicted[k]));
    const pick = (a: number[]) => a.filter((_, k) => ok[k]);
    const x = pick(c.meanPredicted);
    const y = pick(c.km);
    data.push({
      type: "scatter",
      mode: "lines+markers",
      x,
      y,
      name,
      line: { color, width: 1.5 },
      marker: { color, size: 7, symbol: "circle" },
      error_y: {
        type: "data",
        symmetric: false,
        array: pick(c.upper).map((u, k) => u - y[k]),
        arrayminus: pick(c.lower).map((l, k) => y[k] - l),
        color,
        thickness: 1,
        width: 4,
      },
      customdata: pick(c.nObs),
      hovertemplate: `${name}<br>predicted %{x:.3f}<br>KM %{y:.3f}<br>n %{customdata}<extra></extra>`,
      meta: { role: "apparent", cohort: c.cohort },
    });
    if (c.bootstrap) {
      const b = c.bootstrap;
      const okB = ok.map((v, k) => v && Number.isFinite(b.kmCorrected[k]));
      data.push({
        type: "scatter",
        mode: "lines+markers",
        x: c.meanPredicted.filter((_, k) => okB[k]),
        y: b.kmCorrected.filter((_, k) => okB[k]),
        name: `${name.replace(/ \(apparent\)$/, "")} (bias-corrected, B = ${b.B})`,
        line: { color: "#0072B2", width: 1.5, dash: "dot" },
        marker: { color: "#0072B2", size: 9, symbol: "x" },
        meta: { role: "corrected", cohort: c.cohort },
      });
    }
  });
  const t = list[0]?.t;
  return {
    data,
    layout: {
      title: options.title ? { text: options.title } : undefined,
      width: options.width ?? 560,
      height: options.height ?? 520,
      plot_bgcolor: "white",
      paper_bgcolor: "white",
      xaxis: { title: { text: options.xlab ?? `Predicted S(t = ${t})` }, range, showline: true, linecolor: "black", ticks: "outside", showgrid: false, zeroline: false },
      yaxis: { title: { text: options.ylab ?? `Observed (Kaplan-Meier) S(t = ${t})` }, range, showline: true, linecolor: "black", ticks: "outside", showgrid: false, zeroline: false, scaleanchor: "x" },
      legend: { x: 0.02, y: 0.98, bgcolor: "rgba(255,255,255,0.8)" },
    },
  };
}
