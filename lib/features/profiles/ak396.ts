/**
 * The A.K. 396-feature profile (GE "Artificial Intelligence Kit", as used by the paper): 42 histogram,
 * 9 form factor, 11 GLSZM, 180 run-length and 154 GLCM features under A.K.'s names
 * (`Variance`, `ClusterShade_angle0_offset7`, `Correlation_AllDirection_offset4`,
 * `HaralickCorrelation_AllDirection_offset7_SD`, `LongRunEmphasis_angle90_offset4` …).
 * A.K.'s definitions are not published; every inferred choice is listed in lib/features/README.md
 * ("A.K. profile"). In short:
 * - grey levels: `settings.discretisation` (default FBN with 256 bins over the ROI's min–max, ITK's default
 *   bin count); histogram-group statistics on the raw intensities;
 * - GLCM / RLM: ITK definitions (./itk.ts), one matrix per in-plane angle (0°, 45°, 90°, 135°) and
 *   offset (1, 4, 7 voxels), counted over all slices of the VOI (in-plane pairs/runs, merged over slices,
 *   as ITK does with a 2-D offset on a 3-D image); `_AllDirection_offsetN` = mean over the four angles,
 *   `_AllDirection_offsetN_SD` = their population SD (ITK's FeatureMeans / FeatureStandardDeviations);
 * - GLCM also has 10 direction-merged Haralick features at offset 1 (154 = 8 × 3 × 6 + 10);
 * - GLSZM: 3-D, 26-connected zones; form factor: mesh-based (marching cubes) morphology.
 * A GLCM without any voxel pair (ROI thinner than the offset) gives NaN values, reported in `warnings`
 * (ITK gives NaN too; the paper replaced such "abnormal values" by the feature's median).
 */
import type { DiscretisedRoi, ProcessedRoi } from "../roi.js";
import type { ExtractSettings } from "../settings.js";
import { discretise, type DiscretisationOptions } from "../process/discretise.js";
import { distributionFeatures, percentileSorted, roiValues } from "../statistics.js";
import { histogramFeatures } from "../histogram.js";
import { convexHull3d, marchingCubes, meshVolumeArea } from "../marchingCubes.js";
import { glcmFeaturesOf, glcmMatrix, sumMatrices } from "../texture/glcm.js";
import { glrlmMatrix } from "../texture/glrlm.js";
import { glszmFeaturesOf, glszmMatrix } from "../texture/glszm.js";
import { checkRoi, type Vec3 } from "../texture/common.js";
import { InputError } from "../../errors.js";
import {
  ITK_ANGLES, itkGlcmFeatures, itkRunLengthFeatures, meanAndSd,
  type ItkGlcmFeatures, type ItkRunLengthFeatures,
} from "./itk.js";

/** A.K.'s offsets (voxels along the angle's step). */
export const AK_OFFSETS: readonly number[] = [1, 4, 7];

/** Default grey-level discretisation of the profile when the settings give none: ITK's 256 bins over min–max. */
export const AK_DEFAULT_DISCRETISATION: DiscretisationOptions = { method: "FBN", bins: 256 };

/** A.K. GLCM feature names → ITK texture feature. */
const GLCM_NAMES: readonly [string, keyof ItkGlcmFeatures][] = [
  ["GLCMEnergy", "energy"],
  ["GLCMEntropy", "entropy"],
  ["Inertia", "inertia"],
  ["Correlation", "correlation"],
  ["InverseDifferenceMoment", "inverseDifferenceMoment"],
  ["ClusterShade", "clusterShade"],
  ["ClusterProminence", "clusterProminence"],
  ["HaralickCorrelation", "haralickCorrelation"],
];

