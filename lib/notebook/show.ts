/**
 * `show(x)` puts a result into the notebook the way a Jupyter user expects: a Plotly figure as the
 * `application/vnd.plotly.v1+json` bundle (JupyterLab, VS Code and nbviewer render it), a table as
 * HTML. Outside a notebook (plain Node) it prints a text form instead, so the same code runs in
 * scripts and tests.
 */
import { createRequire } from "node:module";
import type { PlotlyFigure } from "../plot/figure.js";
import { htmlTable, type Row } from "../table/frame.js";

const require = createRequire(import.meta.url);

type Bundle = Record<string, unknown>;

/** tslab's display sink for the cell being run, or null outside tslab. */
function sink(): ((data: { data: Bundle; metadata: object; transient: object }, update: boolean) => void) | null {
  try {
    return require("tslab/dist/jupyter.js").lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

const isFigure = (x: unknown): x is PlotlyFigure =>
  typeof x === "object" && x !== null && Array.isArray((x as PlotlyFigure).data) && typeof (x as PlotlyFigure).layout === "object";

/** A danfojs DataFrame (duck-typed so this module does not load danfojs). */
interface FrameLike {
  columns: string[];
  values: unknown[][];
  toString(): string;
}
const isFrame = (x: unknown): x is FrameLike =>
  typeof x === "object" && x !== null && Array.isArray((x as FrameLike).columns) && Array.isArray((x as FrameLike).values);

function bundleOf(x: unknown, caption?: string): Bundle {
  if (isFigure(x)) {
    const title = (x.layout.title as { text?: string } | undefined)?.text ?? "figure";
    return {
      "application/vnd.plotly.v1+json": { data: x.data, layout: x.layout, config: { responsive: true } },
      "text/plain": `<Plotly figure: ${title}>`,
    };
  }
  if (isFrame(x)) {
    const rows = x.values.map((v) => Object.fromEntries(x.columns.map((c, j) => [c, v[j] as Row[string]])));
    return { "text/html": htmlTable(rows, { caption }), "text/plain": x.toString() };
  }
  if (Array.isArray(x) && x.every((r) => typeof r === "object" && r !== null)) {
    return { "text/html": htmlTable(x as Row[], { caption }), "text/plain": JSON.stringify(x, null, 1) };
  }
  if (typeof x === "string") return { "text/markdown": x, "text/plain": x };
  return { "text/plain": JSON.stringify(x, null, 1) };
}

/** Displays a figure, DataFrame, array of row objects, or markdown string in the notebook. */
export function show(x: unknown, { caption }: { caption?: string } = {}): void {
  const bundle = bundleOf(x, caption);
  const write = sink();
  if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
  else console.log(bundle["text/plain"]);
}
