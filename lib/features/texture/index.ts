/**
 * IBSI texture features (GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM) of a discretised ROI, under IBSI's
 * aggregation methods. Keys are MIRP's tags as in the IBSI reference table (`cm_joint_max_3D_avg`,
 * `rlm_sre_2_5D_comb`, `szm_sze_2D` …). Slices run along the k axis of the grid.
 *
 * Aggregation → key suffix (GLCM, GLRLM): 2D_avg → `_2D_avg` (BTW3), 2D_comb → `_2D_comb` (SUJT; MIRP's
 * tag), 2_5D_avg → `_2_5D_avg` (JJUI), 2_5D_comb → `_2_5D_comb` (ZW7Z), 3D_avg → `_3D_avg` (ITBB),
 * 3D_comb → `_3D_comb` (IAZD). GLSZM, GLDZM, NGTDM and NGLDM have one 2-D (8QNN, `_2D`: per slice, averaged),
 * one 2.5-D (62GR, `_2_5D`: slice matrices merged) and one 3-D (KOBO, `_3D`) value; they are computed when
 * any aggregation of that dimensionality is asked for.
 *
 * GLDZM needs the morphological mask (distance to the ROI edge is measured on it): pass `morphMask`
 * (ProcessedRoi.morphMask, same grid as `roi.grey`); without it the intensity mask (grey > 0) is used,
 * which is right whenever there was no re-segmentation.
 *
 * Averaging leaves out matrices that are empty (e.g. a slice with a single ROI voxel has no co-occurring
 * pair); a family/aggregation with no non-empty matrix at all gives NaN values and a message in `warnings`.
 */
import { InputError } from "../../errors.js";
import type { DiscretisedRoi, TextureAggregation } from "../roi.js";
import {
  averageFeatures, checkRoi, countMatrixFromPairs, DIRECTIONS_2D, DIRECTIONS_3D, mergeCountMatrices, suffixed,
  type CountMatrix,
} from "./common.js";
import { glcmFeaturesOf, glcmMatrix, sumMatrices } from "./glcm.js";
import { glrlmFeaturesOf, glrlmMatrix, type RunLengthMatrix } from "./glrlm.js";
import { glszmFeaturesOf, labelZones, type ZoneList } from "./glszm.js";
import { edgeDistanceMap, gldzmFeaturesOf, intensityMaskOf } from "./gldzm.js";
import { mergeNgtdm, ngtdmFeaturesOf, ngtdmMatrix } from "./ngtdm.js";
import { ngldmFeaturesOf, ngldmMatrix } from "./ngldm.js";

export * from "./common.js";
export * from "./glcm.js";
export * from "./glrlm.js";
export * from "./glszm.js";
export * from "./gldzm.js";
export * from "./ngtdm.js";
export * from "./ngldm.js";

export type TextureFamily = "glcm" | "glrlm" | "glszm" | "gldzm" | "ngtdm" | "ngldm";

export const TEXTURE_FAMILIES: readonly TextureFamily[] = ["glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"];
export const TEXTURE_AGGREGATIONS: readonly TextureAggregation[] = [
  "2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb", "3D_avg", "3D_comb",
];

export interface TextureOptions {
  /** Chebyshev distance δ of GLCM, NGTDM and NGLDM (default 1). GLSZM/GLDZM linkage is always 1. */
  distance?: number;
  /** NGLDM coarseness α (default 0). */
  alpha?: number;
  /** Morphological mask for the GLDZM distance map (default: the intensity mask). */
  morphMask?: Uint8Array;
  /** Aggregations to compute (default all six). */
  aggregations?: readonly TextureAggregation[];
  /** Families to compute (default all six). */
  families?: readonly TextureFamily[];
  /** Receives a message for every family/aggregation that could not be computed (value NaN). */
  warnings?: string[];
}

type Rec = Record<string, number> | null;

// Feature names per family, for NaN-filling an aggregation that has no matrix to describe.
const UNIT_COUNT: CountMatrix = { counts: new Float64Array([1]), nLevels: 1, jValues: new Float64Array([1]) };
const KEYS: Record<TextureFamily, string[]> = {
  glcm: Object.keys(glcmFeaturesOf(new Float64Array([1])) as Record<string, number>),
  glrlm: Object.keys(glrlmFeaturesOf(UNIT_COUNT, 1) as Record<string, number>),
  glszm: Object.keys(glszmFeaturesOf(UNIT_COUNT, 1) as Record<string, number>),
  gldzm: Object.keys(gldzmFeaturesOf(UNIT_COUNT, 1) as Record<string, number>),
  ngtdm: Object.keys(ngtdmFeaturesOf({ s: new Float64Array([0]), n: new Float64Array([1]) }) as Record<string, number>),
  ngldm: Object.keys(ngldmFeaturesOf(UNIT_COUNT, 1) as Record<string, number>),
};

