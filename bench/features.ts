/**
 * Feature-extraction timings (not tests): first-order families (incl. mesh, convex hull, Moran's I)
 * and all texture families/aggregations on a 100 × 100 × 30 ROI with 32 grey levels.
 */
import { pathToFileURL } from "node:url";
import { identityDirection } from "../lib/imaging/volume.js";
import { toProcessedRoi, discretise } from "../lib/features/process/index.js";
import { firstOrderFeatures } from "../lib/features/firstOrder.js";
import { textureFeatures } from "../lib/features/texture/index.js";
import { createRng } from "../lib/random/index.js";
import { readDicomSeries, readMask } from "../lib/imaging/index.js";
import { extractFeatures, prepareRoi, type ExtractSettings } from "../lib/features/index.js";
import { moranGeary } from "../lib/features/morphology.js";

/** extractFeatures on the IBSI CT phantom (DICOM + RTSTRUCT) for configurations A–E, with Moran's I apart. */
function ctPhantomTimings(): void {
  const dir = new URL("../test/fixtures/ibsi/ct_phantom/dicom/", import.meta.url).pathname;
  let t0 = performance.now();
  const image = readDicomSeries(dir + "image");
  const mask = readMask(dir + "mask/DCM_RS_00060.dcm", { image, roi: "GTV-1" });
  console.log(`IBSI CT phantom: read DICOM series + RTSTRUCT in ${(performance.now() - t0).toFixed(0)} ms`);
  const resample = (interpolation: "linear" | "cubic", spacing: number[]) => ({ spacing, interpolation, roundIntensities: true });
  const configs: Record<string, ExtractSettings> = {
    A: { textureDimensions: "2D", resegment: { range: [-500, 400] }, discretisation: { method: "FBS", binWidth: 25 } },
    B: { textureDimensions: "2D", resample: resample("linear", [2, 2]), resegment: { range: [-500, 400] }, discretisation: { method: "FBN", bins: 32 } },
    C: { textureDimensions: "3D", resample: resample("linear", [2, 2, 2]), resegment: { range: [-1000, 400] }, discretisation: { method: "FBS", binWidth: 25 }, ivhDiscretisation: { method: "FBS", binWidth: 2.5 } },
    D: { textureDimensions: "3D", resample: resample("linear", [2, 2, 2]), resegment: { outlierSigma: 3 }, discretisation: { method: "FBN", bins: 32 } },
    E: { textureDimensions: "3D", resample: resample("cubic", [2, 2, 2]), resegment: { range: [-1000, 400], outlierSigma: 3 }, discretisation: { method: "FBN", bins: 32 }, ivhDiscretisation: { method: "FBN", bins: 1000 } },
  };
  for (const [name, settings] of Object.entries(configs)) {
    t0 = performance.now();
    const res = extractFeatures(image, mask, settings);
    const total = performance.now() - t0;
    const { roi } = prepareRoi(image, mask, settings);
    t0 = performance.now();
    moranGeary(roi);
    const moran = performance.now() - t0;
    console.log(
      `IBSI CT phantom config ${name}: extractFeatures ${total.toFixed(0)} ms (${Object.keys(res.features).length} values, ` +
        `${res.diagnostics.int_mask_vox_count_reseg_roi} ROI voxels), of which Moran's I / Geary's C ${moran.toFixed(0)} ms`,
    );
  }
}

export function main(): void {
  const rng = createRng(5);
  const dims: [number, number, number] = [110, 110, 40];
  const n = dims[0] * dims[1] * dims[2];
  const img = new Float64Array(n).map(() => Math.round(100 * rng.uniform()));
  const msk = new Uint8Array(n);
  for (let k = 5; k < 35; k++)
    for (let j = 5; j < 105; j++)
      for (let i = 5; i < 105; i++) {
        const r = ((i - 55) / 50) ** 2 + ((j - 55) / 50) ** 2 + ((k - 20) / 15) ** 2;
        if (r <= 1) msk[i + 110 * (j + 110 * k)] = 1;
      }
  const base = { dims, spacing: [1, 1, 2] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: identityDirection(), meta: {} };
  let t0 = performance.now();
  const roi = toProcessedRoi({ ...base, data: img }, { ...base, data: msk });
  const disc = discretise(roi, { method: "FBN", bins: 32 });
  const f = firstOrderFeatures(roi, disc, { ivhDiscretisation: { method: "none" } });
  console.log(`first-order families, ellipsoid ROI in 100×100×30: ${(performance.now() - t0).toFixed(0)} ms, ${Object.keys(f).length} values`);
  t0 = performance.now();
  const tx = textureFeatures(disc, { morphMask: roi.morphMask });
  console.log(`texture families (all aggregations), same ROI, 32 levels: ${(performance.now() - t0).toFixed(0)} ms, ${Object.keys(tx).length} values`);
  ctPhantomTimings();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