/** A.K. run-length names (ITK's spelling) → ITK run-length feature. */
const RLM_NAMES: readonly [string, keyof ItkRunLengthFeatures][] = [
  ["ShortRunEmphasis", "shortRunEmphasis"],
  ["LongRunEmphasis", "longRunEmphasis"],
  ["GreyLevelNonuniformity", "greyLevelNonuniformity"],
  ["RunLengthNonuniformity", "runLengthNonuniformity"],
  ["LowGreyLevelRunEmphasis", "lowGreyLevelRunEmphasis"],
  ["HighGreyLevelRunEmphasis", "highGreyLevelRunEmphasis"],
  ["ShortRunLowGreyLevelEmphasis", "shortRunLowGreyLevelEmphasis"],
  ["ShortRunHighGreyLevelEmphasis", "shortRunHighGreyLevelEmphasis"],
  ["LongRunLowGreyLevelEmphasis", "longRunLowGreyLevelEmphasis"],
  ["LongRunHighGreyLevelEmphasis", "longRunHighGreyLevelEmphasis"],
];

/** The 10 direction-merged (offset 1) Haralick features of the GLCM group → IBSI GLCM tag. */
const GLCM_MERGED_NAMES: readonly [string, string][] = [
  ["AngularSecondMoment", "cm_energy"],
  ["Contrast", "cm_contrast"],
  ["HaraEntropy", "cm_joint_entr"],
  ["HaraVariance", "cm_joint_var"],
  ["SumAverage", "cm_sum_avg"],
  ["SumVariance", "cm_sum_var"],
  ["SumEntropy", "cm_sum_entr"],
  ["DifferenceVariance", "cm_diff_var"],
  ["DifferenceEntropy", "cm_diff_entr"],
  ["InformationCorrelation1", "cm_info_corr1"],
];

/** Histogram-group percentiles: Percentile5 … Percentile95 in steps of 5. */
const PERCENTILES: readonly number[] = Array.from({ length: 19 }, (_, k) => 5 * (k + 1));

/** Histogram-group names → how each is computed (IBSI statistics key, or a rule below). */
const HISTOGRAM_NAMES: readonly string[] = [
  "MinIntensity", "MaxIntensity", "MeanValue", "MedianIntensity", "Range", "Variance", "StandardDeviation",
  "Skewness", "Kurtosis", "Energy", "RMS", "MeanDeviation", "RelativeDeviation", "InterquartileRange",
  "RobustMeanDeviation", "MedianAbsoluteDeviation", "QuartileCoefficientOfDispersion",
  "CoefficientOfVariation", "HistogramEntropy", "Uniformity", "HistogramMode",
  ...PERCENTILES.map((p) => `Percentile${p}`),
  "Quantile0.025", "Quantile0.975",
];

const FORM_FACTOR_NAMES: readonly string[] = [
  "Sphericity", "SphericalDisproportion", "Compactness1", "Compactness2", "SurfaceArea", "SurfaceVolumeRatio",
  "Maximum3DDiameter", "VolumeMM", "VolumeCC",
];

/** A.K. GLSZM names → IBSI GLSZM tag (3-D zones). */
const GLSZM_NAMES: readonly [string, string][] = [
  ["SmallAreaEmphasis", "szm_sze"],
  ["LargeAreaEmphasis", "szm_lze"],
  ["IntensityVariability", "szm_glnu"],
  ["SizeZoneVariability", "szm_zsnu"],
  ["ZonePercentage", "szm_z_perc"],
  ["LowIntensityEmphasis", "szm_lgze"],
  ["HighIntensityEmphasis", "szm_hgze"],
  ["LowIntensitySmallAreaEmphasis", "szm_szlge"],
  ["HighIntensitySmallAreaEmphasis", "szm_szhge"],
  ["LowIntensityLargeAreaEmphasis", "szm_lzlge"],
  ["HighIntensityLargeAreaEmphasis", "szm_lzhge"],
];

/** `<name>_angleA_offsetN` for the four angles, then `_AllDirection_offsetN` and its `_SD`, per offset. */
function directionalNames(name: string): string[] {
  const out: string[] = [];
  for (const o of AK_OFFSETS) {
    for (const { angle } of ITK_ANGLES) out.push(`${name}_angle${angle}_offset${o}`);
    out.push(`${name}_AllDirection_offset${o}`, `${name}_AllDirection_offset${o}_SD`);
  }
  return out;
}

