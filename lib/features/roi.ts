/**
 * What feature families compute on, after IBSI image processing (interpolation, re-segmentation,
 * discretisation). Voxel (i, j, k) sits at index i + nx * (j + ny * k); k is the slice axis
 * (2-D and 2.5-D aggregation work slice by slice along k).
 */

/** ROI intensities after processing (before discretisation), with both IBSI masks. */
export interface ProcessedRoi {
  dims: [number, number, number];
  /** Voxel spacing in mm (x, y, z). */
  spacing: [number, number, number];
  /** Intensity of every voxel of the (cropped) grid, inside the ROI or not (local intensity needs outside voxels). */
  intensity: Float64Array;
  /** Intensity mask (after re-segmentation): 1 = in ROI. */
  intensityMask: Uint8Array;
  /** Morphological mask (before re-segmentation): 1 = in ROI. */
  morphMask: Uint8Array;
  /**
   * Re-segmentation range as configured ([low, high], null = open), when one was applied. FBS
   * discretisation and the IVH take their lower bound (and IVH its upper bound) from it, as IBSI says.
   */
  range?: [number | null, number | null];
}

/** Discretised grey levels: 0 outside the intensity mask, 1..nLevels inside. */
export interface DiscretisedRoi {
  dims: [number, number, number];
  spacing: [number, number, number];
  grey: Int32Array;
  nLevels: number;
}

/** Texture aggregation per IBSI: 2D (per slice, averaged or slice-merged), 2.5D, 3D. */
export type TextureAggregation =
  | "2D_avg" // per slice and direction, averaged over both (BTW3)
  | "2D_comb" // per slice, directions merged, averaged over slices (SUJT)
  | "2_5D_avg" // direction-merged over slices: one matrix per direction, averaged (JJUI)
  | "2_5D_comb" // everything merged into one matrix (ZW7Z)
  | "3D_avg" // one matrix per 3-D direction, averaged (ITBB)
  | "3D_comb"; // one matrix over all 13 directions (IAZD)
