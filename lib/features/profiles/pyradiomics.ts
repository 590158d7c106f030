/**
 * pyradiomics-style output: pyradiomics' column names (`original_firstorder_Mean`,
 * `original_glcm_ClusterShade`, `original_shape_Sphericity` …) for the IBSI features that the IBSI
 * reference table maps to pyradiomics (its `pyradiomics_feature` column), under pyradiomics' default
 * settings (`pyradiomics_mode` "3D"):
 * - GLCM and GLRLM: one matrix per 3-D direction (13), features averaged over directions
 *   (pyradiomics' default weightingNorm = None; IBSI "3D, averaged");
 * - GLSZM, NGTDM, GLDM: 3-D (26-connected zones / neighbourhoods, GLDM α = 0); GLCM, NGTDM and GLDM at
 *   `settings.distance` (default 1, pyradiomics' `distances: [1]`);
 * - shape: mesh-based; first order on the raw intensities, Entropy and Uniformity on the grey levels.
 * Transformations from the IBSI value: Kurtosis = IBSI kurtosis + 3 (pyradiomics reports Pearson's, not
 * excess, kurtosis); TotalEnergy = Energy × voxel volume (mm³). lib/features/README.md lists what is not
 * emulated (empty-grey-level removal, MCC, 2-D shape diameters).
 */
import type { ProcessedRoi } from "../roi.js";
import type { ExtractSettings } from "../settings.js";
import { discretise, type DiscretisationOptions } from "../process/discretise.js";
import { morphologyFeatures } from "../morphology.js";
import { statisticsFeatures } from "../statistics.js";
import { histogramFeatures } from "../histogram.js";
import { textureFeatures } from "../texture/index.js";
import { check } from "../../errors.js";

/** pyradiomics' default discretisation: fixed bin width 25. */
export const PYRADIOMICS_DEFAULT_DISCRETISATION: DiscretisationOptions = { method: "FBS", binWidth: 25 };

