/**
 * From an image and its mask on the same grid to the ProcessedRoi that feature families use: the grid
 * cropped to the mask's bounding box, plus a margin so that the local-intensity 1 cm³ sphere around
 * every ROI voxel still sees the image voxels around it (IBSI local intensity uses voxels outside the ROI).
 */
import { check, InputError } from "../../errors.js";
import type { Volume } from "../../imaging/volume.js";
import type { ProcessedRoi } from "../roi.js";

/** Radius (mm) of a sphere of 1 cm³: the IBSI local-intensity neighbourhood. */
export const LOCAL_INTENSITY_RADIUS = Math.cbrt(3 / (4 * Math.PI)) * 10;

/** Voxel-index bounding box [lo, hi] (inclusive) of the voxels ≥ 0.5 of a mask; null when it is empty. */
export function maskBoundingBox(m: ArrayLike<number>, dims: readonly [number, number, number]): { lo: number[]; hi: number[] } | null {
  const [nx, ny, nz] = dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  for (let k = 0, idx = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, idx++) {
        if (!(m[idx] >= 0.5)) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
  return hi[0] < 0 ? null : { lo, hi };
}

export interface CropOptions {
  /** Margin in mm around the mask bounding box; default the 1 cm³ sphere radius. */
  marginMm?: number;
}

export function toProcessedRoi(image: Volume, mask: Volume, options: CropOptions = {}): ProcessedRoi {
  const [nx, ny, nz] = image.dims;
  check(
    mask.dims[0] === nx && mask.dims[1] === ny && mask.dims[2] === nz,
    `toProcessedRoi: mask dims ${mask.dims.join("x")} differ from image dims ${image.dims.join("x")}`,
  );
  check(image.data.length === nx * ny * nz, "toProcessedRoi: image data length does not match its dims");
  const box = maskBoundingBox(mask.data, mask.dims);
  check(box !== null, "toProcessedRoi: the mask is empty (no voxel >= 0.5)");
  const { lo, hi } = box;
  const marginMm = options.marginMm ?? LOCAL_INTENSITY_RADIUS;
  const from = [0, 1, 2].map((a) => Math.max(0, lo[a] - Math.floor(marginMm / image.spacing[a] + 1e-9)));
  const to = [0, 1, 2].map((a) => Math.min(image.dims[a] - 1, hi[a] + Math.floor(marginMm / image.spacing[a] + 1e-9)));
  const dims: [number, number, number] = [to[0] - from[0] + 1, to[1] - from[1] + 1, to[2] - from[2] + 1];
  const n = dims[0] * dims[1] * dims[2];
  const intensity = new Float64Array(n);
  const morphMask = new Uint8Array(n);
  let out = 0;
  for (let k = from[2]; k <= to[2]; k++)
    for (let j = from[1]; j <= to[1]; j++) {
      const row = nx * (j + ny * k);
      for (let i = from[0]; i <= to[0]; i++, out++) {
        intensity[out] = image.data[row + i];
        morphMask[out] = mask.data[row + i] >= 0.5 ? 1 : 0;
      }
    }
  for (let i = 0; i < n; i++) {
    if (morphMask[i] && !Number.isFinite(intensity[i])) {
      throw new InputError(`toProcessedRoi: non-finite intensity ${intensity[i]} inside the ROI`);
    }
  }
  return {
    dims,
    spacing: [...image.spacing] as [number, number, number],
    intensity,
    intensityMask: morphMask.slice(),
    morphMask,
  };
}
