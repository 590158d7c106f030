/** Image and mask readers (DICOM series, NIfTI, DICOM-SEG, RTSTRUCT) and grid checks. */
export type { Volume } from "./volume.js";
export { identityDirection, voxelIndex } from "./volume.js";
export { readDicomSeries, type ReadDicomOptions } from "./dicomSeries.js";
export { readNifti } from "./nifti.js";
export { readMask, fillPolygons, type ReadMaskOptions } from "./mask.js";
export {
  checkSameGrid,
  gridDifference,
  voxelToWorld,
  worldToVoxelFn,
  GRID_TOL_MM,
  GRID_TOL_COSINE,
  type Grid,
} from "./grid.js";
export { writeDicomSeries, uidFromText } from "./writeDicom.js";
export { writeNifti, niftiBytes } from "./writeNifti.js";
