/**
 * Grey level distance zone matrix (IBSI "GLDZM") and its 16 features. Zones are the GLSZM zones of the
 * intensity mask (26-/8-connected); a zone's distance is the smallest distance-to-edge of its voxels,
 * where the distance map comes from the *morphological* mask (IBSI), counted in 6-connected (3-D) or
 * 4-connected in-plane (2-D) steps, 1 for a voxel on the edge. Beyond the grid counts as outside the ROI.
 */
import { InputError } from "../../errors.js";
import type { DiscretisedRoi } from "../roi.js";
import { checkSlice, countMatrixFromPairs, roiVoxelCount, runLikeFeatures, type CountMatrix } from "./common.js";
import { labelZones, type ZoneList, type ZoneMatrix } from "./glszm.js";

/**
 * Distance to the ROI edge for every voxel of `mask` (0 outside): the Manhattan distance to the nearest
 * voxel outside the mask (or beyond the grid), so 1 on the edge. This equals IBSI's count of erosions
 * with the 6- (in-plane: 4-) connected cross that a voxel survives, plus 1. Two raster passes (forward,
 * then backward) give the exact city-block distance transform.
 */
export function edgeDistanceMap(mask: Uint8Array, dims: [number, number, number], planar: boolean): Int32Array {
  const [nx, ny, nz] = dims;
  if (mask.length !== nx * ny * nz) {
    throw new InputError(`morphological mask has ${mask.length} voxels, dims [${dims.join(", ")}] need ${nx * ny * nz}`);
  }
  const plane = nx * ny;
  const big = nx + ny + nz + 1;
  const d = new Int32Array(mask.length);
  for (let z = 0, v = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, v++) {
        if (!mask[v]) continue;
        // Off-grid neighbours count as outside the ROI, i.e. distance 0.
        let m = big;
        const a = x > 0 ? d[v - 1] : 0;
        if (a + 1 < m) m = a + 1;
        const b = y > 0 ? d[v - nx] : 0;
        if (b + 1 < m) m = b + 1;
        if (!planar) {
          const c = z > 0 ? d[v - plane] : 0;
          if (c + 1 < m) m = c + 1;
        }
        d[v] = m;
      }
    }
  }
  for (let z = nz - 1, v = mask.length - 1; z >= 0; z--) {
    for (let y = ny - 1; y >= 0; y--) {
      for (let x = nx - 1; x >= 0; x--, v--) {
        if (!mask[v]) continue;
        let m = d[v];
        const a = x < nx - 1 ? d[v + 1] : 0;
        if (a + 1 < m) m = a + 1;
        const b = y < ny - 1 ? d[v + nx] : 0;
        if (b + 1 < m) m = b + 1;
        if (!planar) {
          const c = z < nz - 1 ? d[v + plane] : 0;
          if (c + 1 < m) m = c + 1;
        }
        d[v] = m;
      }
    }
  }
  return d;
}

/** Intensity-mask voxels (grey > 0) as a mask: the morphological mask when the two are identical. */
export function intensityMaskOf(roi: DiscretisedRoi): Uint8Array {
  const m = new Uint8Array(roi.grey.length);
  for (let v = 0; v < m.length; v++) m[v] = roi.grey[v] > 0 ? 1 : 0;
  return m;
}

export interface GldzmOptions {
  /** One slice (2-D zones and 2-D distances) or, omitted, the volume. */
  slice?: number;
  /** Morphological mask (IBSI: before re-segmentation); default: the intensity mask (grey > 0). */
  morphMask?: Uint8Array;
  /** A precomputed edgeDistanceMap (2-D for a slice, 3-D for the volume); overrides morphMask. */
  distanceMap?: Int32Array;
}

/** GLDZM counts from labelled zones that carry their minimum distance. */
export function gldzmFromZones(nLevels: number, zones: ZoneList, nVoxels: number): ZoneMatrix {
  for (let z = 0; z < zones.n; z++) {
    if (zones.minDistance[z] < 1) {
      throw new InputError("GLDZM: a voxel of the intensity mask lies outside the morphological mask");
    }
  }
  return { ...countMatrixFromPairs(nLevels, zones.grey, zones.minDistance, zones.n), nVoxels };
}

/** GLDZM of one slice or of the volume. */
export function gldzmMatrix(roi: DiscretisedRoi, opts: GldzmOptions = {}): ZoneMatrix {
  const { slice } = opts;
  checkSlice(roi, slice);
  const planar = slice !== undefined;
  const distanceMap = opts.distanceMap ?? edgeDistanceMap(opts.morphMask ?? intensityMaskOf(roi), roi.dims, planar);
  const zones = labelZones(roi, { planar, slice, distanceMap });
  return gldzmFromZones(roi.nLevels, zones, roiVoxelCount(roi, slice));
}

/** The 16 IBSI GLDZM features of one matrix, keyed `dzm_sde` …; null for an empty matrix. */
export function gldzmFeaturesOf(matrix: CountMatrix, nVoxels: number): Record<string, number> | null {
  const f = runLikeFeatures(matrix, nVoxels);
  if (!f) return null;
  return {
    dzm_sde: f.lowJ,
    dzm_lde: f.highJ,
    dzm_lgze: f.lowGrey,
    dzm_hgze: f.highGrey,
    dzm_sdlge: f.lowJLowGrey,
    dzm_sdhge: f.lowJHighGrey,
    dzm_ldlge: f.highJLowGrey,
    dzm_ldhge: f.highJHighGrey,
    dzm_glnu: f.glnu,
    dzm_glnu_norm: f.glnuNorm,
    dzm_zdnu: f.jnu,
    dzm_zdnu_norm: f.jnuNorm,
    dzm_z_perc: f.percentage,
    dzm_gl_var: f.greyVariance,
    dzm_zd_var: f.jVariance,
    dzm_zd_entr: f.entropy,
  };
}