/** All requested texture features of `roi`. */
export function textureFeatures(roi: DiscretisedRoi, opts: TextureOptions = {}): Record<string, number> {
  if (checkRoi(roi) === 0) throw new InputError("texture features: the ROI (intensity mask) has no voxels");
  const distance = opts.distance ?? 1;
  const alpha = opts.alpha ?? 0;
  const aggregations = opts.aggregations ?? TEXTURE_AGGREGATIONS;
  const families = opts.families ?? TEXTURE_FAMILIES;
  for (const a of aggregations) {
    if (!TEXTURE_AGGREGATIONS.includes(a)) throw new InputError(`unknown texture aggregation "${a}"`);
  }
  for (const f of families) {
    if (!TEXTURE_FAMILIES.includes(f)) throw new InputError(`unknown texture family "${f}"`);
  }
  if (!Number.isInteger(alpha) || alpha < 0) throw new InputError(`alpha must be a non-negative integer, got ${alpha}`);
  if (opts.morphMask && opts.morphMask.length !== roi.grey.length) {
    throw new InputError(`morphMask has ${opts.morphMask.length} voxels, roi.grey has ${roi.grey.length}`);
  }
  const out: Record<string, number> = {};
  const put = (family: TextureFamily, rec: Rec, suffix: string): void => {
    if (rec) {
      Object.assign(out, suffixed(rec, suffix));
      return;
    }
    opts.warnings?.push(`${family} (${suffix}): no voxel pair/zone/neighbourhood in the ROI; features are NaN`);
    for (const k of KEYS[family]) out[`${k}_${suffix}`] = NaN;
  };
  const has = (a: TextureAggregation): boolean => aggregations.includes(a);
  const dims2D = has("2D_avg") || has("2D_comb");
  const dims25D = has("2_5D_avg") || has("2_5D_comb");
  const dims3D = has("3D_avg") || has("3D_comb");
  const plane = roi.dims[0] * roi.dims[1];
  // Slices that hold ROI voxels; 2-D matrices of the others would be empty anyway.
  const slices: number[] = [];
  for (let k = 0; k < roi.dims[2]; k++) {
    for (let v = k * plane; v < (k + 1) * plane; v++) {
      if (roi.grey[v] > 0) {
        slices.push(k);
        break;
      }
    }
  }

  if (families.includes("glcm")) {
    if (dims2D || dims25D) {
      const m = slices.map((k) => DIRECTIONS_2D.map((direction) => glcmMatrix(roi, { direction, distance, slice: k })));
      const f = (x: Float64Array): Rec => glcmFeaturesOf(x, roi.nLevels);
      if (has("2D_avg")) put("glcm", averageFeatures(m.flat().map(f)), "2D_avg");
      if (has("2D_comb")) put("glcm", averageFeatures(m.map((perDir) => f(sumMatrices(perDir)))), "2D_comb");
      const perDir = DIRECTIONS_2D.map((_, d) => sumMatrices(m.map((s) => s[d])));
      if (has("2_5D_avg")) put("glcm", averageFeatures(perDir.map(f)), "2_5D_avg");
      if (has("2_5D_comb")) put("glcm", f(sumMatrices(perDir)), "2_5D_comb");
    }
    if (dims3D) {
      const m = DIRECTIONS_3D.map((direction) => glcmMatrix(roi, { direction, distance }));
      if (has("3D_avg")) put("glcm", averageFeatures(m.map((x) => glcmFeaturesOf(x, roi.nLevels))), "3D_avg");
      if (has("3D_comb")) put("glcm", glcmFeaturesOf(sumMatrices(m), roi.nLevels), "3D_comb");
    }
  }

  if (families.includes("glrlm")) {
    const f = (x: RunLengthMatrix): Rec => glrlmFeaturesOf(x, x.nVoxels);
    // IBSI: a merged GLRLM's N_v is the sum of the N_v of the merged matrices.
    const merge = (xs: RunLengthMatrix[]): RunLengthMatrix => ({
      ...mergeCountMatrices(xs),
      nVoxels: xs.reduce((s, x) => s + x.nVoxels, 0),
    });
    if (dims2D || dims25D) {
      const m = slices.map((k) => DIRECTIONS_2D.map((direction) => glrlmMatrix(roi, { direction, slice: k })));
      if (has("2D_avg")) put("glrlm", averageFeatures(m.flat().map(f)), "2D_avg");
      if (has("2D_comb")) put("glrlm", averageFeatures(m.map((perDir) => f(merge(perDir)))), "2D_comb");
      const perDir = DIRECTIONS_2D.map((_, d) => merge(m.map((s) => s[d])));
      if (has("2_5D_avg")) put("glrlm", averageFeatures(perDir.map(f)), "2_5D_avg");
      if (has("2_5D_comb")) put("glrlm", f(merge(perDir)), "2_5D_comb");
    }
    if (dims3D) {
      const m = DIRECTIONS_3D.map((direction) => glrlmMatrix(roi, { direction }));
      if (has("3D_avg")) put("glrlm", averageFeatures(m.map(f)), "3D_avg");
      if (has("3D_comb")) put("glrlm", f(merge(m)), "3D_comb");
    }
  }

  const wantSzm = families.includes("glszm");
  const wantDzm = families.includes("gldzm");
  if (wantSzm || wantDzm) {
    const morph = wantDzm ? opts.morphMask ?? intensityMaskOf(roi) : undefined;
    // Zones of both families come from one labelling per dimensionality; GLDZM reads their minimum distance.
    const zoneFamilies = (zones: ZoneList, which?: readonly number[]) => {
      let grey: ArrayLike<number> = zones.grey, size: ArrayLike<number> = zones.size;
      let dist: ArrayLike<number> = zones.minDistance;
      if (which) {
        grey = which.map((z) => zones.grey[z]);
        size = which.map((z) => zones.size[z]);
        dist = which.map((z) => zones.minDistance[z]);
      }
      if (wantDzm) {
        for (let z = 0; z < dist.length; z++) {
          if (dist[z] < 1) throw new InputError("GLDZM: a voxel of the intensity mask lies outside the morphological mask");
        }
      }
      return {
        szm: wantSzm ? countMatrixFromPairs(roi.nLevels, grey, size) : null,
        dzm: wantDzm ? countMatrixFromPairs(roi.nLevels, grey, dist) : null,
      };
    };
    const emit = (szm: Rec, dzm: Rec, suffix: string): void => {
      if (wantSzm) put("glszm", szm, suffix);
      if (wantDzm) put("gldzm", dzm, suffix);
    };
    if (dims2D || dims25D) {
      const distanceMap = morph ? edgeDistanceMap(morph, roi.dims, true) : undefined;
      const zones = labelZones(roi, { planar: true, distanceMap });
      const bySlice = new Map<number, number[]>();
      for (let z = 0; z < zones.n; z++) {
        const k = zones.slice[z];
        if (!bySlice.has(k)) bySlice.set(k, []);
        (bySlice.get(k) as number[]).push(z);
      }
      const nvSlice = (k: number): number => {
        let n = 0;
        for (let v = k * plane; v < (k + 1) * plane; v++) if (roi.grey[v] > 0) n++;
        return n;
      };
      if (dims2D) {
        const szm: Rec[] = [], dzm: Rec[] = [];
        for (const k of slices) {
          const mats = zoneFamilies(zones, bySlice.get(k) ?? []);
          const nv = nvSlice(k);
          szm.push(mats.szm && glszmFeaturesOf(mats.szm, nv));
          dzm.push(mats.dzm && gldzmFeaturesOf(mats.dzm, nv));
        }
        emit(averageFeatures(szm), averageFeatures(dzm), "2D");
      }
      if (dims25D) {
        const mats = zoneFamilies(zones);
        const nv = slices.reduce((s, k) => s + nvSlice(k), 0);
        emit(mats.szm && glszmFeaturesOf(mats.szm, nv), mats.dzm && gldzmFeaturesOf(mats.dzm, nv), "2_5D");
      }
    }
    if (dims3D) {
      const distanceMap = morph ? edgeDistanceMap(morph, roi.dims, false) : undefined;
      const zones = labelZones(roi, { planar: false, distanceMap });
      const mats = zoneFamilies(zones);
      let nv = 0;
      for (let v = 0; v < roi.grey.length; v++) if (roi.grey[v] > 0) nv++;
      emit(mats.szm && glszmFeaturesOf(mats.szm, nv), mats.dzm && gldzmFeaturesOf(mats.dzm, nv), "3D");
    }
  }

  if (families.includes("ngtdm")) {
    if (dims2D || dims25D) {
      const m = slices.map((k) => ngtdmMatrix(roi, { distance, slice: k }));
      if (dims2D) put("ngtdm", averageFeatures(m.map(ngtdmFeaturesOf)), "2D");
      if (dims25D) put("ngtdm", ngtdmFeaturesOf(mergeNgtdm(m)), "2_5D");
    }
    if (dims3D) put("ngtdm", ngtdmFeaturesOf(ngtdmMatrix(roi, { distance })), "3D");
  }

  if (families.includes("ngldm")) {
    if (dims2D || dims25D) {
      const m = slices.map((k) => ngldmMatrix(roi, { distance, alpha, slice: k }));
      if (dims2D) put("ngldm", averageFeatures(m.map((x) => ngldmFeaturesOf(x, x.nVoxels))), "2D");
      if (dims25D) {
        const nv = m.reduce((s, x) => s + x.nVoxels, 0);
        put("ngldm", ngldmFeaturesOf(mergeCountMatrices(m), nv), "2_5D");
      }
    }
    if (dims3D) {
      const x = ngldmMatrix(roi, { distance, alpha });
      put("ngldm", ngldmFeaturesOf(x, x.nVoxels), "3D");
    }
  }
  return out;
}
