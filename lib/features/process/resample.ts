/**
 * IBSI image interpolation (IBSI 1 manual, "Interpolation" and "Notes on interpolation"): the new grid
 * has ceil(extent / new spacing) voxels per axis and is centred on the centre of the original grid; the
 * image is extended with its edge values, the mask with zeros, and the mask is thresholded after
 * interpolation (partial-volume threshold, default 0.5).
 *
 * Because the new grid is axis-aligned with the old one, every interpolator here is separable: we
 * resample along x, then y, then z. For linear interpolation this is exactly trilinear interpolation,
 * for cubic it is the tensor-product cubic B-spline, and it costs O(n) per output voxel per axis.
 */
import { check, InputError } from "../../errors.js";
import type { Volume } from "../../imaging/volume.js";

export type Interpolation = "nearest" | "linear" | "cubic";

export interface ResampleOptions {
  /** New voxel spacing in mm: [x, y] resamples in-plane only (slice spacing kept), [x, y, z] in 3-D. */
  spacing: number[];
  /** Image interpolator (IBSI: nearest neighbour, (tri)linear, (tri)cubic spline). */
  interpolation: Interpolation;
  /** Round interpolated intensities to the nearest integer (IBSI for CT in HU). */
  roundIntensities?: boolean;
  /** Mask interpolator; default "linear" (IBSI reference configurations). */
  maskInterpolation?: Interpolation;
  /** Partial-volume threshold: an interpolated mask value >= threshold is in the ROI. Default 0.5. */
  maskThreshold?: number;
}

export interface ResampleResult {
  image: Volume;
  mask: Volume;
}

/** Per-axis sampling positions in the original voxel index space. */
interface AxisGrid {
  n: number;
  /** Index-space coordinate of new voxel 0. */
  start: number;
  /** Index-space step between new voxels (new spacing / old spacing). */
  step: number;
  /** True when this axis is not resampled (identity). */
  identity: boolean;
}

/** The IBSI grid for one axis: size ceil(n s_old / s_new), centred on the original grid's centre. */
export function ibsiAxisGrid(n: number, oldSpacing: number, newSpacing: number): AxisGrid {
  const step = newSpacing / oldSpacing;
  // Guard against 5 * 2 / 2 = 5.000000000001 giving one voxel too many.
  const nNew = Math.max(1, Math.ceil((n * oldSpacing) / newSpacing - 1e-9));
  const start = 0.5 * (n - 1) - 0.5 * (nNew - 1) * step;
  const identity = nNew === n && Math.abs(step - 1) < 1e-12 && Math.abs(start) < 1e-12;
  return { n: nNew, start, step, identity };
}

