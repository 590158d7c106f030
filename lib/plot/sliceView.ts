/**
 * One axial slice of a volume as a radiology viewer shows it: grey-scale pixels placed in millimetres
 * (so anisotropic pixels keep their true shape), anterior at the top (the y axis runs downwards, as
 * LPS's +y is posterior), and the outline of each ROI mask drawn on top. Outlines are Plotly contour
 * traces of the 0/1 mask slice with a single level at 0.5: the line passes half way between voxel
 * centres inside and outside the ROI, i.e. along the voxel edges a reader painted, smoothed by the
 * linear interpolation between centres. Every trace carries `meta: { role, label? }`.
 */
import { InputError } from "../errors.js";
import type { Volume } from "../imaging/volume.js";
import { huePalette, type PlotlyFigure, type PlotlyTrace } from "./figure.js";

export interface SliceViewMask {
  /** Legend entry, e.g. "Reader 1, reading 2". */
  label: string;
  /** The mask on the volume's grid: a Volume (e.g. from readMask) or its voxel array (values ≥ 0.5 = in ROI). */
  mask: Pick<Volume, "data" | "dims"> | ArrayLike<number>;
  /** Line colour (default: ggplot2's hue palette over the masks). */
  color?: string;
  /** Plotly dash style of the line ("solid", "dash", "dot" …; default "solid"). */
  dash?: string;
}

export interface SliceViewOptions {
  /** Slice index along k (0-based). Default: the slice where the masks cover most voxels (all masks summed; the middle slice without masks). */
  slice?: number;
  masks?: SliceViewMask[];
  /** Display window [lo, hi] of the intensities. Default: the slice's 1st–99th percentile (robust to a few bright voxels). */
  window?: [number, number];
  title?: string;
  /** Colour scale of the pixels (default Plotly's "Greys": low = black, high = white, as a viewer). */
  colorscale?: string | [number, string][];
  /** Colour bar title (default "signal"). */
  colorbarTitle?: string;
  /** Zoom to the masks' in-plane bounding box on this slice plus this margin (mm); default: the whole slice. */
  zoomMarginMm?: number;
  width?: number;
  height?: number;
}

/** True when the direction matrix is the identity (within 1e-6): axes are then world x and y (LPS). */
const isIdentity = (d: Volume["direction"]): boolean => d.every((v, i) => Math.abs(v - (i % 4 === 0 ? 1 : 0)) < 1e-6);

/** Voxel array of a mask argument, checked against the volume's size. */
function maskData(m: SliceViewMask, volume: Pick<Volume, "dims">, n: number): ArrayLike<number> {
  const isVol = typeof m.mask === "object" && m.mask !== null && "data" in m.mask && "dims" in m.mask;
  if (isVol) {
    const mv = m.mask as Pick<Volume, "data" | "dims">;
    if (mv.dims.some((d, a) => d !== volume.dims[a])) {
      throw new InputError(`sliceView: mask "${m.label}" has dims ${mv.dims.join("×")}, the volume ${volume.dims.join("×")}`);
    }
    return mv.data;
  }
  const data = m.mask as ArrayLike<number>;
  if (typeof data?.length !== "number" || data.length !== n) {
    throw new InputError(`sliceView: mask "${m.label}" has ${data?.length} voxels, the volume ${n}`);
  }
  return data;
}

/** Number of mask voxels (value ≥ 0.5) on each slice, summed over the masks. */
export function maskAreaBySlice(dims: [number, number, number], masks: ArrayLike<number>[]): Float64Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const area = new Float64Array(nz);
  for (const m of masks) {
    for (let k = 0; k < nz; k++) {
      let c = 0;
      for (let p = k * plane; p < (k + 1) * plane; p++) if (m[p] >= 0.5) c++;
      area[k] += c;
    }
  }
  return area;
}

