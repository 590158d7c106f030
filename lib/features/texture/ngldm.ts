/**
 * Neighbouring grey level dependence matrix (IBSI "NGLDM") and its 17 features. The dependence count of
 * a ROI voxel is 1 (the voxel itself) plus the ROI voxels within Chebyshev distance δ whose grey level
 * differs by at most α; voxels outside the ROI never count. In 2-D the neighbourhood stays in the slice.
 */
import type { DiscretisedRoi } from "../roi.js";
import {
  chebyshevNeighbourhood, linearOffsets, checkPositiveInt, checkSlice, runLikeFeatures, unitColumns, type CountMatrix,
} from "./common.js";

export interface DependenceMatrix extends CountMatrix {
  /** ROI voxels counted (IBSI N_v); every ROI voxel has a neighbourhood, so N_s = N_v. */
  nVoxels: number;
}

/** NGLDM of one slice or, without `slice`, of the volume; columns are dependence counts 1..(2δ+1)^d. */
export function ngldmMatrix(
  roi: DiscretisedRoi,
  opts: { distance?: number; alpha?: number; slice?: number } = {},
): DependenceMatrix {
  const { distance = 1, alpha = 0, slice } = opts;
  checkPositiveInt(distance, "distance");
  checkSlice(roi, slice);
  const [nx, ny, nz] = roi.dims;
  const g = roi.grey;
  const ng = roi.nLevels;
  const planar = slice !== undefined;
  const nb = chebyshevNeighbourhood(distance, planar);
  const nn = nb.dx.length;
  const off = linearOffsets(nb, nx, ny);
  const nCols = nn + 1;
  const counts = new Float64Array(ng * nCols);
  let nVoxels = 0;
  const z0 = slice ?? 0, z1 = slice === undefined ? nz : slice + 1;
  for (let z = z0; z < z1; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const v = x + nx * (y + ny * z);
        const a = g[v];
        if (a === 0) continue;
        nVoxels++;
        let j = 1;
        // Away from the grid border every neighbour exists: skip the bound checks there.
        const interior = x >= distance && x < nx - distance && y >= distance && y < ny - distance &&
          (planar || (z >= distance && z < nz - distance));
        for (let q = 0; q < nn; q++) {
          if (!interior) {
            const qx = x + nb.dx[q], qy = y + nb.dy[q], qz = z + nb.dz[q];
            if (qx < 0 || qx >= nx || qy < 0 || qy >= ny || qz < 0 || qz >= nz) continue;
          }
          const b = g[v + off[q]];
          if (b !== 0 && Math.abs(a - b) <= alpha) j++;
        }
        counts[(a - 1) * nCols + (j - 1)] += 1;
      }
    }
  }
  return { counts, nLevels: ng, jValues: unitColumns(nCols), nVoxels };
}

/** The 17 IBSI NGLDM features of one matrix, keyed `ngl_lde` …; null for an empty matrix. */
export function ngldmFeaturesOf(matrix: CountMatrix, nVoxels: number): Record<string, number> | null {
  const f = runLikeFeatures(matrix, nVoxels);
  if (!f) return null;
  return {
    ngl_lde: f.lowJ,
    ngl_hde: f.highJ,
    ngl_lgce: f.lowGrey,
    ngl_hgce: f.highGrey,
    ngl_ldlge: f.lowJLowGrey,
    ngl_ldhge: f.lowJHighGrey,
    ngl_hdlge: f.highJLowGrey,
    ngl_hdhge: f.highJHighGrey,
    ngl_glnu: f.glnu,
    ngl_glnu_norm: f.glnuNorm,
    ngl_dcnu: f.jnu,
    ngl_dcnu_norm: f.jnuNorm,
    ngl_dc_perc: f.percentage,
    ngl_gl_var: f.greyVariance,
    ngl_dc_var: f.jVariance,
    ngl_dc_entr: f.entropy,
    ngl_dc_energy: f.energy,
  };
}
