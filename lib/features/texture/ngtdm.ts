/**
 * Neighbourhood grey tone difference matrix (IBSI "NGTDM") and its 5 features. The neighbourhood of a voxel
 * is every voxel within Chebyshev distance δ except itself, restricted to the ROI (IBSI's definition: a
 * neighbourhood need not be complete, only non-empty); in 2-D it stays within the slice.
 */
import type { DiscretisedRoi } from "../roi.js";
import { chebyshevNeighbourhood, linearOffsets, checkPositiveInt, checkSlice } from "./common.js";

/** s_i (sum of |i − neighbourhood mean|) and n_i (voxels with a non-empty neighbourhood) per grey level 1..Ng. */
export interface NgtdmMatrix {
  s: Float64Array;
  n: Float64Array;
}

/** NGTDM of one slice (in-plane neighbourhood) or, without `slice`, of the volume. */
export function ngtdmMatrix(roi: DiscretisedRoi, opts: { distance?: number; slice?: number } = {}): NgtdmMatrix {
  const { distance = 1, slice } = opts;
  checkPositiveInt(distance, "distance");
  checkSlice(roi, slice);
  const [nx, ny, nz] = roi.dims;
  const g = roi.grey;
  const ng = roi.nLevels;
  const planar = slice !== undefined;
  const nb = chebyshevNeighbourhood(distance, planar);
  const nn = nb.dx.length;
  const off = linearOffsets(nb, nx, ny);
  const s = new Float64Array(ng);
  const n = new Float64Array(ng);
  const z0 = slice ?? 0, z1 = slice === undefined ? nz : slice + 1;
  for (let z = z0; z < z1; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const v = x + nx * (y + ny * z);
        const a = g[v];
        if (a === 0) continue;
        let sum = 0, w = 0;
        // Away from the grid border every neighbour exists: skip the bound checks there.
        const interior = x >= distance && x < nx - distance && y >= distance && y < ny - distance &&
          (planar || (z >= distance && z < nz - distance));
        for (let q = 0; q < nn; q++) {
          if (!interior) {
            const qx = x + nb.dx[q], qy = y + nb.dy[q], qz = z + nb.dz[q];
            if (qx < 0 || qx >= nx || qy < 0 || qy >= ny || qz < 0 || qz >= nz) continue;
          }
          const b = g[v + off[q]];
          if (b === 0) continue;
          sum += b;
          w++;
        }
        if (w === 0) continue;
        s[a - 1] += Math.abs(a - sum / w);
        n[a - 1] += 1;
      }
    }
  }
  return { s, n };
}

/** Element-wise sum of NGTDMs (IBSI merging: s_i and n_i are both summed). */
export function mergeNgtdm(ms: readonly NgtdmMatrix[]): NgtdmMatrix {
  const ng = ms[0].s.length;
  const s = new Float64Array(ng), n = new Float64Array(ng);
  for (const m of ms) for (let i = 0; i < ng; i++) { s[i] += m.s[i]; n[i] += m.n[i]; }
  return { s, n };
}

/**
 * The 5 IBSI NGTDM features, keyed `ngt_coarseness` …; null when no voxel has a neighbour.
 * IBSI's conventions for degenerate input: coarseness 10⁶ when Σ p_i s_i = 0; contrast and busyness 0
 * with a single grey level; strength 0 when Σ s_i = 0. Busyness is also 0 if its denominator vanishes.
 */
export function ngtdmFeaturesOf(m: NgtdmMatrix): Record<string, number> | null {
  const ng = m.s.length;
  let nvc = 0, sTotal = 0;
  for (let i = 0; i < ng; i++) { nvc += m.n[i]; sTotal += m.s[i]; }
  if (nvc === 0) return null;
  const p = Float64Array.from(m.n, (x) => x / nvc);
  const levels: number[] = [];
  for (let i = 0; i < ng; i++) if (p[i] > 0) levels.push(i);
  const ngp = levels.length;
  let ps = 0;
  for (const i of levels) ps += p[i] * m.s[i];
  let dyn = 0, busyDen = 0, complexity = 0, strength = 0;
  for (const a of levels) {
    for (const b of levels) {
      const d = a - b; // grey levels are index + 1, so their difference is the index difference
      dyn += p[a] * p[b] * d * d;
      busyDen += Math.abs((a + 1) * p[a] - (b + 1) * p[b]);
      complexity += (Math.abs(d) * (p[a] * m.s[a] + p[b] * m.s[b])) / (p[a] + p[b]);
      strength += (p[a] + p[b]) * d * d;
    }
  }
  return {
    ngt_coarseness: ps === 0 ? 1e6 : 1 / ps,
    ngt_contrast: ngp <= 1 ? 0 : (dyn / (ngp * (ngp - 1))) * (sTotal / nvc),
    ngt_busyness: ngp <= 1 || busyDen === 0 ? 0 : ps / busyDen,
    ngt_complexity: complexity / nvc,
    ngt_strength: sTotal === 0 ? 0 : strength / sTotal,
  };
}
