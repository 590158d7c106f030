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
import { glcmMatrix, glrlmMatrix, glszmMatrix, DIRECTIONS_3D } from "../lib/features/texture/index.js";
import type { DiscretisedRoi } from "../lib/features/roi.js";
import { twinTables, twinImages } from "../lib/twin/index.js";

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
  textureThroughput();
  twinPatientTimings();
}

/** Best-of-`reps` wall time (ms) of fn, after one warm-up call (JIT). */
function bestOf(fn: () => void, reps: number): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * Issue 4's throughput goal: voxel-direction pairs per second per core for the GLCM, GLRLM and GLSZM
 * matrices on a 64×64×32 and a 256×256×64 VOI (every voxel in the ROI, 32 grey levels drawn i.i.d. —
 * many short runs and tiny zones, the hard case). Pairs = voxels × 13: the GLCM and GLRLM visit every
 * voxel once per each of IBSI's 13 3-D directions; the GLSZM's 26-connected labelling looks at the 13
 * undirected neighbour pairs of every voxel. Single-threaded, so the rate is per core. Goal: ≥ 20 M
 * pairs/s/core, and time growing linearly with the voxel count (the big VOI has 32× the voxels).
 */
function textureThroughput(): void {
  const rng = createRng(11);
  const sizes: [number, number, number][] = [[64, 64, 32], [256, 256, 64]];
  const rows: { family: string; size: string; ms: number; pairs: number }[] = [];
  for (const dims of sizes) {
    const n = dims[0] * dims[1] * dims[2];
    const grey = new Int32Array(n);
    for (let v = 0; v < n; v++) grey[v] = 1 + Math.floor(32 * rng.uniform());
    const roi: DiscretisedRoi = { dims, spacing: [1, 1, 1], grey, nLevels: 32 };
    const reps = n > 1e6 ? 2 : 5;
    const pairs = n * DIRECTIONS_3D.length;
    const size = dims.join("×");
    rows.push({ family: "GLCM", size, pairs, ms: bestOf(() => { for (const d of DIRECTIONS_3D) glcmMatrix(roi, { direction: d }); }, reps) });
    rows.push({ family: "GLRLM", size, pairs, ms: bestOf(() => { for (const d of DIRECTIONS_3D) glrlmMatrix(roi, { direction: d }); }, reps) });
    rows.push({ family: "GLSZM", size, pairs, ms: bestOf(() => glszmMatrix(roi), reps) });
  }
  console.log("texture matrices, 13 directions, 32 i.i.d. grey levels, 1 core (goal ≥ 20 M voxel-direction pairs/s/core):");
  for (const fam of ["GLCM", "GLRLM", "GLSZM"]) {
    const [small, big] = rows.filter((r) => r.family === fam);
    const rate = (r: typeof small) => r.pairs / (r.ms / 1000) / 1e6;
    const scaling = big.ms / small.ms / (big.pairs / small.pairs);
    console.log(
      `  ${fam.padEnd(5)} ${small.size}: ${small.ms.toFixed(1)} ms, ${rate(small).toFixed(1)} M pairs/s; ` +
        `${big.size}: ${big.ms.toFixed(0)} ms, ${rate(big).toFixed(1)} M pairs/s; ` +
        `time per voxel big/small ${scaling.toFixed(2)} (1 = linear)${Math.min(rate(small), rate(big)) >= 20 ? "" : "  BELOW GOAL"}`,
    );
  }
}

/** Time per twin patient: image generation (in memory) and the ak396 profile on its 4 reader masks. */
function twinPatientTimings(): void {
  const tables = twinTables(20210503);
  const ids = tables.clinical.slice(0, 6).map((c) => c.id);
  let gen = 0, extract = 0, voxels = 0;
  for (const id of ids) {
    let t0 = performance.now();
    const [p] = twinImages(tables, { ids: [id] });
    gen += performance.now() - t0;
    t0 = performance.now();
    for (const m of p.masks) {
      extractFeatures(p.image, { ...p.image, data: m.data }, { profile: "ak396" });
      voxels += m.data.reduce((s, v) => s + v, 0);
    }
    extract += performance.now() - t0;
  }
  const k = ids.length;
  console.log(
    `twin patient (mean of ${k}: ${ids.join(", ")}): images + 4 masks generated in ${(gen / k).toFixed(0)} ms; ` +
      `ak396 on the 4 masks ${(extract / k).toFixed(0)} ms (${(extract / k / 4).toFixed(0)} ms per mask, ` +
      `${Math.round(voxels / k / 4)} ROI voxels on average); 113 patients × 4 masks ≈ ${((113 * extract) / k / 1000).toFixed(1)} s on 1 core`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
