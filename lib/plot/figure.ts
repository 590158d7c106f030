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

/**
 * A fixed qualitative palette (survminer's documentation example colours first). Kept for callers
 * that want the same colour for a group whatever the number of groups; the survival figures default
 * to `huePalette(n)` instead, which is what ggplot2/survminer users see.
 */
export const palette = ["#E7B800", "#2E9FDF", "#FC4E07", "#00AFBB", "#868686", "#7E57C2", "#4CAF50"];

/**
 * ggplot2's default discrete colours, as scales::hue_pal()(n): n hues evenly spaced on 15..375
 * degrees at chroma 100, luminance 65, converted from polar CIE-Luv (R's hcl()) to sRGB. Computed
 * rather than tabulated so any number of strata gets the colours a ggplot user expects.
 */
export function huePalette(n: number): string[] {
  if (!(n >= 1)) return [];
  // hue_pal drops the last of n + 1 equally spaced hues when the range spans a full circle.
  const step = 360 / n;
  return Array.from({ length: n }, (_, i) => hcl(15 + i * step, 100, 65));
}

/** R's grDevices::hcl(h, c, l) for one colour: polar Luv (D65 white) to a clipped sRGB hex string. */
export function hcl(h: number, c: number, l: number): string {
  const whiteX = 95.047;
  const whiteY = 100.0;
  const whiteZ = 108.883;
  const denom = whiteX + 15 * whiteY + 3 * whiteZ;
  const whiteU = (4 * whiteX) / denom;
  const whiteV = (9 * whiteY) / denom;
  const rad = (h * Math.PI) / 180;
  const U = c * Math.cos(rad);
  const V = c * Math.sin(rad);
  let X = 0;
  let Y = 0;
  let Z = 0;
  if (l > 0) {
    Y = whiteY * (l > 7.999592 ? Math.pow((l + 16) / 116, 3) : l / 903.3);
    const u = U / (13 * l) + whiteU;
    const v = V / (13 * l) + whiteV;
    X = (9.0 * Y * u) / (4 * v);
    Z = -X / 3 - 5 * Y + (3 * Y) / v;
  }
  const gamma = (t: number) => (t > 0.00304 ? 1.055 * Math.pow(t, 1 / 2.4) - 0.055 : 12.92 * t);
  const r = gamma((3.240479 * X - 1.53715 * Y - 0.498535 * Z) / whiteY);
  const g = gamma((-0.969256 * X + 1.875992 * Y + 0.041556 * Z) / whiteY);
  const b = gamma((0.055648 * X - 0.204043 * Y + 1.057311 * Z) / whiteY);
  const hex = (t: number) =>
    Math.round(255 * Math.min(1, Math.max(0, t)))
      .toString(16)
      .toUpperCase()
      .padStart(2, "0");
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

/** "#RRGGBB" → "rgba(r,g,b,alpha)", for translucent bands in the strata colours. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
}
