/**
 * extractFeatures: IBSI image processing and every feature family, in IBSI's order (IBSI 1 manual,
 * "Image processing"):
 *   1. checks: image and mask on the same grid (checkSameGrid's message otherwise), mask not empty;
 *   2. optional resampling of image and mask onto the IBSI grid (in-plane only when `resample.spacing`
 *      has 2 entries); the mask is interpolated and thresholded; intensities optionally rounded;
 *   3. cropping to the ROI with a margin for local intensity, then re-segmentation (range, outlier σ) of the
 *      intensity mask only;
 *   4. morphology on the morphological mask (before re-segmentation), every other family on the
 *      intensity mask; texture and the intensity histogram on the `discretisation` grey levels, the IVH on
 *      `ivhDiscretisation`; GLCM/NGTDM/NGLDM at Chebyshev `distance`.
 *
 * `textureDimensions` picks the texture aggregations: "2D" gives IBSI's 2-D extraction (2D and 2.5D
 * aggregations, as configurations A and B), "3D" the volumetric one (C–E), "all" (default) both.
 *
 * Diagnostics are IBSI's diagnostic values (keys as MIRP's `ibsi_1_chest_config_*.csv`): image and ROI
 * size, spacing, voxel counts and intensities after each step (`_init_`, `_interp_`, `_reseg_`).
 */
import { InputError } from "../errors.js";
import { checkSameGrid, gridDifference, voxelToWorld } from "../imaging/grid.js";
import type { Volume } from "../imaging/volume.js";
import { discretise, resample, resegment, toProcessedRoi } from "./process/index.js";
import { maskBoundingBox } from "./process/crop.js";
import type { ProcessedRoi, TextureAggregation } from "./roi.js";
import { firstOrderFeatures } from "./firstOrder.js";
import { textureFeatures } from "./texture/index.js";
import { resolveSettings, type DiscretisationSettings, type ExtractSettings, type ResolvedSettings } from "./settings.js";
import { ak396Features, AK_DEFAULT_DISCRETISATION } from "./profiles/ak396.js";
import { pyradiomicsFeatures, PYRADIOMICS_DEFAULT_DISCRETISATION } from "./profiles/pyradiomics.js";

export interface ExtractResult {
  /** Feature values keyed by the profile's names (IBSI: MIRP tags such as `cm_joint_max_3D_avg`). */
  features: Record<string, number>;
  /** IBSI diagnostic values (`img_dim_x_init_img`, `int_mask_vox_count_reseg_roi`, …). */
  diagnostics: Record<string, number>;
  /** The settings used, with defaults filled in. */
  settings: ResolvedSettings;
  /** Anything that made a value NaN or changed a default (e.g. an empty texture aggregation). */
  warnings: string[];
}

/** Processed ROI and resolved settings, for callers that want the intermediate result (profiles, notebooks). */
export interface PreparedRoi {
  roi: ProcessedRoi;
  diagnostics: Record<string, number>;
  settings: ResolvedSettings;
  warnings: string[];
}

const AGGREGATIONS: Record<ResolvedSettings["textureDimensions"], TextureAggregation[]> = {
  "2D": ["2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb"],
  "3D": ["3D_avg", "3D_comb"],
  all: ["2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb", "3D_avg", "3D_comb"],
};

/** Features of the ROI `mask` in `image` (same grid), after IBSI processing per `settings`. */
export function extractFeatures(image: Volume, mask: Volume, settings: ExtractSettings = {}): ExtractResult {
  const prep = prepareRoi(image, mask, settings);
  const { roi, diagnostics, warnings } = prep;
  const s = prep.settings;
  let features: Record<string, number>;
  if (s.profile === "ibsi") {
    features = ibsiFeatures(roi, s, warnings);
  } else {
    // The profiles have their own default discretisation (A.K.: FBN 256; pyradiomics: bin width 25 with
    // pyradiomics' bin alignment), so they get the user's discretisation, or none.
    const forProfile: ExtractSettings = { ...s, discretisation: settings.discretisation === undefined ? undefined : s.discretisation };
    if (settings.discretisation === undefined) {
      s.discretisation = { ...(s.profile === "ak396" ? AK_DEFAULT_DISCRETISATION : PYRADIOMICS_DEFAULT_DISCRETISATION) };
    }
    features = s.profile === "ak396" ? ak396Features(roi, forProfile, warnings) : pyradiomicsFeatures(roi, forProfile, warnings);
  }
  return { features, diagnostics, settings: s, warnings };
}