/** p-th percentile (0–100, linear interpolation) of the finite values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function sliceView(volume: Volume, options: SliceViewOptions = {}): PlotlyFigure {
  if (!volume || !Array.isArray(volume.dims) || volume.dims.length !== 3) throw new InputError("sliceView: volume must be a Volume { data, dims, spacing, origin, direction }");
  const [nx, ny, nz] = volume.dims;
  const n = nx * ny * nz;
  if (volume.data.length !== n) throw new InputError(`sliceView: volume.data has ${volume.data.length} voxels, dims ${volume.dims.join("×")} need ${n}`);
  const masks = options.masks ?? [];
  const datas = masks.map((m) => maskData(m, volume, n));

  let k: number;
  if (options.slice !== undefined) {
    k = options.slice;
    if (!Number.isInteger(k) || k < 0 || k >= nz) throw new InputError(`sliceView: slice must be an integer in 0..${nz - 1}, got ${k}`);
  } else if (datas.length) {
    const area = maskAreaBySlice(volume.dims, datas);
    k = 0;
    for (let s = 1; s < nz; s++) if (area[s] > area[k]) k = s; // ties: the lowest index
    if (area[k] === 0) throw new InputError("sliceView: every mask is empty, so there is no slice to pick; pass options.slice");
  } else {
    k = Math.floor(nz / 2);
  }

  // Pixel positions (mm). With an identity direction they are world x, y; otherwise the distance along
  // the row and column directions from the first voxel (the viewer's in-plane axes).
  const world = isIdentity(volume.direction);
  const [sx, sy, sz] = volume.spacing;
  const x = Array.from({ length: nx }, (_, i) => (world ? volume.origin[0] : 0) + i * sx);
  const y = Array.from({ length: ny }, (_, j) => (world ? volume.origin[1] : 0) + j * sy);
  const plane = nx * ny;
  const base = k * plane;
  const rowsOf = (a: ArrayLike<number>, f: (v: number) => number | null): (number | null)[][] =>
    Array.from({ length: ny }, (_, j) => Array.from({ length: nx }, (_, i) => f(a[base + i + nx * j])));
  // NaN pixels (e.g. outside an ROI) become null: Plotly leaves them blank.
  const z = rowsOf(volume.data, (v) => (Number.isFinite(v) ? v : null));

  let window = options.window;
  if (window === undefined) {
    const vals = Float64Array.from(z.flat().filter((v): v is number => v !== null)).sort();
    window = [percentile(vals, 1), percentile(vals, 99)];
    if (!(window[1] > window[0])) window = [window[0] - 0.5, window[0] + 0.5];
  } else if (!(window.length === 2 && window[1] > window[0])) {
    throw new InputError(`sliceView: window must be [lo, hi] with hi > lo, got ${JSON.stringify(window)}`);
  }

  const colorscale = options.colorscale ?? "Greys";
  const data: PlotlyTrace[] = [
    {
      type: "heatmap",
      x,
      y,
      z,
      zmin: window[0],
      zmax: window[1],
      colorscale,
      colorbar: { title: { text: options.colorbarTitle ?? "signal" }, thickness: 12, x: 1.02 },
      hovertemplate: "x %{x:.1f} mm<br>y %{y:.1f} mm<br>%{z:.4~g}<extra></extra>",
      showlegend: false,
      meta: { role: "image", slice: k },
    },
  ];
  const colors = huePalette(masks.length);
  masks.forEach((m, i) => {
    data.push({
      type: "contour",
      x,
      y,
      z: rowsOf(datas[i], (v) => (v >= 0.5 ? 1 : 0)),
      name: m.label,
      showlegend: true,
      showscale: false,
      autocontour: false,
      contours: { start: 0.5, end: 0.5, size: 1, coloring: "none", showlabels: false },
      line: { color: m.color ?? colors[i], width: 2, dash: m.dash ?? "solid" },
      hoverinfo: "name",
      meta: { role: "contour", label: m.label },
    });
  });

  // Axis ranges: the whole slice (pixel edges), or the masks' bounding box plus a margin.
  let xr: [number, number] = [x[0] - sx / 2, x[nx - 1] + sx / 2];
  let yr: [number, number] = [y[0] - sy / 2, y[ny - 1] + sy / 2];
  if (options.zoomMarginMm !== undefined && datas.length) {
    let i0 = Infinity, i1 = -1, j0 = Infinity, j1 = -1;
    for (const d of datas)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++)
          if (d[base + i + nx * j] >= 0.5) {
            i0 = Math.min(i0, i); i1 = Math.max(i1, i);
            j0 = Math.min(j0, j); j1 = Math.max(j1, j);
          }
    if (i1 >= 0) {
      const mg = options.zoomMarginMm;
      xr = [Math.max(xr[0], x[i0] - mg), Math.min(xr[1], x[i1] + mg)];
      yr = [Math.max(yr[0], y[j0] - mg), Math.min(yr[1], y[j1] + mg)];
    }
  }
  const zPos = (world ? volume.origin[2] : 0) + k * sz;
  const axisTitle = (a: string) => (world ? `${a} (mm, LPS)` : `${a === "x" ? "row" : "column"} direction (mm)`);
  return {
    data,
    layout: {
      title: { text: options.title ?? `Slice ${k + 1} of ${nz} (z = ${zPos.toFixed(1)} mm)` },
      width: options.width ?? 640,
      height: options.height ?? 560,
      template: "simple_white",
      // Radiology convention: patient's right on the left of the screen (LPS −x), anterior at the top.
      xaxis: { title: { text: axisTitle("x") }, range: xr, constrain: "domain", showgrid: false, zeroline: false, ticks: "outside" },
      yaxis: { title: { text: axisTitle("y") }, range: [yr[1], yr[0]], scaleanchor: "x", scaleratio: 1, constrain: "domain", showgrid: false, zeroline: false, ticks: "outside" },
      legend: { orientation: "h", x: 0, y: -0.15, xanchor: "left", yanchor: "top" },
      margin: { l: 70, r: 40, t: 60, b: 80 },
    },
  };
}
