/**
 * Figures of a lasso fit, laid out like glmnet's base-R plots:
 *  - lassoPathPlot: plot.glmnet(fit, xvar = "lambda") — each coefficient against log(λ), one line
 *    per feature, the number of non-zero coefficients on a top axis, optionally the chosen λ as a
 *    dashed vertical line;
 *  - cvLassoPlot: plot.cv.glmnet — red dots at cvm with grey bars from cvlo to cvup against
 *    log(λ), dashed vertical lines at λ.min and λ.1se, nzero on the top axis.
 * Traces carry `meta.role` so tests (and readers) can find the plotted numbers.
 */
import type { PlotlyFigure, PlotlyTrace } from "./figure.js";
import { huePalette } from "./figure.js";

export interface LassoPathLike {
  lambda: ArrayLike<number>;
  beta: ArrayLike<ArrayLike<number>>;
  df: ArrayLike<number>;
  featureNames?: string[];
}

export interface CvLassoLike {
  lambda: ArrayLike<number>;
  cvm: ArrayLike<number>;
  cvup: ArrayLike<number>;
  cvlo: ArrayLike<number>;
  nzero: ArrayLike<number>;
  lambdaMin: number;
  lambda1se: number;
  name?: string;
}

export interface LassoPathPlotOptions {
  /** Label each line with its feature name (at the smallest λ), as plot.glmnet(label = TRUE). */
  label?: boolean;
  /** A λ to mark with a dashed vertical line (e.g. cv.lambdaMin). */
  selectedLambda?: number;
  title?: string;
  width?: number;
  height?: number;
}

/** About `n` evenly spaced positions of the log-λ range for the top "df" axis, as plot.glmnet's axis(3). */
function topTicks(logLambda: number[], counts: ArrayLike<number>, n = 6): { vals: number[]; text: string[] } {
  const L = logLambda.length;
  const vals: number[] = [];
  const text: string[] = [];
  if (L === 0) return { vals, text };
  const lo = Math.min(...logLambda);
  const hi = Math.max(...logLambda);
  for (let k = 0; k < n; k++) {
    const target = hi - ((hi - lo) * k) / (n - 1);
    let best = 0;
    for (let l = 1; l < L; l++) if (Math.abs(logLambda[l] - target) < Math.abs(logLambda[best] - target)) best = l;
    if (vals.includes(logLambda[best])) continue;
    vals.push(logLambda[best]);
    text.push(String(counts[best]));
  }
  return { vals, text };
}

function baseLayout(title: string | undefined, xs: number[], ticks: { vals: number[]; text: string[] }, ylab: string, width?: number, height?: number) {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = (hi - lo) * 0.04 || 0.1;
  const range = [lo - pad, hi + pad];
  return {
    title: title ? { text: title } : undefined,
    width,
    height,
    template: "plotly_white",
    showlegend: false,
    xaxis: { title: { text: "Log(λ)" }, range, zeroline: false, showline: true, mirror: false },
    xaxis2: {
      overlaying: "x",
      side: "top",
      range,
      tickmode: "array",
      tickvals: ticks.vals,
      ticktext: ticks.text,
      showgrid: false,
      matches: "x",
    },
    yaxis: { title: { text: ylab }, zeroline: false, showline: true },
    shapes: [] as unknown[],
    margin: { t: 60 },
  };
}

/** Coefficient paths against log(λ). Vertical lines use paper coordinates in y, so they span the plot. */
export function lassoPathPlot(path: LassoPathLike, options: LassoPathPlotOptions = {}): PlotlyFigure {
  const L = path.lambda.length;
  const logLambda = Array.from({ length: L }, (_, l) => Math.log(path.lambda[l]));
  const p = L > 0 ? path.beta[0].length : 0;
  const colors = huePalette(Math.max(p, 1));
  const data: PlotlyTrace[] = [];
  for (let j = 0; j < p; j++) {
    const name = path.featureNames?.[j] ?? `V${j + 1}`;
    const y = Array.from({ length: L }, (_, l) => path.beta[l][j]);
    data.push({
      type: "scatter",
      mode: "lines",
      x: logLambda,
      y,
      name,
      line: { color: colors[j % colors.length], width: 1.5 },
      meta: { role: "coef", feature: j },
    });
    if (options.label && L > 0 && y[L - 1] !== 0) {
      data.push({
        type: "scatter",
        mode: "text",
        x: [logLambda[L - 1]],
        y: [y[L - 1]],
        text: [name],
        textposition: "middle left",
        showlegend: false,
        hoverinfo: "skip",
        meta: { role: "label", feature: j },
      });
    }
  }
  const ticks = topTicks(logLambda, path.df);
  // An invisible trace on the top axis so Plotly draws it.
  data.push({ type: "scatter", mode: "markers", x: ticks.vals, y: ticks.vals.map(() => 0), xaxis: "x2", marker: { opacity: 0 }, hoverinfo: "skip", showlegend: false, meta: { role: "topAxis" } });
  const layout = baseLayout(options.title, logLambda, ticks, "Coefficients", options.width, options.height);
  if (options.selectedLambda !== undefined) {
    layout.shapes.push({
      type: "line",
      xref: "x",
      yref: "paper",
      x0: Math.log(options.selectedLambda),
      x1: Math.log(options.selectedLambda),
      y0: 0,
      y1: 1,
      line: { dash: "dash", color: "#555555", width: 1 },
      name: "selectedLambda",
    });
  }
  return { data, layout };
}

/** The cross-validation curve of cvLasso, like plot.cv.glmnet. */
export function cvLassoPlot(cv: CvLassoLike, options: { title?: string; width?: number; height?: number } = {}): PlotlyFigure {
  const L = cv.lambda.length;
  const x = Array.from({ length: L }, (_, l) => Math.log(cv.lambda[l]));
  const cvm = Array.from(cv.cvm);
  const up = Array.from(cv.cvup);
  const lo = Array.from(cv.cvlo);
  const data: PlotlyTrace[] = [
    {
      type: "scatter",
      mode: "markers",
      x,
      y: cvm,
      name: cv.name ?? "cvm",
      marker: { color: "red", size: 6 },
      error_y: {
        type: "data",
        symmetric: false,
        array: up.map((u, l) => u - cvm[l]),
        arrayminus: lo.map((v, l) => cvm[l] - v),
        color: "darkgrey",
        thickness: 1,
        width: 3,
      },
      meta: { role: "cvm" },
    },
  ];
  const ticks = topTicks(x, cv.nzero);
  data.push({ type: "scatter", mode: "markers", x: ticks.vals, y: ticks.vals.map(() => cvm[0]), xaxis: "x2", marker: { opacity: 0 }, hoverinfo: "skip", showlegend: false, meta: { role: "topAxis" } });
  const layout = baseLayout(options.title, x, ticks, cv.name ?? "CV error", options.width, options.height);
  for (const [lam, role] of [
    [cv.lambdaMin, "lambdaMin"],
    [cv.lambda1se, "lambda1se"],
  ] as const) {
    layout.shapes.push({
      type: "line",
      xref: "x",
      yref: "paper",
      x0: Math.log(lam),
      x1: Math.log(lam),
      y0: 0,
      y1: 1,
      line: { dash: "dash", color: "#555555", width: 1 },
      name: role,
    });
  }
  return { data, layout };
}

