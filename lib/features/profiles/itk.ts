/**
 * Texture features as ITK's texture filters define them (itk::Statistics::HistogramToTextureFeaturesFilter
 * and HistogramToRunLengthFeaturesFilter), which GE's A.K. names its GLCM and run-length features after.
 * Where ITK's definition agrees with IBSI's, the IBSI family code computes it; only the ITK-specific
 * definitions are written out here. lib/features/README.md ("A.K. profile") lists every difference.
 *
 * ITK indexes grey levels from 0 (histogram bin index a = grey level − 1). Features that are invariant to
 * a shift of the levels (energy, inverse difference moment, inertia, cluster shade/prominence, ITK's
 * correlation) do not care; ITK's HaralickCorrelation does, so it uses the 0-based index explicitly.
 */
import { InputError } from "../../errors.js";
import { glcmFeaturesOf } from "../texture/glcm.js";
import { glrlmFeaturesOf } from "../texture/glrlm.js";
import type { CountMatrix, Vec3 } from "../texture/common.js";

/** A.K.'s in-plane angles and their unit steps (dx, dy, 0): the order and vectors of IBSI's DIRECTIONS_2D. */
export const ITK_ANGLES: readonly { angle: number; step: Vec3 }[] = [
  { angle: 0, step: [1, 0, 0] },
  { angle: 45, step: [1, 1, 0] },
  { angle: 90, step: [0, 1, 0] },
  { angle: 135, step: [-1, 1, 0] },
];

/** ITK's eight co-occurrence features (HistogramToTextureFeaturesFilter outputs 0–7). */
export interface ItkGlcmFeatures {
  energy: number;
  entropy: number;
  correlation: number;
  inverseDifferenceMoment: number;
  inertia: number;
  clusterShade: number;
  clusterProminence: number;
  haralickCorrelation: number;
}

/** ITK skips relative frequencies at or below this value in the entropy sum. */
export const ITK_ENTROPY_FLOOR = 0.0001;

/**
 * ITK's co-occurrence features of one matrix (counts, Ng × Ng row-major, as glcmMatrix returns; ITK
 * normalises by the total count first). Null for an empty matrix (ITK would return NaN everywhere).
 *
 * - energy, inverseDifferenceMoment, inertia (= IBSI contrast), clusterShade, clusterProminence: as IBSI
 *   (ITK centres shade/prominence on the row-marginal mean for both indices, which is IBSI's μ_i + μ_j for
 *   the symmetric matrices ITK builds).
 * - entropy: −Σ p log2 p over the cells with p > 0.0001 only (ITK's floor).
 * - correlation: Σ (a − μ)(b − μ) p / σ⁴, with μ and σ² the row-marginal mean and variance: ITK divides
 *   by the squared variance, not by σ_x σ_y, so it equals IBSI's correlation divided by σ².
 * - haralickCorrelation: (Σ a b p − m²) / s², where a, b are 0-based bin indices and m, s² are the mean
 *   and population variance of the Ng row-marginal probabilities themselves (m = 1/Ng), over all Ng bins.
 * Degenerate denominators (σ² = 0: a single grey level; s² = 0: all marginal probabilities equal) give 0,
 * as the ITK-derived EnhancedHistogramToTextureFeaturesFilter (MITK) does, instead of ITK's 0/0.
 */
