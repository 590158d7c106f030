/**
 * A Plotly figure as plain JSON: what `Plotly.newPlot(div, fig.data, fig.layout)` takes and what
 * Jupyter renders from the `application/vnd.plotly.v1+json` mime bundle. Builders in lib/plot return
 * this; they never touch the DOM, so figures can be tested, stored and rendered later.
 */
export interface PlotlyTrace {
  type?: string;
  [key: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
}

/** survminer/ggplot2-like default palette (ggsci "npg"-ish first colours as survminer users see them). */
export const palette = ["#E7B800", "#2E9FDF", "#FC4E07", "#00AFBB", "#868686", "#7E57C2", "#4CAF50"];