/** The 396 names in output order: histogram, form factor, GLCM, GLSZM, RLM. */
export const AK396_NAMES: readonly string[] = [
  ...HISTOGRAM_NAMES,
  ...FORM_FACTOR_NAMES,
  ...GLCM_NAMES.flatMap(([n]) => directionalNames(n)),
  ...GLCM_MERGED_NAMES.map(([n]) => n),
  ...GLSZM_NAMES.map(([n]) => n),
  ...RLM_NAMES.flatMap(([n]) => directionalNames(n)),
];

/** Group sizes as the paper reports them. */
export const AK396_GROUPS: Readonly<Record<"histogram" | "formFactor" | "glcm" | "glszm" | "rlm", readonly string[]>> = {
  histogram: HISTOGRAM_NAMES,
  formFactor: FORM_FACTOR_NAMES,
  glcm: [...GLCM_NAMES.flatMap(([n]) => directionalNames(n)), ...GLCM_MERGED_NAMES.map(([n]) => n)],
  glszm: GLSZM_NAMES.map(([n]) => n),
  rlm: RLM_NAMES.flatMap(([n]) => directionalNames(n)),
};

/**
 * The 396 A.K. features of a processed ROI (after resampling / re-segmentation).
 * @param settings `discretisation` is used for every grey-level feature (default FBN 256 when absent)
 * @param warnings receives a message for every value that is NaN (a GLCM without voxel pairs)
 */
export function ak396Features(roi: ProcessedRoi, settings: ExtractSettings = {}, warnings: string[] = []): Record<string, number> {
  const disc = discretise(roi, (settings.discretisation as DiscretisationOptions | undefined) ?? AK_DEFAULT_DISCRETISATION);
  if (checkRoi(disc) === 0) throw new InputError("ak396: the ROI (intensity mask) has no voxels");
  const out: Record<string, number> = {};
  Object.assign(out, histogramGroup(roi, disc));
  Object.assign(out, formFactorGroup(roi));
  Object.assign(out, glcmGroup(disc, warnings));
  Object.assign(out, glszmGroup(disc));
  Object.assign(out, rlmGroup(disc));
  // Output in the documented order (and a guard that the groups produced exactly the listed names).
  const ordered: Record<string, number> = {};
  for (const name of AK396_NAMES) {
    if (!(name in out)) throw new Error(`ak396: internal error, ${name} was not computed`);
    ordered[name] = out[name];
  }
  return ordered;
}

function histogramGroup(roi: ProcessedRoi, disc: DiscretisedRoi): Record<string, number> {
  const values = roiValues(roi);
  const d = distributionFeatures(values);
  const ih = histogramFeatures(disc);
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number> = {
    MinIntensity: d.min,
    MaxIntensity: d.max,
    MeanValue: d.mean,
    MedianIntensity: d.median,
    Range: d.range,
    Variance: d.var,
    StandardDeviation: Math.sqrt(d.var),
    Skewness: d.skew,
    // Pearson's kurtosis (not excess), as MATLAB and pyradiomics report it.
    Kurtosis: d.kurt + 3,
    Energy: d.energy,
    RMS: d.rms,
    MeanDeviation: d.mad,
    RelativeDeviation: d.mad / d.mean,
    InterquartileRange: d.iqr,
    RobustMeanDeviation: d.rmad,
    MedianAbsoluteDeviation: d.medad,
    QuartileCoefficientOfDispersion: d.qcod,
    CoefficientOfVariation: d.cov,
    HistogramEntropy: ih.ih_entropy,
    Uniformity: ih.ih_uniformity,
    HistogramMode: ih.ih_mode,
  };
  for (const p of PERCENTILES) out[`Percentile${p}`] = percentileSorted(sorted, p);
  out["Quantile0.025"] = percentileSorted(sorted, 2.5);
  out["Quantile0.975"] = percentileSorted(sorted, 97.5);
  return out;
}

