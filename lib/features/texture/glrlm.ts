/**
 * Grey level run length matrix (IBSI "GLRLM") and its 16 features. A run is a maximal sequence of ROI
 * voxels with the same grey level along a direction; a direction and its opposite give the same runs.
 */
import type { DiscretisedRoi } from "../roi.js";
import {
  checkDirection, checkSlice, roiVoxelCount, runLikeFeatures, unitColumns, type CountMatrix, type Vec3,
} from "./common.js";

export interface GlrlmOptions {
  /** Run direction, e.g. [1, 0, 0] (components in −1..1 for IBSI's neighbourhood, but any step works). */
  direction: Vec3;
  /** Only runs within slice k; the direction must then be in-plane. Omit for the whole volume. */
  slice?: number;
}

/** A GLRLM with the number of ROI voxels it was counted over (IBSI's N_v, needed by run percentage). */
export interface RunLengthMatrix extends CountMatrix {
  nVoxels: number;
}

/**
 * Run counts: rows are grey levels 1..Ng, columns run lengths 1..max(nx, ny, nz) (the same width for
 * every direction, so matrices of one ROI can be merged by adding them).
 */
export function glrlmMatrix(roi: DiscretisedRoi, opts: GlrlmOptions): RunLengthMatrix {
  const { direction, slice } = opts;
  checkDirection(direction);
  checkSlice(roi, slice, direction);
  const [nx, ny, nz] = roi.dims;
  const ng = roi.nLevels;
  const g = roi.grey;
  const [dx, dy, dz] = direction;
  const maxRun = Math.max(nx, ny, nz);
  const counts = new Float64Array(ng * maxRun);
  const off = dx + nx * (dy + ny * dz);
  const z0 = slice ?? 0, z1 = slice === undefined ? nz : slice + 1;
  // Steps that fit along the direction from coordinate c on an axis of length n (Infinity if the step is 0).
  const room = (c: number, step: number, n: number): number =>
    step > 0 ? Math.floor((n - 1 - c) / step) : step < 0 ? Math.floor(c / -step) : Infinity;
  for (let z = z0; z < z1; z++) {
    const backZ = room(z, -dz, nz) >= 1;
    for (let y = 0; y < ny; y++) {
      const backYZ = backZ && room(y, -dy, ny) >= 1;
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x++) {
        const v = row + x;
        const a = g[v];
        if (a === 0) continue;
        // Count each run once, from its first voxel: skip if the previous voxel continues it.
        if (backYZ && (dx === 0 || (dx > 0 ? x >= dx : x < nx + dx)) && g[v - off] === a) continue;
        const ahead = Math.min(room(x, dx, nx), room(y, dy, ny), room(z, dz, nz));
        let len = 1;
        for (let pv = v + off; len <= ahead && g[pv] === a; pv += off) len++;
        counts[(a - 1) * maxRun + (len - 1)] += 1;
      }
    }
  }
  return { counts, nLevels: ng, jValues: unitColumns(maxRun), nVoxels: roiVoxelCount(roi, slice) };
}

/**
 * The 16 IBSI GLRLM features of one matrix, keyed `rlm_sre` …; `nVoxels` is N_v (for a merged matrix, the
 * sum of the N_v of its parts). Null for an empty matrix.
 */
export function glrlmFeaturesOf(matrix: CountMatrix, nVoxels: number): Record<string, number> | null {
  const f = runLikeFeatures(matrix, nVoxels);
  if (!f) return null;
  return {
    rlm_sre: f.lowJ,
    rlm_lre: f.highJ,
    rlm_lgre: f.lowGrey,
    rlm_hgre: f.highGrey,
    rlm_srlge: f.lowJLowGrey,
    rlm_srhge: f.lowJHighGrey,
    rlm_lrlge: f.highJLowGrey,
    rlm_lrhge: f.highJHighGrey,
    rlm_glnu: f.glnu,
    rlm_glnu_norm: f.glnuNorm,
    rlm_rlnu: f.jnu,
    rlm_rlnu_norm: f.jnuNorm,
    rlm_r_perc: f.percentage,
    rlm_gl_var: f.greyVariance,
    rlm_rl_var: f.jVariance,
    rlm_rl_entr: f.entropy,
  };
}
