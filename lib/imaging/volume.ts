/**
 * A 3-D image or mask on a world grid (API.md `Volume`). Voxel (i, j, k) is stored at
 * data[i + dims[0] * (j + dims[1] * k)] (x fastest, as NIfTI and DICOM rows within a slice).
 * World position of voxel (i, j, k): origin + direction · (spacing ⊙ [i, j, k]), in mm (LPS for DICOM;
 * NIfTI is converted to LPS on reading so image and mask grids compare directly).
 */
export interface Volume {
  data: Float32Array | Float64Array | Int16Array | Uint8Array | Int32Array | Uint16Array;
  dims: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
  /** Direction cosines, row-major 3×3: columns are the world directions of the i, j, k axes. */
  direction: [number, number, number, number, number, number, number, number, number];
  meta: Record<string, unknown>;
}

export const identityDirection = (): Volume["direction"] => [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Linear index of voxel (i, j, k). */
export const voxelIndex = (v: Pick<Volume, "dims">, i: number, j: number, k: number): number =>
  i + v.dims[0] * (j + v.dims[1] * k);