function formFactorGroup(roi: ProcessedRoi): Record<string, number> {
  const mesh = marchingCubes(roi.morphMask, roi.dims, roi.spacing);
  const { volume: signed, area } = meshVolumeArea(mesh.vertices, mesh.faces);
  const volume = Math.abs(signed);
  const hull = convexHull3d(mesh.halfVoxel);
  // The farthest pair of mesh vertices lies on the convex hull; a flat (coplanar) mesh has no hull, so
  // all vertices are searched then.
  const candidates = hull ? hull.vertices : Int32Array.from({ length: mesh.vertices.length / 3 }, (_, i) => i);
  return {
    Sphericity: Math.cbrt(36 * Math.PI * volume * volume) / area,
    SphericalDisproportion: area / Math.cbrt(36 * Math.PI * volume * volume),
    Compactness1: volume / (Math.sqrt(Math.PI) * Math.pow(area, 1.5)),
    Compactness2: (36 * Math.PI * volume * volume) / (area * area * area),
    SurfaceArea: area,
    SurfaceVolumeRatio: area / volume,
    Maximum3DDiameter: maxDistance(mesh.vertices, candidates),
    VolumeMM: volume,
    VolumeCC: volume / 1000,
  };
}

function maxDistance(vertices: Float64Array, which: Int32Array): number {
  let best = 0;
  for (let p = 0; p < which.length; p++) {
    const a = 3 * which[p];
    for (let q = p + 1; q < which.length; q++) {
      const b = 3 * which[q];
      const d = (vertices[a] - vertices[b]) ** 2 + (vertices[a + 1] - vertices[b + 1]) ** 2 + (vertices[a + 2] - vertices[b + 2]) ** 2;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

const scaled = (step: Vec3, o: number): Vec3 => [step[0] * o, step[1] * o, step[2] * o];

/** Writes the 4 per-angle values, their mean and SD for one feature and offset. */
function putDirectional(out: Record<string, number>, name: string, o: number, perAngle: readonly number[]): void {
  ITK_ANGLES.forEach(({ angle }, k) => (out[`${name}_angle${angle}_offset${o}`] = perAngle[k]));
  const { mean, sd } = meanAndSd(perAngle);
  out[`${name}_AllDirection_offset${o}`] = mean;
  out[`${name}_AllDirection_offset${o}_SD`] = sd;
}

function glcmGroup(disc: DiscretisedRoi, warnings: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const ng = disc.nLevels;
  let offset1: Float64Array[] = [];
  for (const o of AK_OFFSETS) {
    // Whole VOI, in-plane step: pairs within every slice, counted into one matrix (ITK with a 2-D offset).
    const matrices = ITK_ANGLES.map(({ step }) => glcmMatrix(disc, { direction: scaled(step, o), distance: 1, symmetric: true }));
    if (o === 1) offset1 = matrices;
    const feats = matrices.map((m, k) => {
      const f = itkGlcmFeatures(m, ng);
      if (!f) warnings.push(`ak396: no voxel pair at angle ${ITK_ANGLES[k].angle}°, offset ${o} in the ROI; its GLCM features are NaN`);
      return f;
    });
    for (const [name, key] of GLCM_NAMES) putDirectional(out, name, o, feats.map((f) => (f ? f[key] : NaN)));
  }
  const merged = glcmFeaturesOf(sumMatrices(offset1), ng);
  if (!merged) warnings.push("ak396: no voxel pair at offset 1 in the ROI; the direction-merged GLCM features are NaN");
  for (const [name, tag] of GLCM_MERGED_NAMES) out[name] = merged ? merged[tag] : NaN;
  return out;
}

function glszmGroup(disc: DiscretisedRoi): Record<string, number> {
  const m = glszmMatrix(disc);
  // Non-empty: the ROI has at least one voxel, hence one zone.
  const f = glszmFeaturesOf(m, m.nVoxels) as Record<string, number>;
  const out: Record<string, number> = {};
  for (const [name, tag] of GLSZM_NAMES) out[name] = f[tag];
  return out;
}

function rlmGroup(disc: DiscretisedRoi): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of AK_OFFSETS) {
    // A run "with offset o" follows voxels o steps apart (ITK's run-length filter walks by the offset).
    // Every ROI voxel starts or continues a run, so these matrices are never empty.
    const feats = ITK_ANGLES.map(({ step }) => itkRunLengthFeatures(glrlmMatrix(disc, { direction: scaled(step, o) })) as ItkRunLengthFeatures);
    for (const [name, key] of RLM_NAMES) putDirectional(out, name, o, feats.map((f) => f[key]));
  }
  return out;
}