/** pyradiomics feature (class_Name) → IBSI key as computed here (MIRP tag with its aggregation suffix). */
export const PYRADIOMICS_MAP: Readonly<Record<string, string>> = {
  shape_MeshVolume: "morph_volume",
  shape_VoxelVolume: "morph_vol_approx",
  shape_SurfaceArea: "morph_area_mesh",
  shape_SurfaceVolumeRatio: "morph_av",
  shape_Compactness1: "morph_comp_1",
  shape_Compactness2: "morph_comp_2",
  shape_SphericalDisproportion: "morph_sph_dispr",
  shape_Sphericity: "morph_sphericity",
  shape_Maximum3DDiameter: "morph_diam",
  shape_MajorAxisLength: "morph_pca_maj_axis",
  shape_MinorAxisLength: "morph_pca_min_axis",
  shape_LeastAxisLength: "morph_pca_least_axis",
  shape_Elongation: "morph_pca_elongation",
  shape_Flatness: "morph_pca_flatness",
  firstorder_Mean: "stat_mean",
  firstorder_Variance: "stat_var",
  firstorder_Skewness: "stat_skew",
  firstorder_Kurtosis: "stat_kurt", // + 3
  firstorder_Median: "stat_median",
  firstorder_Minimum: "stat_min",
  firstorder_10Percentile: "stat_p10",
  firstorder_90Percentile: "stat_p90",
  firstorder_Maximum: "stat_max",
  firstorder_InterquartileRange: "stat_iqr",
  firstorder_Range: "stat_range",
  firstorder_MeanAbsoluteDeviation: "stat_mad",
  firstorder_RobustMeanAbsoluteDeviation: "stat_rmad",
  firstorder_Energy: "stat_energy",
  firstorder_RootMeanSquared: "stat_rms",
  firstorder_Entropy: "ih_entropy",
  firstorder_Uniformity: "ih_uniformity",
  glcm_Autocorrelation: "cm_auto_corr_3D_avg",
  glcm_JointAverage: "cm_joint_avg_3D_avg",
  glcm_ClusterProminence: "cm_clust_prom_3D_avg",
  glcm_ClusterShade: "cm_clust_shade_3D_avg",
  glcm_ClusterTendency: "cm_clust_tend_3D_avg",
  glcm_Contrast: "cm_contrast_3D_avg",
  glcm_Correlation: "cm_corr_3D_avg",
  glcm_DifferenceAverage: "cm_diff_avg_3D_avg",
  glcm_DifferenceEntropy: "cm_diff_entr_3D_avg",
  glcm_DifferenceVariance: "cm_diff_var_3D_avg",
  glcm_JointEnergy: "cm_energy_3D_avg",
  glcm_JointEntropy: "cm_joint_entr_3D_avg",
  glcm_Imc1: "cm_info_corr1_3D_avg",
  glcm_Imc2: "cm_info_corr2_3D_avg",
  glcm_Idm: "cm_inv_diff_mom_3D_avg",
  glcm_Idmn: "cm_inv_diff_mom_norm_3D_avg",
  glcm_Id: "cm_inv_diff_3D_avg",
  glcm_Idn: "cm_inv_diff_norm_3D_avg",
  glcm_InverseVariance: "cm_inv_var_3D_avg",
  glcm_MaximumProbability: "cm_joint_max_3D_avg",
  glcm_SumAverage: "cm_sum_avg_3D_avg",
  glcm_SumEntropy: "cm_sum_entr_3D_avg",
  glcm_SumSquares: "cm_joint_var_3D_avg",
  glrlm_ShortRunEmphasis: "rlm_sre_3D_avg",
  glrlm_LongRunEmphasis: "rlm_lre_3D_avg",
  glrlm_GrayLevelNonUniformity: "rlm_glnu_3D_avg",
  glrlm_GrayLevelNonUniformityNormalized: "rlm_glnu_norm_3D_avg",
  glrlm_RunLengthNonUniformity: "rlm_rlnu_3D_avg",
  glrlm_RunLengthNonUniformityNormalized: "rlm_rlnu_norm_3D_avg",
  glrlm_RunPercentage: "rlm_r_perc_3D_avg",
  glrlm_GrayLevelVariance: "rlm_gl_var_3D_avg",
  glrlm_RunVariance: "rlm_rl_var_3D_avg",
  glrlm_RunEntropy: "rlm_rl_entr_3D_avg",
  glrlm_LowGrayLevelRunEmphasis: "rlm_lgre_3D_avg",
  glrlm_HighGrayLevelRunEmphasis: "rlm_hgre_3D_avg",
  glrlm_ShortRunLowGrayLevelEmphasis: "rlm_srlge_3D_avg",
  glrlm_ShortRunHighGrayLevelEmphasis: "rlm_srhge_3D_avg",
  glrlm_LongRunLowGrayLevelEmphasis: "rlm_lrlge_3D_avg",
  glrlm_LongRunHighGrayLevelEmphasis: "rlm_lrhge_3D_avg",
  glszm_SmallAreaEmphasis: "szm_sze_3D",
  glszm_LargeAreaEmphasis: "szm_lze_3D",
  glszm_GrayLevelNonUniformity: "szm_glnu_3D",
  glszm_GrayLevelNonUniformityNormalized: "szm_glnu_norm_3D",
  glszm_SizeZoneNonUniformity: "szm_zsnu_3D",
  glszm_SizeZoneNonUniformityNormalized: "szm_zsnu_norm_3D",
  glszm_ZonePercentage: "szm_z_perc_3D",
  glszm_GrayLevelVariance: "szm_gl_var_3D",
  glszm_ZoneVariance: "szm_zs_var_3D",
  glszm_ZoneEntropy: "szm_zs_entr_3D",
  glszm_LowGrayLevelZoneEmphasis: "szm_lgze_3D",
  glszm_HighGrayLevelZoneEmphasis: "szm_hgze_3D",
  glszm_SmallAreaLowGrayLevelEmphasis: "szm_szlge_3D",
  glszm_SmallAreaHighGrayLevelEmphasis: "szm_szhge_3D",
  glszm_LargeAreaLowGrayLevelEmphasis: "szm_lzlge_3D",
  glszm_LargeAreaHighGrayLevelEmphasis: "szm_lzhge_3D",
  gldm_SmallDependenceEmphasis: "ngl_lde_3D",
  gldm_LargeDependenceEmphasis: "ngl_hde_3D",
  gldm_GrayLevelNonUniformity: "ngl_glnu_3D",
  gldm_DependenceNonUniformity: "ngl_dcnu_3D",
  gldm_DependenceNonUniformityNormalized: "ngl_dcnu_norm_3D",
  gldm_GrayLevelVariance: "ngl_gl_var_3D",
  gldm_DependenceVariance: "ngl_dc_var_3D",
  gldm_DependenceEntropy: "ngl_dc_entr_3D",
  gldm_LowGrayLevelEmphasis: "ngl_lgce_3D",
  gldm_HighGrayLevelEmphasis: "ngl_hgce_3D",
  gldm_SmallDependenceLowGrayLevelEmphasis: "ngl_ldlge_3D",
  gldm_SmallDependenceHighGrayLevelEmphasis: "ngl_ldhge_3D",
  gldm_LargeDependenceLowGrayLevelEmphasis: "ngl_hdlge_3D",
  gldm_LargeDependenceHighGrayLevelEmphasis: "ngl_hdhge_3D",
  ngtdm_Coarseness: "ngt_coarseness_3D",
  ngtdm_Contrast: "ngt_contrast_3D",
  ngtdm_Busyness: "ngt_busyness_3D",
  ngtdm_Complexity: "ngt_complexity_3D",
  ngtdm_Strength: "ngt_strength_3D",
};

