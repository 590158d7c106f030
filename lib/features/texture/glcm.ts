/**
 * Grey level co-occurrence matrix (IBSI "GLCM", LFYI) and its 25 features.
 * Matrices are Float64Array, Ng × Ng row-major: m[(i - 1) * Ng + (j - 1)] counts grey level i at a voxel
 * and j at the voxel `distance` steps along `direction`. Symmetric matrices (the IBSI default) also count
 * the opposite direction, i.e. M + Mᵀ.
 */
import { InputError } from "../../errors.js";
import type { DiscretisedRoi } from "../roi.js";
import { checkDirection, checkPositiveInt, checkSlice, type Vec3 } from "./common.js";

export interface GlcmOptions {
  /** Step between the two voxels of a pair, e.g. [1, 0, 0]; multiplied by `distance`. */
  direction: Vec3;
  /** Chebyshev distance δ (default 1). */
  distance?: number;
  /** Count both m and −m (default true, as IBSI). */
  symmetric?: boolean;
  /** Only pairs within slice k (k axis); the direction must then be in-plane. Omit for the whole volume. */
  slice?: number;
}

/** Co-occurrence counts for one direction and distance, in one slice or the whole volume. */
export function glcmMatrix(roi: DiscretisedRoi, opts: GlcmOptions): Float64Array {
  const { direction, distance = 1, symmetric = true, slice } = opts;
  checkDirection(direction);
  checkPositiveInt(distance, "distance");
  checkSlice(roi, slice, direction);
  const [nx, ny, nz] = roi.dims;
  const ng = roi.nLevels;
  const g = roi.grey;
  const m = new Float64Array(ng * ng);
  const ox = direction[0] * distance, oy = direction[1] * distance, oz = direction[2] * distance;
  const off = ox + nx * (oy + ny * oz);
  // Restrict the loops so that the partner voxel is always on the grid: no bound checks inside.
  const x0 = Math.max(0, -ox), x1 = Math.min(nx, nx - ox);
  const y0 = Math.max(0, -oy), y1 = Math.min(ny, ny - oy);
  const z0 = slice === undefined ? Math.max(0, -oz) : slice;
  const z1 = slice === undefined ? Math.min(nz, nz - oz) : slice + 1;
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      const row = nx * (y + ny * z);
      for (let x = x0; x < x1; x++) {
        const v = row + x;
        const a = g[v];
        if (a === 0) continue;
        const b = g[v + off];
        if (b === 0) continue;
        m[(a - 1) * ng + (b - 1)] += 1;
        if (symmetric) m[(b - 1) * ng + (a - 1)] += 1;
      }
    }
  }
  return m;
}

/** Element-wise sum of GLCMs (IBSI "merging"). */
export function sumMatrices(ms: readonly Float64Array[]): Float64Array {
  if (ms.length === 0) throw new InputError("sumMatrices needs at least one matrix");
  const out = new Float64Array(ms[0].length);
  for (const m of ms) {
    if (m.length !== out.length) throw new InputError("cannot sum matrices of different sizes");
    for (let e = 0; e < out.length; e++) out[e] += m[e];
  }
  return out;
}

/**
 * The 25 IBSI GLCM features of one matrix, keyed by MIRP tag without aggregation suffix (`cm_joint_max` …).
 * Formulas keep row and column marginals apart, so they also hold for a non-symmetric matrix.
 * `nLevels` (Ng, used by the normalised inverse differences) defaults to √(matrix length).
 * Returns null for an empty matrix (no pairs): there is no distribution to describe.
 * Degenerate cases: correlation is 1 and information correlation 1 is 0 when a marginal has zero
 * spread/entropy (a single grey level), as PyRadiomics does, instead of 0/0.
 */
