/**
 * IBSI local intensity features: the mean intensity in a 1 cm³ sphere (radius 6.20 mm) centred on a
 * voxel, over all image voxels whose centres lie within the sphere (inside the ROI or not; voxels
 * beyond the image edge do not exist and are not counted). Local peak: the highest sphere mean among
 * the ROI voxels with the maximum intensity. Global peak: the highest sphere mean over all ROI voxels.
 *
 * The sphere is decomposed into x-runs, one per (dy, dz) offset, and each run is summed from row
 * prefix sums, so the cost per voxel is the number of runs (~ r² / (sy sz)), not the sphere's volume.
 */
import type { ProcessedRoi } from "./roi.js";
import { LOCAL_INTENSITY_RADIUS } from "./process/crop.js";

export function localIntensityFeatures(roi: ProcessedRoi): Record<string, number> {
  const { dims, spacing, intensity, intensityMask } = roi;
  const [nx, ny, nz] = dims;
  const r = LOCAL_INTENSITY_RADIUS;
  // Runs: for each (dy, dz) within the radius, the half-width in x of the chord.
  const runs: Array<[number, number, number]> = [];
  const ey = Math.floor(r / spacing[1] + 1e-9);
  const ez = Math.floor(r / spacing[2] + 1e-9);
  for (let dz = -ez; dz <= ez; dz++)
    for (let dy = -ey; dy <= ey; dy++) {
      const rest = r * r - (dy * spacing[1]) ** 2 - (dz * spacing[2]) ** 2;
      if (rest < 0) continue;
      let a = 0;
      while (((a + 1) * spacing[0]) ** 2 <= rest) a++;
      runs.push([dy, dz, a]);
    }
  // Prefix sums along x for every (y, z) row.
  const pre = new Float64Array((nx + 1) * ny * nz);
  for (let row = 0; row < ny * nz; row++) {
    let s = 0;
    const base = row * (nx + 1);
    pre[base] = 0;
    for (let i = 0; i < nx; i++) {
      s += intensity[row * nx + i];
      pre[base + i + 1] = s;
    }
  }
  const sphereMean = (idx: number): number => {
    const i = idx % nx;
    const j = Math.floor(idx / nx) % ny;
    const k = Math.floor(idx / (nx * ny));
    let sum = 0;
    let count = 0;
    for (const [dy, dz, a] of runs) {
      const y = j + dy;
      const z = k + dz;
      if (y < 0 || y >= ny || z < 0 || z >= nz) continue;
      const x0 = Math.max(0, i - a);
      const x1 = Math.min(nx - 1, i + a);
      const base = (y + ny * z) * (nx + 1);
      sum += pre[base + x1 + 1] - pre[base + x0];
      count += x1 - x0 + 1;
    }
    return sum / count;
  };
  let maxIntensity = -Infinity;
  for (let idx = 0; idx < intensity.length; idx++) if (intensityMask[idx] && intensity[idx] > maxIntensity) maxIntensity = intensity[idx];
  let local = -Infinity;
  let global = -Infinity;
  for (let idx = 0; idx < intensity.length; idx++) {
    if (!intensityMask[idx]) continue;
    const m = sphereMean(idx);
    if (m > global) global = m;
    if (intensity[idx] === maxIntensity && m > local) local = m;
  }
  return { loc_peak_loc: local, loc_peak_glob: global };
}
