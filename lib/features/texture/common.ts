/**
 * Shared pieces of the texture families: ROI checks, direction sets, the count-matrix type that
 * GLRLM, GLSZM, GLDZM and NGLDM have in common, and the "run-like" features they all share
 * (IBSI defines the GLSZM, GLDZM and NGLDM features as copies of the GLRLM ones on another column axis).
 */
import { InputError } from "../../errors.js";
import type { DiscretisedRoi } from "../roi.js";

export type Vec3 = [number, number, number];

/** IBSI's 13 unique 3-D direction vectors at Chebyshev distance 1 (each stands for itself and its opposite). */
export const DIRECTIONS_3D: readonly Vec3[] = [
  [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 1], [0, 1, -1], [1, 0, 1], [1, 0, -1],
  [1, 1, 0], [1, -1, 0], [1, 1, 1], [1, 1, -1], [1, -1, 1], [1, -1, -1],
];

/** IBSI's 4 in-plane direction vectors (0°, 45°, 90°, 135°) as (dx, dy, 0). */
export const DIRECTIONS_2D: readonly Vec3[] = [
  [1, 0, 0], [1, 1, 0], [0, 1, 0], [-1, 1, 0],
];

/** Validates a DiscretisedRoi once, so the inner loops need no checks. Returns the voxel count. */
export function checkRoi(roi: DiscretisedRoi): number {
  const [nx, ny, nz] = roi.dims;
  if (![nx, ny, nz].every((d) => Number.isInteger(d) && d > 0)) {
    throw new InputError(`roi.dims must be three positive integers, got [${roi.dims.join(", ")}]`);
  }
  if (roi.grey.length !== nx * ny * nz) {
    throw new InputError(`roi.grey has ${roi.grey.length} voxels, dims [${roi.dims.join(", ")}] need ${nx * ny * nz}`);
  }
  if (!Number.isInteger(roi.nLevels) || roi.nLevels < 1) {
    throw new InputError(`roi.nLevels must be a positive integer, got ${roi.nLevels}`);
  }
  let n = 0;
  const g = roi.grey;
  for (let v = 0; v < g.length; v++) {
    const x = g[v];
    if (x === 0) continue;
    if (x < 0 || x > roi.nLevels) {
      throw new InputError(`roi.grey[${v}] = ${x} is outside 0..nLevels (${roi.nLevels})`);
    }
    n++;
  }
  return n;
}

/** Checks an optional slice index (k axis) and a direction's compatibility with it. */
export function checkSlice(roi: DiscretisedRoi, slice: number | undefined, direction?: Vec3): void {
  if (slice === undefined) return;
  if (!Number.isInteger(slice) || slice < 0 || slice >= roi.dims[2]) {
    throw new InputError(`slice must be an integer in 0..${roi.dims[2] - 1}, got ${slice}`);
  }
  if (direction && direction[2] !== 0) {
    throw new InputError(`direction [${direction.join(", ")}] leaves the slice; a single-slice matrix needs dz = 0`);
  }
}

export function checkDirection(direction: Vec3, what = "direction"): void {
  if (
    !Array.isArray(direction) || direction.length !== 3 ||
    !direction.every((d) => Number.isInteger(d)) || direction.every((d) => d === 0)
  ) {
    throw new InputError(`${what} must be three integers, not all 0, got ${JSON.stringify(direction)}`);
  }
}

export function checkPositiveInt(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 1) throw new InputError(`${what} must be a positive integer, got ${x}`);
}

/** Number of ROI voxels in slice k (or in the whole volume). */
export function roiVoxelCount(roi: DiscretisedRoi, slice?: number): number {
  const plane = roi.dims[0] * roi.dims[1];
  const from = slice === undefined ? 0 : slice * plane;
  const to = slice === undefined ? roi.grey.length : from + plane;
  let n = 0;
  for (let v = from; v < to; v++) if (roi.grey[v] > 0) n++;
  return n;
}

/**
 * Grey level (rows 1..nLevels) × column value matrix, row-major: counts[(i - 1) * nCols + c] is the
 * count for grey level i and column value jValues[c] (run length, zone size, distance or dependence count).
 * jValues lets GLSZM keep only the zone sizes that occur instead of one column per possible size.
 */
export interface CountMatrix {
  counts: Float64Array;
  nLevels: number;
  jValues: Float64Array;
}