export function glcmFeaturesOf(matrix: Float64Array, nLevels?: number): Record<string, number> | null {
  const ng = nLevels ?? Math.round(Math.sqrt(matrix.length));
  if (ng * ng !== matrix.length) {
    throw new InputError(`GLCM has ${matrix.length} elements, which is not Ng × Ng for Ng = ${ng}`);
  }
  let total = 0;
  for (let e = 0; e < matrix.length; e++) total += matrix[e];
  if (total === 0) return null;

  const pRow = new Float64Array(ng);
  const pCol = new Float64Array(ng);
  const pDiff = new Float64Array(ng); // k = |i - j| = 0..Ng-1
  const pSum = new Float64Array(2 * ng + 1); // k = i + j = 2..2Ng
  let jointMax = 0, jointEntr = 0, energy = 0, contrast = 0, autoCorr = 0;
  for (let r = 0; r < ng; r++) {
    for (let c = 0; c < ng; c++) {
      const p = matrix[r * ng + c] / total;
      if (p === 0) continue;
      const i = r + 1, j = c + 1;
      pRow[r] += p;
      pCol[c] += p;
      pDiff[Math.abs(i - j)] += p;
      pSum[i + j] += p;
      if (p > jointMax) jointMax = p;
      jointEntr -= p * Math.log2(p);
      energy += p * p;
      contrast += (i - j) * (i - j) * p;
      autoCorr += i * j * p;
    }
  }
  let muI = 0, muJ = 0;
  for (let r = 0; r < ng; r++) {
    muI += (r + 1) * pRow[r];
    muJ += (r + 1) * pCol[r];
  }
  let varI = 0, varJ = 0, hx = 0, hy = 0;
  for (let r = 0; r < ng; r++) {
    varI += (r + 1 - muI) ** 2 * pRow[r];
    varJ += (r + 1 - muJ) ** 2 * pCol[r];
    if (pRow[r] > 0) hx -= pRow[r] * Math.log2(pRow[r]);
    if (pCol[r] > 0) hy -= pCol[r] * Math.log2(pCol[r]);
  }
  let clustTend = 0, clustShade = 0, clustProm = 0, hxy1 = 0, hxy2 = 0;
  for (let r = 0; r < ng; r++) {
    for (let c = 0; c < ng; c++) {
      const q = pRow[r] * pCol[c];
      if (q > 0) hxy2 -= q * Math.log2(q);
      const p = matrix[r * ng + c] / total;
      if (p === 0) continue;
      const t = r + 1 + c + 1 - muI - muJ;
      const t2 = t * t;
      clustTend += t2 * p;
      clustShade += t2 * t * p;
      clustProm += t2 * t2 * p;
      hxy1 -= p * Math.log2(q);
    }
  }
  let diffAvg = 0, diffEntr = 0, invDiff = 0, invDiffNorm = 0, invDiffMom = 0, invDiffMomNorm = 0, invVar = 0;
  for (let k = 0; k < ng; k++) {
    const p = pDiff[k];
    if (p === 0) continue;
    diffAvg += k * p;
    diffEntr -= p * Math.log2(p);
    invDiff += p / (1 + k);
    invDiffNorm += p / (1 + k / ng);
    invDiffMom += p / (1 + k * k);
    invDiffMomNorm += p / (1 + (k * k) / (ng * ng));
    if (k > 0) invVar += p / (k * k); // IBSI: the diagonal (k = 0) is left out
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) diffVar += (k - diffAvg) ** 2 * pDiff[k];
  let sumAvg = 0, sumEntr = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const p = pSum[k];
    if (p === 0) continue;
    sumAvg += k * p;
    sumEntr -= p * Math.log2(p);
  }
  let sumVar = 0;
  for (let k = 2; k <= 2 * ng; k++) sumVar += (k - sumAvg) ** 2 * pSum[k];

  const sd = Math.sqrt(varI * varJ);
  const corr = sd > 0 ? (autoCorr - muI * muJ) / sd : 1;
  const hMax = Math.max(hx, hy);
  const infoCorr1 = hMax > 0 ? (jointEntr - hxy1) / hMax : 0;
  // IBSI writes exp() with base-2 entropies; HXY2 ≥ HXY in exact arithmetic, the clamp absorbs rounding.
  const infoCorr2 = Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - jointEntr))));

  return {
    cm_joint_max: jointMax,
    cm_joint_avg: muI,
    cm_joint_var: varI,
    cm_joint_entr: jointEntr,
    cm_diff_avg: diffAvg,
    cm_diff_var: diffVar,
    cm_diff_entr: diffEntr,
    cm_sum_avg: sumAvg,
    cm_sum_var: sumVar,
    cm_sum_entr: sumEntr,
    cm_energy: energy,
    cm_contrast: contrast,
    cm_dissimilarity: diffAvg,
    cm_inv_diff: invDiff,
    cm_inv_diff_norm: invDiffNorm,
    cm_inv_diff_mom: invDiffMom,
    cm_inv_diff_mom_norm: invDiffMomNorm,
    cm_inv_var: invVar,
    cm_corr: corr,
    cm_auto_corr: autoCorr,
    cm_clust_tend: clustTend,
    cm_clust_shade: clustShade,
    cm_clust_prom: clustProm,
    cm_info_corr1: infoCorr1,
    cm_info_corr2: infoCorr2,
  };
}