/** Value transformations from the IBSI value to pyradiomics' (identity when absent). */
export const PYRADIOMICS_TRANSFORM: Readonly<Record<string, (ibsi: number) => number>> = {
  firstorder_Kurtosis: (k) => k + 3,
};

/**
 * The grey-level discretisation pyradiomics would use. FBS without an explicit lower bound: pyradiomics
 * aligns the bin edges to multiples of the bin width (first edge = floor(min / w) · w, min over the ROI
 * after re-segmentation), where IBSI starts at the minimum or the re-segmentation range.
 */
export function pyradiomicsDiscretisation(roi: ProcessedRoi, d: DiscretisationOptions | undefined): DiscretisationOptions {
  const opts = d ?? PYRADIOMICS_DEFAULT_DISCRETISATION;
  if (opts.method !== "FBS" || opts.lowerBound !== undefined) return opts;
  const w = opts.binWidth as number;
  let min = Infinity;
  for (let i = 0; i < roi.intensity.length; i++) if (roi.intensityMask[i] && roi.intensity[i] < min) min = roi.intensity[i];
  check(Number.isFinite(min), "pyradiomics profile: the intensity mask is empty");
  return { ...opts, lowerBound: Math.floor(min / w) * w };
}

/**
 * pyradiomics-named features (`original_<class>_<Name>`) of a processed ROI.
 * @param settings `discretisation` (default pyradiomics' binWidth 25) for texture and first-order
 *   Entropy/Uniformity
 * @param warnings receives the texture families' messages (empty matrices → NaN)
 */
export function pyradiomicsFeatures(roi: ProcessedRoi, settings: ExtractSettings = {}, warnings: string[] = []): Record<string, number> {
  const disc = discretise(roi, pyradiomicsDiscretisation(roi, settings.discretisation as DiscretisationOptions | undefined));
  const ibsi: Record<string, number> = {
    ...morphologyFeatures(roi),
    ...statisticsFeatures(roi),
    ...histogramFeatures(disc),
    ...textureFeatures(disc, {
      // pyradiomics' `distances` (default [1]) is the same Chebyshev distance for GLCM, NGTDM and GLDM.
      distance: settings.distance ?? 1,
      alpha: 0,
      morphMask: roi.morphMask,
      aggregations: ["3D_avg"],
      families: ["glcm", "glrlm", "glszm", "ngtdm", "ngldm"],
      warnings,
    }),
  };
  const out: Record<string, number> = {};
  for (const [name, key] of Object.entries(PYRADIOMICS_MAP)) {
    const v = ibsi[key];
    const t = PYRADIOMICS_TRANSFORM[name];
    out[`original_${name}`] = t ? t(v) : v;
    if (name === "firstorder_Energy") {
      const voxelVolume = roi.spacing[0] * roi.spacing[1] * roi.spacing[2];
      out.original_firstorder_TotalEnergy = v * voxelVolume;
    }
  }
  return out;
}