export function resample(image: Volume, mask: Volume, options: ResampleOptions): ResampleResult {
  const { spacing } = options;
  check(Array.isArray(spacing) && (spacing.length === 2 || spacing.length === 3), "resample: spacing must have 2 (in-plane) or 3 entries");
  for (const s of spacing) check(Number.isFinite(s) && s > 0, `resample: spacing entries must be positive, got ${spacing.join(", ")}`);
  check(
    mask.dims[0] === image.dims[0] && mask.dims[1] === image.dims[1] && mask.dims[2] === image.dims[2],
    `resample: mask dims ${mask.dims.join("x")} differ from image dims ${image.dims.join("x")}; rasterise the mask onto the image grid first`,
  );
  const interpolation = options.interpolation;
  const maskInterpolation = options.maskInterpolation ?? "linear";
  for (const m of [interpolation, maskInterpolation]) {
    if (m !== "nearest" && m !== "linear" && m !== "cubic") throw new InputError(`resample: unknown interpolation "${m}"`);
  }
  const threshold = options.maskThreshold ?? 0.5;
  check(threshold > 0 && threshold <= 1, `resample: maskThreshold must be in (0, 1], got ${threshold}`);

  const newSpacing: [number, number, number] = [spacing[0], spacing[1], spacing.length === 3 ? spacing[2] : image.spacing[2]];
  const grids = [0, 1, 2].map((a) => ibsiAxisGrid(image.dims[a], image.spacing[a], newSpacing[a])) as [AxisGrid, AxisGrid, AxisGrid];
  if (spacing.length === 2) grids[2] = { n: image.dims[2], start: 0, step: 1, identity: true };

  let img: Float64Array = Float64Array.from(image.data as ArrayLike<number>);
  let msk: Float64Array = Float64Array.from(mask.data as ArrayLike<number>);
  let dims: [number, number, number] = [...image.dims];
  for (let axis = 0; axis < 3; axis++) {
    if (grids[axis].identity) continue;
    img = resampleAxis(img, dims, axis, grids[axis], interpolation, "nearest");
    msk = resampleAxis(msk, dims, axis, grids[axis], maskInterpolation, "constant");
    dims = [...dims] as [number, number, number];
    dims[axis] = grids[axis].n;
  }
  if (options.roundIntensities) for (let i = 0; i < img.length; i++) img[i] = roundHalfEven(img[i]);
  const maskOut = new Uint8Array(msk.length);
  // Rounding to 6 decimals first keeps values like 0.4999999999 (float noise) on the right side.
  for (let i = 0; i < msk.length; i++) maskOut[i] = Math.round(msk[i] * 1e6) / 1e6 >= threshold ? 1 : 0;

  // New origin: world position of new voxel (0, 0, 0), i.e. index-space point (start_x, start_y, start_z).
  const shift = [0, 1, 2].map((a) => (grids[a].identity ? 0 : grids[a].start) * image.spacing[a]);
  const d = image.direction;
  const origin: [number, number, number] = [0, 1, 2].map(
    (r) => image.origin[r] + d[3 * r] * shift[0] + d[3 * r + 1] * shift[1] + d[3 * r + 2] * shift[2],
  ) as [number, number, number];
  const base = { dims, spacing: [...newSpacing] as [number, number, number], origin, direction: [...image.direction] as Volume["direction"] };
  return {
    image: { ...base, data: img, meta: { ...image.meta, resampled: { interpolation, roundIntensities: !!options.roundIntensities } } },
    mask: { ...base, data: maskOut, meta: { ...mask.meta, resampled: { interpolation: maskInterpolation, threshold } } },
  };
}

/** numpy-style rounding (half to even), so x.5 ties round as MIRP's np.round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

type Boundary = "nearest" | "constant";

/** Resamples every line along `axis` onto `grid`. */
function resampleAxis(
  data: Float64Array,
  dims: [number, number, number],
  axis: number,
  grid: AxisGrid,
  method: Interpolation,
  boundary: Boundary,
): Float64Array {
  const n = dims[axis];
  const outDims: [number, number, number] = [...dims];
  outDims[axis] = grid.n;
  const out = new Float64Array(outDims[0] * outDims[1] * outDims[2]);
  const strideIn = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const strideOut = axis === 0 ? 1 : axis === 1 ? outDims[0] : outDims[0] * outDims[1];
  // The two other axes enumerate the lines.
  const others = [0, 1, 2].filter((a) => a !== axis);
  const line = new Float64Array(n);
  const res = new Float64Array(grid.n);
  const sampler = makeSampler(n, grid, method, boundary);
  for (let q = 0; q < dims[others[1]]; q++) {
    for (let p = 0; p < dims[others[0]]; p++) {
      const idx = [0, 0, 0];
      idx[others[0]] = p;
      idx[others[1]] = q;
      const offIn = idx[0] + dims[0] * (idx[1] + dims[1] * idx[2]);
      const offOut = idx[0] + outDims[0] * (idx[1] + outDims[1] * idx[2]);
      for (let i = 0; i < n; i++) line[i] = data[offIn + i * strideIn];
      sampler(line, res);
      for (let i = 0; i < grid.n; i++) out[offOut + i * strideOut] = res[i];
    }
  }
  return out;
}

type Sampler = (line: Float64Array, out: Float64Array) => void;

