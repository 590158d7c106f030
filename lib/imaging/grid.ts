/**
 * Grid geometry shared by the readers: the voxel → world affine of a Volume, its inverse, and the
 * check that an image and a mask sit on the same grid (IBSI computes features voxel by voxel, so a
 * mask on another grid would silently mix up voxels).
 */
import { InputError } from "../errors.js";
import type { Volume } from "./volume.js";

/**
 * Positions and spacings are written as decimal strings (DICOM DS) or float32 (NIfTI); the same grid
 * written by two tools agrees to ~1e-5 mm, a different grid differs by at least a fraction of a voxel.
 */
export const GRID_TOL_MM = 1e-3;
/** Direction cosines: float32 round-off is ~1e-7; a real rotation of 0.01° already changes them by ~2e-4. */
export const GRID_TOL_COSINE = 1e-4;

export type Vec3 = [number, number, number];
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export type Grid = Pick<Volume, "dims" | "spacing" | "origin" | "direction">;

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: ArrayLike<number>, b: ArrayLike<number>): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const norm = (a: ArrayLike<number>): number => Math.sqrt(dot(a, a));
/** -0 → 0, so printed grids and deepEqual comparisons are not disturbed by signed zeros. */
export const noNegZero = (x: number): number => (x === 0 ? 0 : x);

/** Row-major 3×3 matrix M with world = origin + M · [i, j, k] (direction times spacing). */
export function voxelToWorldMatrix(g: Grid): Mat3 {
  const d = g.direction;
  const s = g.spacing;
  return [d[0] * s[0], d[1] * s[1], d[2] * s[2], d[3] * s[0], d[4] * s[1], d[5] * s[2], d[6] * s[0], d[7] * s[1], d[8] * s[2]];
}

/** Inverse of a row-major 3×3 matrix (general, so a sheared grid still maps back exactly). */
export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 1e-12)) throw new InputError("voxel grid is degenerate (its direction/spacing matrix is singular)");
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
}

/** World (mm) position of continuous voxel coordinates (i, j, k). */
export function voxelToWorld(g: Grid, i: number, j: number, k: number): Vec3 {
  const m = voxelToWorldMatrix(g);
  return [
    g.origin[0] + m[0] * i + m[1] * j + m[2] * k,
    g.origin[1] + m[3] * i + m[4] * j + m[5] * k,
    g.origin[2] + m[6] * i + m[7] * j + m[8] * k,
  ];
}

/** Returns a function mapping world points to continuous voxel coordinates. */
export function worldToVoxelFn(g: Grid): (p: ArrayLike<number>) => Vec3 {
  const inv = invert3(voxelToWorldMatrix(g));
  const o = g.origin;
  return (p) => {
    const x = p[0] - o[0];
    const y = p[1] - o[1];
    const z = p[2] - o[2];
    return [inv[0] * x + inv[1] * y + inv[2] * z, inv[3] * x + inv[4] * y + inv[5] * z, inv[6] * x + inv[7] * y + inv[8] * z];
  };
}

const fmt = (x: number): string => {
  const r = Math.round(x * 1e4) / 1e4;
  return String(Object.is(r, -0) ? 0 : r);
};
const fmtVec = (v: ArrayLike<number>, sep: string): string => Array.from(v, fmt).join(sep);

/**
 * Describes how grid `a` differs from grid `b` ("" when they match within GRID_TOL_MM /
 * GRID_TOL_COSINE). The first difference found is described; dims first, since that one makes the
 * others moot.
 */
export function gridDifference(a: Grid, b: Grid, aName = "mask", bName = "image"): string {
  if (a.dims.some((d, i) => d !== b.dims[i])) {
    return `${aName} size ${a.dims.join("×")} voxels differs from ${bName} ${b.dims.join("×")}`;
  }
  if (a.spacing.some((s, i) => Math.abs(s - b.spacing[i]) > GRID_TOL_MM)) {
    return `${aName} spacing ${fmtVec(a.spacing, "×")} mm differs from ${bName} ${fmtVec(b.spacing, "×")} mm`;
  }
  if (a.direction.some((d, i) => Math.abs(d - b.direction[i]) > GRID_TOL_COSINE)) {
    return (
      `${aName} orientation (direction cosines ${fmtVec(a.direction, ",")}) differs from ${bName} ` +
      `(${fmtVec(b.direction, ",")})`
    );
  }
  if (a.origin.some((o, i) => Math.abs(o - b.origin[i]) > GRID_TOL_MM)) {
    const shift: Vec3 = [a.origin[0] - b.origin[0], a.origin[1] - b.origin[1], a.origin[2] - b.origin[2]];
    return (
      `${aName} origin (${fmtVec(a.origin, ", ")}) mm differs from ${bName} (${fmtVec(b.origin, ", ")}) mm ` +
      `(shift ${fmtVec(shift, ", ")} mm)`
    );
  }
  return "";
}

/**
 * Throws an InputError unless `a` and `b` share dims, spacing, origin (within GRID_TOL_MM) and
 * direction (within GRID_TOL_COSINE). `what` names `a` in the message (e.g. "mask mask.nii.gz"),
 * `against` names `b`; the message says exactly how they differ.
 */
export function checkSameGrid(a: Grid, b: Grid, what = "mask", against = "image"): void {
  const diff = gridDifference(a, b, what, against);
  if (diff) throw new InputError(`${diff}; resample one onto the other's grid first`);
}