export function itkGlcmFeatures(matrix: Float64Array, nLevels: number): ItkGlcmFeatures | null {
  const ng = nLevels;
  if (!Number.isInteger(ng) || ng < 1 || ng * ng !== matrix.length) {
    throw new InputError(`GLCM has ${matrix.length} elements, which is not Ng × Ng for Ng = ${nLevels}`);
  }
  const ibsi = glcmFeaturesOf(matrix, ng);
  if (!ibsi) return null;
  let total = 0;
  for (let e = 0; e < matrix.length; e++) total += matrix[e];
  const marginal = new Float64Array(ng);
  let entropy = 0, sumAB = 0, mean = 0;
  for (let a = 0; a < ng; a++) {
    for (let b = 0; b < ng; b++) {
      const p = matrix[a * ng + b] / total;
      if (p === 0) continue;
      marginal[a] += p;
      mean += a * p;
      sumAB += a * b * p;
      if (p > ITK_ENTROPY_FLOOR) entropy -= p * Math.log2(p);
    }
  }
  let variance = 0, cov = 0;
  for (let a = 0; a < ng; a++) variance += (a - mean) * (a - mean) * marginal[a];
  for (let a = 0; a < ng; a++) {
    for (let b = 0; b < ng; b++) {
      const p = matrix[a * ng + b] / total;
      if (p !== 0) cov += (a - mean) * (b - mean) * p;
    }
  }
  // Mean and population variance of the marginal probabilities as numbers (ITK's "marginal mean/dev").
  let mMean = 0;
  for (let a = 0; a < ng; a++) mMean += marginal[a];
  mMean /= ng;
  let mVar = 0;
  for (let a = 0; a < ng; a++) mVar += (marginal[a] - mMean) ** 2;
  mVar /= ng;
  return {
    energy: ibsi.cm_energy,
    entropy,
    correlation: variance > 0 ? cov / (variance * variance) : 0,
    inverseDifferenceMoment: ibsi.cm_inv_diff_mom,
    inertia: ibsi.cm_contrast,
    clusterShade: ibsi.cm_clust_shade,
    clusterProminence: ibsi.cm_clust_prom,
    haralickCorrelation: mVar > 0 ? (sumAB - mMean * mMean) / mVar : 0,
  };
}

/** ITK's ten run-length features (HistogramToRunLengthFeaturesFilter outputs 0–9). */
export interface ItkRunLengthFeatures {
  shortRunEmphasis: number;
  longRunEmphasis: number;
  greyLevelNonuniformity: number;
  runLengthNonuniformity: number;
  lowGreyLevelRunEmphasis: number;
  highGreyLevelRunEmphasis: number;
  shortRunLowGreyLevelEmphasis: number;
  shortRunHighGreyLevelEmphasis: number;
  longRunLowGreyLevelEmphasis: number;
  longRunHighGreyLevelEmphasis: number;
}

/**
 * ITK's run-length features of one run-length matrix (grey level × run length in voxels, as glrlmMatrix
 * returns). ITK uses i = grey bin index + 1 and j = run-length bin index + 1 and normalises every feature,
 * including both non-uniformities, by the number of runs: IBSI's definitions of the same ten features.
 * (ITK measures a run as the physical distance from its first to its last voxel and bins it; with bins one
 * step wide starting at 0, bin index + 1 is the number of voxels in the run, which is what is used here.)
 * Null for an empty matrix.
 */
export function itkRunLengthFeatures(matrix: CountMatrix): ItkRunLengthFeatures | null {
  // N_v only enters run percentage, which ITK does not have.
  const f = glrlmFeaturesOf(matrix, 1);
  if (!f) return null;
  return {
    shortRunEmphasis: f.rlm_sre,
    longRunEmphasis: f.rlm_lre,
    greyLevelNonuniformity: f.rlm_glnu,
    runLengthNonuniformity: f.rlm_rlnu,
    lowGreyLevelRunEmphasis: f.rlm_lgre,
    highGreyLevelRunEmphasis: f.rlm_hgre,
    shortRunLowGreyLevelEmphasis: f.rlm_srlge,
    shortRunHighGreyLevelEmphasis: f.rlm_srhge,
    longRunLowGreyLevelEmphasis: f.rlm_lrlge,
    longRunHighGreyLevelEmphasis: f.rlm_lrhge,
  };
}

/**
 * Mean and population standard deviation (divisor n) of per-direction values, as ITK's
 * ScalarImageToTextureFeaturesFilter reports its FeatureMeans / FeatureStandardDeviations over offsets.
 * Any NaN (a direction without pairs) makes both NaN.
 */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, sd: Math.sqrt(ss / n) };
}