/** 1, 2, ..., n as column values. */
export function unitColumns(n: number): Float64Array {
  const j = new Float64Array(n);
  for (let c = 0; c < n; c++) j[c] = c + 1;
  return j;
}

/**
 * Builds a CountMatrix from (grey, column value) pairs, with the distinct values as columns.
 * Column values are positive integers (zone sizes, distances), so a lookup table replaces hashing.
 */
export function countMatrixFromPairs(nLevels: number, grey: ArrayLike<number>, j: ArrayLike<number>, n = grey.length): CountMatrix {
  let maxJ = 0;
  for (let z = 0; z < n; z++) {
    const v = j[z];
    if (!Number.isInteger(v) || v < 1) throw new InputError(`matrix column value must be a positive integer, got ${v}`);
    if (v > maxJ) maxJ = v;
  }
  const col = new Int32Array(maxJ + 1).fill(-1);
  for (let z = 0; z < n; z++) col[j[z]] = 0;
  let nCols = 0;
  const values: number[] = [];
  for (let v = 1; v <= maxJ; v++) {
    if (col[v] === 0) {
      col[v] = nCols++;
      values.push(v);
    }
  }
  const counts = new Float64Array(nLevels * nCols);
  for (let z = 0; z < n; z++) counts[(grey[z] - 1) * nCols + col[j[z]]] += 1;
  return { counts, nLevels, jValues: Float64Array.from(values) };
}

/** Element-wise sum of count matrices (IBSI "merging"); columns are the union of the column values. */
export function mergeCountMatrices(ms: readonly CountMatrix[]): CountMatrix {
  if (ms.length === 0) throw new InputError("mergeCountMatrices needs at least one matrix");
  const nLevels = ms[0].nLevels;
  const sameColumns = ms.every(
    (m) => m.jValues.length === ms[0].jValues.length && m.jValues.every((v, c) => v === ms[0].jValues[c]),
  );
  if (sameColumns) {
    const counts = new Float64Array(ms[0].counts.length);
    for (const m of ms) for (let e = 0; e < counts.length; e++) counts[e] += m.counts[e];
    return { counts, nLevels, jValues: Float64Array.from(ms[0].jValues) };
  }
  const values = Array.from(new Set(ms.flatMap((m) => Array.from(m.jValues)))).sort((a, b) => a - b);
  const col = new Map<number, number>();
  values.forEach((v, c) => col.set(v, c));
  const nCols = values.length;
  const counts = new Float64Array(nLevels * nCols);
  for (const m of ms) {
    if (m.nLevels !== nLevels) throw new InputError("cannot merge matrices with different numbers of grey levels");
    const mc = m.jValues.length;
    const map = Array.from(m.jValues, (v) => col.get(v) as number);
    for (let i = 0; i < nLevels; i++) {
      for (let c = 0; c < mc; c++) counts[i * nCols + map[c]] += m.counts[i * mc + c];
    }
  }
  return { counts, nLevels, jValues: Float64Array.from(values) };
}

/**
 * The sixteen features shared by GLRLM/GLSZM/GLDZM/NGLDM (plus NGLDM's energy), in IBSI's notation:
 * "j" is the column variable (run length, zone size, distance, dependence count).
 * Returns null for an empty matrix: every feature divides by the total count.
 */
export interface RunLikeFeatures {
  lowJ: number; highJ: number; lowGrey: number; highGrey: number;
  lowJLowGrey: number; lowJHighGrey: number; highJLowGrey: number; highJHighGrey: number;
  glnu: number; glnuNorm: number; jnu: number; jnuNorm: number; percentage: number;
  greyVariance: number; jVariance: number; entropy: number; energy: number;
}

