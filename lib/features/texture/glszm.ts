/**
 * Grey level size zone matrix (IBSI "GLSZM") and its 16 features. A zone is a connected set of ROI voxels
 * with one grey level: 26-connected in 3-D, 8-connected within a slice in 2-D (IBSI's default linkage).
 * The zone labelling here is shared with the GLDZM, which needs the same zones and their distance to the edge.
 */
import type { DiscretisedRoi } from "../roi.js";
import { checkSlice, countMatrixFromPairs, roiVoxelCount, runLikeFeatures, type CountMatrix } from "./common.js";

/** Zones of one labelling: grey level, voxel count, smallest distance-map value, slice (−1 for 3-D zones). */
export interface ZoneList {
  n: number;
  grey: Int32Array;
  size: Int32Array;
  minDistance: Int32Array;
  slice: Int32Array;
}

/**
 * Labels the zones of slices z0..z1-1 (planar: within each slice, 8-connected) or of the volume
 * (26-connected). `distanceMap` (per voxel, optional) gives each zone its minimum distance.
 */
export function labelZones(
  roi: DiscretisedRoi,
  opts: { planar: boolean; slice?: number; distanceMap?: Int32Array },
): ZoneList {
  const [nx, ny, nz] = roi.dims;
  const g = roi.grey;
  const { planar, slice, distanceMap } = opts;
  const plane = nx * ny;
  const z0 = slice ?? 0, z1 = slice === undefined ? nz : slice + 1;
  const visited = new Uint8Array(g.length);
  const stack = new Int32Array(g.length);
  const zr = planar ? 0 : 1;
  // At most one zone per voxel: preallocate instead of growing arrays.
  const grey = new Int32Array(g.length), size = new Int32Array(g.length);
  const minDistance = new Int32Array(g.length), sl = new Int32Array(g.length);
  let nz0 = 0;
  for (let z = z0; z < z1; z++) {
    for (let v = z * plane; v < (z + 1) * plane; v++) {
      const a = g[v];
      if (a === 0 || visited[v]) continue;
      visited[v] = 1;
      let top = 0;
      stack[top++] = v;
      let n = 0;
      let dMin = Infinity;
      while (top > 0) {
        const u = stack[--top];
        n++;
        if (distanceMap && distanceMap[u] < dMin) dMin = distanceMap[u];
        const ux = u % nx, uy = ((u - ux) / nx) % ny, uz = (u - ux - nx * uy) / plane;
        const zLo = Math.max(uz - zr, z0), zHi = Math.min(uz + zr, z1 - 1);
        const yLo = Math.max(uy - 1, 0), yHi = Math.min(uy + 1, ny - 1);
        const xLo = Math.max(ux - 1, 0), xHi = Math.min(ux + 1, nx - 1);
        for (let qz = zLo; qz <= zHi; qz++) {
          for (let qy = yLo; qy <= yHi; qy++) {
            const base = nx * (qy + ny * qz);
            for (let qx = xLo; qx <= xHi; qx++) {
              const w = base + qx;
              if (visited[w] || g[w] !== a) continue;
              visited[w] = 1;
              stack[top++] = w;
            }
          }
        }
      }
      grey[nz0] = a;
      size[nz0] = n;
      minDistance[nz0] = distanceMap ? dMin : 0;
      sl[nz0] = planar ? z : -1;
      nz0++;
    }
  }
  return {
    n: nz0,
    grey: grey.slice(0, nz0),
    size: size.slice(0, nz0),
    minDistance: minDistance.slice(0, nz0),
    slice: sl.slice(0, nz0),
  };
}

/** A GLSZM (columns: the zone sizes that occur) with the ROI voxel count N_v it was counted over. */
export interface ZoneMatrix extends CountMatrix {
  nVoxels: number;
}

/** GLSZM of one slice (8-connected zones) or, without `slice`, of the volume (26-connected zones). */
export function glszmMatrix(roi: DiscretisedRoi, opts: { slice?: number } = {}): ZoneMatrix {
  checkSlice(roi, opts.slice);
  const zones = labelZones(roi, { planar: opts.slice !== undefined, slice: opts.slice });
  return { ...countMatrixFromPairs(roi.nLevels, zones.grey, zones.size), nVoxels: roiVoxelCount(roi, opts.slice) };
}

/** The 16 IBSI GLSZM features of one matrix, keyed `szm_sze` …; null for an empty matrix. */
export function glszmFeaturesOf(matrix: CountMatrix, nVoxels: number): Record<string, number> | null {
  const f = runLikeFeatures(matrix, nVoxels);
  if (!f) return null;
  return {
    szm_sze: f.lowJ,
    szm_lze: f.highJ,
    szm_lgze: f.lowGrey,
    szm_hgze: f.highGrey,
    szm_szlge: f.lowJLowGrey,
    szm_szhge: f.lowJHighGrey,
    szm_lzlge: f.highJLowGrey,
    szm_lzhge: f.highJHighGrey,
    szm_glnu: f.glnu,
    szm_glnu_norm: f.glnuNorm,
    szm_zsnu: f.jnu,
    szm_zsnu_norm: f.jnuNorm,
    szm_z_perc: f.percentage,
    szm_gl_var: f.greyVariance,
    szm_zs_var: f.jVariance,
    szm_zs_entr: f.entropy,
  };
}
