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
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
