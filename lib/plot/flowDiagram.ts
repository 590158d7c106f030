/**
 * CONSORT-style flow diagram of an exclusionFlow() result: a column of boxes (screened → after each
 * criterion → analysed), each exclusion in a side box with its count, and an optional split at the
 * bottom (training / validation). Drawn with Plotly shapes and annotations so it renders wherever
 * the other figures do.
 */
import type { ExclusionFlow } from "../cohort/exclusionFlow.js";
import type { PlotlyFigure } from "./figure.js";

export interface FlowDiagramOptions {
  title?: string;
  /** Final split boxes, e.g. { Training: 78, Validation: 35 }. */
  split?: Record<string, number>;
  /** Label of the analysed box. Default "Analysed". */
  analysedLabel?: string;
}

const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Line-wraps a label for a box (Plotly annotations take <br>; the label's own text is escaped). */
const wrap = (text: string, width = 34): string => {
  const words = escapeText(text).split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && (line + " " + w).length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join("<br>");
};

export function flowDiagram(flow: ExclusionFlow, opts: FlowDiagramOptions = {}): PlotlyFigure {
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const rowH = 1;
  const mainX = 0.28;
  const sideX = 0.74;
  const box = (x: number, y: number, w: number, h: number, text: string, fill = "white") => {
    shapes.push({ type: "rect", x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2, line: { color: "black", width: 1 }, fillcolor: fill, layer: "below" });
    annotations.push({ x, y, text, showarrow: false, font: { size: 12 }, align: "center" });
  };
  const arrow = (x0: number, y0: number, x1: number, y1: number) =>
    annotations.push({ x: x1, y: y1, ax: x0, ay: y0, xref: "x", yref: "y", axref: "x", ayref: "y", showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: 1.2, text: "" });
  let y = 0;
  box(mainX, y, 0.36, 0.6, `Screened<br><b>n = ${flow.nScreened}</b>`, "#f2f2f2");
  for (const step of flow.steps) {
    const yNext = y - rowH * 1.6;
    const ySide = (y + yNext) / 2;
    shapes.push({ type: "line", x0: mainX, x1: mainX, y0: y - 0.3, y1: ySide, line: { color: "black", width: 1.2 } });
    arrow(mainX, ySide, sideX - 0.22, ySide);
    const missing = step.missing.length ? `<br>(${step.missing.length} with missing data)` : "";
    box(sideX, ySide, 0.44, 0.62, `Excluded (${step.id}): <b>n = ${step.nExcluded}</b><br>${wrap(step.label, 44)}${missing}`);
    arrow(mainX, ySide, mainX, yNext + 0.3);
    const last = step === flow.steps[flow.steps.length - 1];
    box(mainX, yNext, 0.36, 0.6, last ? `${opts.analysedLabel ?? "Analysed"}<br><b>n = ${step.nAfter}</b>` : `Remaining<br><b>n = ${step.nAfter}</b>`, last ? "#e8f1fb" : "white");
    y = yNext;
  }
  if (opts.split) {
    const entries = Object.entries(opts.split);
    const yS = y - rowH * 1.4;
    entries.forEach(([label, n], i) => {
      const x = entries.length === 1 ? mainX : 0.17 + (i * 0.5) / (entries.length - 1);
      arrow(mainX, y - 0.3, x, yS + 0.3);
      box(x, yS, 0.3, 0.6, `${escapeText(label)}<br><b>n = ${n}</b>`, "#f7f7f7");
    });
    y = yS;
  }
  const height = Math.round(90 * (-y + 1.2) + 60);
  return {
    data: [{ type: "scatter", x: [0, 1], y: [y - 0.5, 0.5], mode: "markers", marker: { opacity: 0 }, hoverinfo: "skip", showlegend: false }],
    layout: {
      title: opts.title ? { text: opts.title } : undefined,
      shapes,
      annotations,
      xaxis: { visible: false, range: [-0.02, 1.0] },
      yaxis: { visible: false, range: [y - 0.5, 0.5] },
      width: 760,
      height,
      margin: { l: 10, r: 10, t: opts.title ? 50 : 10, b: 10 },
      plot_bgcolor: "white",
      paper_bgcolor: "white",
    },
  };
}