function makeSampler(n: number, grid: AxisGrid, method: Interpolation, boundary: Boundary): Sampler {
  const m = grid.n;
  const pos = new Float64Array(m);
  for (let j = 0; j < m; j++) pos[j] = grid.start + j * grid.step;
  const eps = 1e-9;
  const outside = (x: number) => x < -eps || x > n - 1 + eps;
  const clampIdx = (i: number) => (i < 0 ? 0 : i > n - 1 ? n - 1 : i);

  if (method === "nearest") {
    return (line, out) => {
      for (let j = 0; j < m; j++) {
        const x = pos[j];
        if (boundary === "constant" && outside(x)) out[j] = 0;
        else out[j] = line[clampIdx(Math.floor(x + 0.5))];
      }
    };
  }
  if (method === "linear") {
    return (line, out) => {
      for (let j = 0; j < m; j++) {
        const x = pos[j];
        if (boundary === "constant" && outside(x)) {
          out[j] = 0;
          continue;
        }
        const i0 = Math.floor(x);
        const t = x - i0;
        out[j] = (1 - t) * line[clampIdx(i0)] + t * line[clampIdx(i0 + 1)];
      }
    };
  }
  // Cubic B-spline. Like scipy's map_coordinates, the line is first extended by PAD samples (edge
  // values for "nearest", zeros for "constant"), then prefiltered with mirror boundaries, so that the
  // spline honours the chosen extension near the edges.
  const PAD = 12;
  const len = n + 2 * PAD;
  const ext = new Float64Array(len);
  return (line, out) => {
    for (let i = 0; i < len; i++) {
      const src = i - PAD;
      ext[i] = src >= 0 && src < n ? line[src] : boundary === "nearest" ? line[clampIdx(src)] : 0;
    }
    bsplinePrefilter(ext);
    for (let j = 0; j < m; j++) {
      const x = pos[j];
      if (boundary === "constant" && outside(x)) {
        out[j] = 0;
        continue;
      }
      const xp = x + PAD;
      const i1 = Math.floor(xp);
      const t = xp - i1;
      // Cubic B-spline weights for samples i1-1 .. i1+2.
      const w0 = ((1 - t) * (1 - t) * (1 - t)) / 6;
      const w1 = (4 - 6 * t * t + 3 * t * t * t) / 6;
      const w2 = (1 + 3 * t + 3 * t * t - 3 * t * t * t) / 6;
      const w3 = (t * t * t) / 6;
      out[j] = w0 * ext[mirror(i1 - 1, len)] + w1 * ext[mirror(i1, len)] + w2 * ext[mirror(i1 + 1, len)] + w3 * ext[mirror(i1 + 2, len)];
    }
  };
}

/** Mirror (whole-sample symmetric) index extension: -1 → 1, len → len - 2. */
function mirror(i: number, len: number): number {
  if (len === 1) return 0;
  const period = 2 * (len - 1);
  let k = ((i % period) + period) % period;
  if (k >= len) k = period - k;
  return k;
}

/** In-place cubic B-spline interpolation prefilter (causal + anti-causal recursion, mirror boundaries). */
function bsplinePrefilter(c: Float64Array): void {
  const n = c.length;
  if (n === 1) return;
  const z = Math.sqrt(3) - 2;
  const gain = (1 - z) * (1 - 1 / z);
  for (let i = 0; i < n; i++) c[i] *= gain;
  // Causal initialisation: exact sum over the mirror-extended (period 2n - 2) signal.
  const z2n = Math.pow(z, 2 * n - 2);
  let sum = c[0] + Math.pow(z, n - 1) * c[n - 1];
  let zk = z;
  for (let k = 1; k < n - 1; k++) {
    if (zk === 0) break; // both powers underflowed: the rest contributes nothing
    sum += (zk + z2n / zk) * c[k];
    zk *= z;
  }
  sum /= 1 - z2n;
  c[0] = sum;
  for (let k = 1; k < n; k++) c[k] += z * c[k - 1];
  // Anti-causal initialisation for mirror boundaries.
  c[n - 1] = (z / (z * z - 1)) * (c[n - 1] + z * c[n - 2]);
  for (let k = n - 2; k >= 0; k--) c[k] = z * (c[k + 1] - c[k]);
}