/** IBSI features (MIRP tags) of a processed ROI. */
export function ibsiFeatures(roi: ProcessedRoi, s: ResolvedSettings, warnings: string[] = []): Record<string, number> {
  const disc = discretiseFor(roi, s.discretisation, "settings.discretisation");
  const features = firstOrderFeatures(roi, disc, { ivhDiscretisation: s.ivhDiscretisation });
  for (const [k, v] of Object.entries(features)) if (!Number.isFinite(v)) warnings.push(`${k} is ${v}`);
  Object.assign(
    features,
    textureFeatures(disc, {
      distance: s.distance,
      alpha: 0,
      morphMask: roi.morphMask,
      aggregations: AGGREGATIONS[s.textureDimensions],
      warnings,
    }),
  );
  return features;
}

/** Discretises with the parameter name in any error message. */
function discretiseFor(roi: ProcessedRoi, d: DiscretisationSettings, where: string) {
  try {
    return discretise(roi, d);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${where}: ${e.message}`);
    throw e;
  }
}

/**
 * Steps 1–3 of extractFeatures: validation, resampling, cropping and re-segmentation, with diagnostics.
 * The returned ROI is what every feature family (and the ak396 / pyradiomics profiles) computes on.
 */
export function prepareRoi(image: Volume, mask: Volume, settings: ExtractSettings = {}): PreparedRoi {
  const s = resolveSettings(settings);
  const warnings: string[] = [];
  checkVolume(image, "image");
  checkVolume(mask, "mask");
  checkMaskGrid(image, mask);

  // Binarise the mask first, so that a label map or a 0/255 mask interpolates as a 0/1 partial volume.
  const n = mask.data.length;
  const bin = new Uint8Array(n);
  let nRoi = 0;
  for (let i = 0; i < n; i++) {
    if (mask.data[i] >= 0.5) {
      bin[i] = 1;
      nRoi++;
    }
  }
  if (nRoi === 0) throw new InputError("mask is empty: no voxel has a value >= 0.5");
  let img: Volume = image;
  let msk: Volume = { ...mask, data: bin };

  const diagnostics: Record<string, number> = {};
  imageDiagnostics(diagnostics, img, "init");
  roiDiagnostics(diagnostics, img, bin, bin, "init");

  if (s.resample) {
    ({ image: img, mask: msk } = resample(img, msk, s.resample));
  }
  imageDiagnostics(diagnostics, img, "interp");
  const mBin = msk.data as Uint8Array;
  roiDiagnostics(diagnostics, img, mBin, mBin, "interp");
  let nAfter = 0;
  for (let i = 0; i < mBin.length; i++) nAfter += mBin[i];
  if (nAfter === 0) {
    throw new InputError(
      `mask is empty after resampling to ${s.resample?.spacing.join(" × ")} mm with threshold ${s.resample?.maskThreshold}: ` +
        "the ROI is smaller than the new voxels; use a finer settings.resample.spacing or a lower maskThreshold",
    );
  }

  let roi = toProcessedRoi(img, msk);
  if (s.resegment) {
    try {
      roi = resegment(roi, s.resegment);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`settings.resegment: ${e.message}`);
      throw e;
    }
  }
  roiDiagnostics(diagnostics, roi, roi.intensityMask, roi.morphMask, "reseg", img.dims);

  // IVH default "none" needs integer intensities; for other images (MR, unrounded interpolation) fall back
  // to 1000 bins (IBSI's "arbitrary units" case) rather than fail.
  if (settings.ivhDiscretisation === undefined) {
    let integer = true;
    for (let i = 0; i < roi.intensity.length && integer; i++) {
      if (roi.intensityMask[i] && !Number.isInteger(roi.intensity[i])) integer = false;
    }
    if (!integer) {
      s.ivhDiscretisation = { method: "FBN", bins: 1000 };
      warnings.push("ivhDiscretisation: ROI intensities are not integers, so the IVH uses FBN with 1000 bins");
    }
  }
  return { roi, diagnostics, settings: s, warnings };
}

function checkVolume(v: Volume, what: string): void {
  if (!v || typeof v !== "object" || !v.data || !Array.isArray(v.dims)) {
    throw new InputError(`${what} must be a Volume { data, dims, spacing, origin, direction }`);
  }
  const [nx, ny, nz] = v.dims;
  if (![nx, ny, nz].every((d) => Number.isInteger(d) && d > 0)) throw new InputError(`${what}.dims must be three positive integers, got ${JSON.stringify(v.dims)}`);
  if (v.data.length !== nx * ny * nz) {
    throw new InputError(`${what}.data has ${v.data.length} voxels but ${what}.dims ${v.dims.join("×")} need ${nx * ny * nz}`);
  }
  if (!Array.isArray(v.spacing) || v.spacing.length !== 3 || !v.spacing.every((x) => Number.isFinite(x) && x > 0)) {
    throw new InputError(`${what}.spacing must be three positive numbers (mm), got ${JSON.stringify(v.spacing)}`);
  }
}

/**
 * Same grid, or a clear error: a mask that does not even overlap the image is reported as "outside the
 * image" (the usual cause is a mask from another patient or series), otherwise checkSameGrid says how the
 * grids differ.
 */
function checkMaskGrid(image: Volume, mask: Volume): void {
  if (!gridDifference(mask, image)) return;
  const ext = (v: Volume, sel?: ArrayLike<number>) => {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    const [nx, ny, nz] = v.dims;
    const corners: [number, number, number][] = [];
    if (sel) {
      // Bounding box of the ROI voxels (in voxel indices), then its corners.
      const box = maskBoundingBox(sel, v.dims);
      if (box === null) return null;
      const { lo: a, hi: b } = box;
      for (const i of [a[0] - 0.5, b[0] + 0.5]) for (const j of [a[1] - 0.5, b[1] + 0.5]) for (const k of [a[2] - 0.5, b[2] + 0.5]) corners.push([i, j, k]);
    } else {
      for (const i of [-0.5, nx - 0.5]) for (const j of [-0.5, ny - 0.5]) for (const k of [-0.5, nz - 0.5]) corners.push([i, j, k]);
    }
    for (const c of corners) {
      const p = voxelToWorld(v, c[0], c[1], c[2]);
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a], p[a]);
        hi[a] = Math.max(hi[a], p[a]);
      }
    }
    return { lo, hi };
  };
  const roiBox = ext(mask, mask.data);
  const imgBox = ext(image);
  if (roiBox && imgBox) {
    const overlaps = [0, 1, 2].every((a) => roiBox.lo[a] < imgBox.hi[a] && roiBox.hi[a] > imgBox.lo[a]);
    if (!overlaps) {
      const f = (v: number[]) => v.map((x) => x.toFixed(1)).join(", ");
      throw new InputError(
        `mask ROI lies outside the image: ROI spans (${f(roiBox.lo)}) to (${f(roiBox.hi)}) mm, ` +
          `the image (${f(imgBox.lo)}) to (${f(imgBox.hi)}) mm`,
      );
    }
  }
  checkSameGrid(mask, image);
}

function imageDiagnostics(d: Record<string, number>, v: Volume, step: string): void {
  const axes = ["x", "y", "z"];
  for (let a = 0; a < 3; a++) {
    d[`img_dim_${axes[a]}_${step}_img`] = v.dims[a];
    d[`vox_dim_${axes[a]}_${step}_img`] = v.spacing[a];
  }
  let sum = 0, min = Infinity, max = -Infinity;
  const x = v.data;
  for (let i = 0; i < x.length; i++) {
    const y = x[i];
    sum += y;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  d[`mean_int_${step}_img`] = sum / x.length;
  d[`min_int_${step}_img`] = min;
  d[`max_int_${step}_img`] = max;
}

/** ROI diagnostics: grid size, bounding boxes and voxel counts of both masks, intensities in the intensity mask. */
function roiDiagnostics(
  d: Record<string, number>,
  v: { dims: [number, number, number]; data?: Volume["data"]; intensity?: Float64Array },
  intMask: Uint8Array,
  morphMask: Uint8Array,
  step: string,
  gridDims: [number, number, number] = v.dims,
): void {
  const axes = ["x", "y", "z"];
  const values = (v.intensity ?? v.data) as ArrayLike<number>;
  const box = (m: Uint8Array) => {
    const [nx, ny] = v.dims;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-1, -1, -1];
    let count = 0;
    for (let idx = 0; idx < m.length; idx++) {
      if (!m[idx]) continue;
      count++;
      const i = idx % nx;
      const j = ((idx - i) / nx) % ny;
      const k = Math.floor(idx / (nx * ny));
      if (i < lo[0]) lo[0] = i;
      if (i > hi[0]) hi[0] = i;
      if (j < lo[1]) lo[1] = j;
      if (j > hi[1]) hi[1] = j;
      if (k < lo[2]) lo[2] = k;
      if (k > hi[2]) hi[2] = k;
    }
    return { size: [0, 1, 2].map((a) => (count ? hi[a] - lo[a] + 1 : 0)), count };
  };
  const ib = box(intMask);
  const mb = box(morphMask);
  for (let a = 0; a < 3; a++) {
    d[`int_mask_dim_${axes[a]}_${step}_roi`] = gridDims[a];
    d[`int_mask_bb_dim_${axes[a]}_${step}_roi`] = ib.size[a];
    d[`morph_mask_bb_dim_${axes[a]}_${step}_roi`] = mb.size[a];
  }
  d[`int_mask_vox_count_${step}_roi`] = ib.count;
  d[`morph_mask_vox_count_${step}_roi`] = mb.count;
  let sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < intMask.length; i++) {
    if (!intMask[i]) continue;
    const y = values[i];
    sum += y;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  d[`int_mask_mean_int_${step}_roi`] = ib.count ? sum / ib.count : NaN;
  d[`int_mask_min_int_${step}_roi`] = ib.count ? min : NaN;
  d[`int_mask_max_int_${step}_roi`] = ib.count ? max : NaN;
}