export function runLikeFeatures(m: CountMatrix, nVoxels: number): RunLikeFeatures | null {
  const { counts, nLevels, jValues } = m;
  const nCols = jValues.length;
  const rowSum = new Float64Array(nLevels);
  const colSum = new Float64Array(nCols);
  let ns = 0;
  let lowJLowGrey = 0, lowJHighGrey = 0, highJLowGrey = 0, highJHighGrey = 0, entropy = 0, energy = 0;
  for (let r = 0; r < nLevels; r++) {
    const i = r + 1;
    const i2 = i * i;
    for (let c = 0; c < nCols; c++) {
      const x = counts[r * nCols + c];
      if (x === 0) continue;
      const j2 = jValues[c] * jValues[c];
      ns += x;
      rowSum[r] += x;
      colSum[c] += x;
      lowJLowGrey += x / (i2 * j2);
      lowJHighGrey += (x * i2) / j2;
      highJLowGrey += (x * j2) / i2;
      highJHighGrey += x * i2 * j2;
    }
  }
  if (ns === 0) return null;
  let lowGrey = 0, highGrey = 0, glnu = 0, meanI = 0;
  for (let r = 0; r < nLevels; r++) {
    const i = r + 1;
    const s = rowSum[r];
    lowGrey += s / (i * i);
    highGrey += s * i * i;
    glnu += s * s;
    meanI += i * s;
  }
  meanI /= ns;
  let lowJ = 0, highJ = 0, jnu = 0, meanJ = 0;
  for (let c = 0; c < nCols; c++) {
    const j = jValues[c];
    const s = colSum[c];
    lowJ += s / (j * j);
    highJ += s * j * j;
    jnu += s * s;
    meanJ += j * s;
  }
  meanJ /= ns;
  let greyVariance = 0, jVariance = 0;
  for (let r = 0; r < nLevels; r++) greyVariance += (r + 1 - meanI) ** 2 * rowSum[r];
  for (let c = 0; c < nCols; c++) jVariance += (jValues[c] - meanJ) ** 2 * colSum[c];
  for (let e = 0; e < counts.length; e++) {
    const p = counts[e] / ns;
    if (p > 0) {
      entropy -= p * Math.log2(p);
      energy += p * p;
    }
  }
  return {
    lowJ: lowJ / ns, highJ: highJ / ns, lowGrey: lowGrey / ns, highGrey: highGrey / ns,
    lowJLowGrey: lowJLowGrey / ns, lowJHighGrey: lowJHighGrey / ns,
    highJLowGrey: highJLowGrey / ns, highJHighGrey: highJHighGrey / ns,
    glnu: glnu / ns, glnuNorm: glnu / (ns * ns), jnu: jnu / ns, jnuNorm: jnu / (ns * ns),
    percentage: ns / nVoxels, greyVariance: greyVariance / ns, jVariance: jVariance / ns, entropy, energy,
  };
}

/** Key-wise mean of feature records (IBSI "averaged" aggregation); null entries (empty matrices) are left out. */
export function averageFeatures(records: readonly (Record<string, number> | null)[]): Record<string, number> | null {
  const kept = records.filter((r): r is Record<string, number> => r !== null);
  if (kept.length === 0) return null;
  const out: Record<string, number> = {};
  for (const key of Object.keys(kept[0])) {
    let s = 0;
    for (const r of kept) s += r[key];
    out[key] = s / kept.length;
  }
  return out;
}

/** Appends an aggregation suffix to every key. */
export function suffixed(rec: Record<string, number>, suffix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(rec)) out[`${k}_${suffix}`] = v;
  return out;
}

/**
 * Neighbour offsets within Chebyshev distance `distance`, centre excluded; in-plane only when `planar`.
 * Returned as parallel arrays so the voxel loops stay on typed arrays.
 */
/** Linear-index offsets of a neighbourhood's voxels on an nx × ny × … grid (x fastest). */
export function linearOffsets(nb: { dx: Int32Array; dy: Int32Array; dz: Int32Array }, nx: number, ny: number): Int32Array {
  return Int32Array.from(nb.dx, (dx, q) => dx + nx * (nb.dy[q] + ny * nb.dz[q]));
}

export function chebyshevNeighbourhood(distance: number, planar: boolean): { dx: Int32Array; dy: Int32Array; dz: Int32Array } {
  const dx: number[] = [], dy: number[] = [], dz: number[] = [];
  const zr = planar ? 0 : distance;
  for (let z = -zr; z <= zr; z++) {
    for (let y = -distance; y <= distance; y++) {
      for (let x = -distance; x <= distance; x++) {
        if (x === 0 && y === 0 && z === 0) continue;
        dx.push(x); dy.push(y); dz.push(z);
      }
    }
  }
  return { dx: Int32Array.from(dx), dy: Int32Array.from(dy), dz: Int32Array.from(dz) };
}
