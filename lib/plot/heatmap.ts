/**
 * A matrix as a heatmap (texture matrices: GLCM, GLRLM, GLSZM …). Rows are drawn top to bottom as
 * printed (row 1 at the top), columns left to right, labelled 1-based (IBSI's grey levels). Sparse
 * matrices — a 256-level GLCM of a small ROI fills a narrow band — can be cropped to the rows and
 * columns that hold counts, and shown on a log10(1 + count) scale so that the rare cells off the
 * diagonal stay visible next to the frequent ones on it.
 */
import { InputError } from "../errors.js";
import type { PlotlyFigure } from "./figure.js";

export interface MatrixHeatmapOptions {
  /** Number of rows; columns = length / nRows. Default: square (√length). */
  nRows?: number;
  /** Labels of the columns (default 1..nCols) and rows (default 1..nRows). */
  colValues?: ArrayLike<number>;
  rowValues?: ArrayLike<number>;
  /** Keep only the range of rows and of columns that contain a non-zero cell (default false). */
  cropToNonZero?: boolean;
  /** Colour by log10(1 + value) instead of the value (default false); hover still shows the value. */
  logScale?: boolean;
  /** Leave zero cells blank (background) instead of colouring them as the lowest value (default false). */
  zeroAsBlank?: boolean;
  title?: string;
  xlab?: string;
  ylab?: string;
  colorscale?: string | [number, string][];
  colorbarTitle?: string;
  width?: number;
  height?: number;
}

export function matrixHeatmap(matrix: ArrayLike<number>, options: MatrixHeatmapOptions = {}): PlotlyFigure {
  const len = matrix.length;
  const nRows = options.nRows ?? Math.round(Math.sqrt(len));
  const square = options.nRows !== undefined || nRows * nRows === len;
  if (!(square && Number.isInteger(nRows) && nRows >= 1 && len % nRows === 0 && len > 0)) {
    throw new InputError(`matrixHeatmap: ${len} cells cannot form ${nRows} rows${options.nRows === undefined ? " (not a square matrix: pass nRows)" : ""}`);
  }
  const nCols = len / nRows;
  const colValues = options.colValues ?? Array.from({ length: nCols }, (_, c) => c + 1);
  const rowValues = options.rowValues ?? Array.from({ length: nRows }, (_, r) => r + 1);
  if (colValues.length !== nCols) throw new InputError(`matrixHeatmap: colValues has ${colValues.length} entries for ${nCols} columns`);
  if (rowValues.length !== nRows) throw new InputError(`matrixHeatmap: rowValues has ${rowValues.length} entries for ${nRows} rows`);
  let r0 = 0, r1 = nRows - 1, c0 = 0, c1 = nCols - 1;
  if (options.cropToNonZero) {
    r0 = Infinity; r1 = -1; c0 = Infinity; c1 = -1;
    for (let r = 0; r < nRows; r++)
      for (let c = 0; c < nCols; c++)
        if (matrix[r * nCols + c] !== 0) {
          r0 = Math.min(r0, r); r1 = Math.max(r1, r);
          c0 = Math.min(c0, c); c1 = Math.max(c1, c);
        }
    if (r1 < 0) { r0 = 0; r1 = nRows - 1; c0 = 0; c1 = nCols - 1; } // all zero: show everything
  }
  const x = Array.from({ length: c1 - c0 + 1 }, (_, c) => colValues[c0 + c]);
  const y = Array.from({ length: r1 - r0 + 1 }, (_, r) => rowValues[r0 + r]);
  const value = y.map((_, r) => x.map((_, c) => matrix[(r0 + r) * nCols + c0 + c]));
  const log = options.logScale ?? false;
  return {
    data: [
      {
        type: "heatmap",
        x,
        y,
        z: value.map((row) => row.map((v) => (options.zeroAsBlank && v === 0 ? null : log ? Math.log10(1 + v) : v))),
        customdata: value,
        colorscale: options.colorscale ?? "Viridis",
        colorbar: { title: { text: options.colorbarTitle ?? (log ? "log10(1 + count)" : "count") }, thickness: 12 },
        hoverongaps: false,
        hovertemplate: `${options.ylab ?? "row"} %{y}<br>${options.xlab ?? "column"} %{x}<br>value %{customdata:.4~g}<extra></extra>`,
        meta: { role: "matrix", rows: [r0 + 1, r1 + 1], cols: [c0 + 1, c1 + 1] },
      },
    ],
    layout: {
      title: { text: options.title ?? "" },
      width: options.width ?? 600,
      height: options.height ?? 540,
      template: "simple_white",
      xaxis: { title: { text: options.xlab ?? "column" }, side: "bottom", showgrid: false, ticks: "outside", constrain: "domain" },
      // Row 1 at the top, as a matrix is printed.
      yaxis: { title: { text: options.ylab ?? "row" }, autorange: "reversed", showgrid: false, ticks: "outside", constrain: "domain" },
      margin: { l: 70, r: 30, t: 60, b: 60 },
    },
  };
}
