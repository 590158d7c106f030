/**
 * IBSI 1 digital phantom: every reference value of the morphology, local intensity, intensity
 * statistics, intensity histogram and intensity-volume histogram families
 * (test/fixtures/ibsi/ibsi1_digital_phantom_reference_values.csv, 74 rows).
 * Tolerance: as MIRP's IBSI test, the computed value is rounded to 3 significant digits and must satisfy
 * |x - value| <= tolerance, with the row's own IBSI tolerance (0 = exact after rounding).
 * Phantom rules (README): no interpolation, no re-segmentation, no discretisation (levels are the
 * intensities), identical masks, IVH on the raw intensities.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { parseCsv } from "../lib/table/index.js";
import type { Volume } from "../lib/imaging/volume.js";
import { identityDirection } from "../lib/imaging/volume.js";
import { toProcessedRoi, resegment, discretise, resample, ibsiAxisGrid } from "../lib/features/process/index.js";
import { firstOrderFeatures } from "../lib/features/firstOrder.js";
import { convexHull3d, marchingCubes, meshVolumeArea } from "../lib/features/marchingCubes.js";
import { moranGeary } from "../lib/features/morphology.js";
import type { ProcessedRoi } from "../lib/features/roi.js";

const fixtures = join(root, "test", "fixtures", "ibsi");

/** The phantom as image and mask Volumes (file index i + 5 (j + 4 k), 2 mm voxels). */
function phantom(): { image: Volume; mask: Volume } {
  const t = parseCsv(readFileSync(join(fixtures, "phantom_voxels.csv"), "utf8"), "phantom_voxels.csv");
  const dims: [number, number, number] = [5, 4, 4];
  const img = new Float64Array(80);
  const msk = new Uint8Array(80);
  const col = (n: string) => t.data[n] as Float64Array;
  for (let r = 0; r < t.nRows; r++) {
    const idx = col("i")[r] + 5 * (col("j")[r] + 4 * col("k")[r]);
    img[idx] = col("intensity")[r];
    msk[idx] = col("mask")[r];
  }
  const base = { dims, spacing: [2, 2, 2] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: identityDirection(), meta: {} };
  return { image: { ...base, data: img }, mask: { ...base, data: msk } };
}

const FAMILIES = ["morphology", "local intensity", "intensity-based statistics", "intensity histogram", "intensity-volume histogram"];

/** MIRP's IBSI test compares the value rounded to 3 significant digits. */
const signif3 = (x: number) => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(3)));

test("IBSI digital phantom: first-order and morphological features match every reference row", () => {
  const { image, mask } = phantom();
  const roi = toProcessedRoi(image, mask);
  const disc = discretise(roi, { method: "none" });
  const features = firstOrderFeatures(roi, disc, { ivhDiscretisation: { method: "none" } });

  const ref = parseCsv(readFileSync(join(fixtures, "ibsi1_digital_phantom_reference_values.csv"), "utf8"), "reference");
  const family = ref.data.family as string[];
  const tag = ref.data.mirp_tag as string[];
  const value = ref.data.value as Float64Array;
  const tol = ref.data.tolerance as Float64Array;
  const passed: Record<string, number> = {};
  const total: Record<string, number> = {};
  const failures: string[] = [];
  for (let r = 0; r < ref.nRows; r++) {
    if (!FAMILIES.includes(family[r])) continue;
    total[family[r]] = (total[family[r]] ?? 0) + 1;
    const x = features[tag[r]];
    const ok = typeof x === "number" && Number.isFinite(x) && Math.abs(signif3(x) - value[r]) <= tol[r] + 1e-12 * Math.abs(value[r]);
    if (ok) passed[family[r]] = (passed[family[r]] ?? 0) + 1;
    else failures.push(`${tag[r]}: got ${x} (rounded ${signif3(x)}), reference ${value[r]} ± ${tol[r]}`);
  }
  const nRows = Object.values(total).reduce((a, b) => a + b, 0);
  console.log(`IBSI phantom first-order: ${FAMILIES.map((f) => `${f} ${passed[f] ?? 0}/${total[f] ?? 0}`).join(", ")}`);
  assert.equal(nRows, 74, "expected 74 reference rows in these families");
  assert.deepEqual(failures, [], failures.join("\n"));
});

/** Pseudo-random generator for the property tests below (deterministic). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test("marching cubes: closed, outward-oriented meshes; single voxel is an octahedron", () => {
  // Single voxel of 1 mm: octahedron with vertices 0.5 mm from the centre, volume 4/3 · 0.5³ = 1/6.
  const one = marchingCubes(new Uint8Array([1]), [1, 1, 1], [1, 1, 1]);
  const va = meshVolumeArea(one.vertices, one.faces);
  assert.ok(Math.abs(va.volume - 1 / 6) < 1e-12, `single voxel volume ${va.volume}`); // exact
  const rand = lcg(7);
  for (let rep = 0; rep < 20; rep++) {
    const dims: [number, number, number] = [6, 5, 4];
    const m = new Uint8Array(120).map(() => (rand() < 0.5 ? 1 : 0));
    const mesh = marchingCubes(m, dims, [1, 1, 1]);
    // Every directed edge must appear once and its reverse once: closed and consistently oriented.
    const edges = new Map<string, number>();
    for (let f = 0; f < mesh.faces.length; f += 3) {
      for (let e = 0; e < 3; e++) {
        const k = `${mesh.faces[f + e]},${mesh.faces[f + ((e + 1) % 3)]}`;
        edges.set(k, (edges.get(k) ?? 0) + 1);
      }
    }
    for (const [k, c] of edges) {
      const [a, b] = k.split(",");
      assert.equal(c, 1, `edge ${k} used ${c} times`);
      assert.equal(edges.get(`${b},${a}`), 1, `edge ${k} has no reverse`);
    }
    // Outward orientation gives a positive divergence-theorem volume.
    assert.ok(meshVolumeArea(mesh.vertices, mesh.faces).volume > 0);
  }
});

test("convex hull: contains every vertex, and its vertices give the brute-force maximum diameter", () => {
  const rand = lcg(11);
  for (let rep = 0; rep < 10; rep++) {
    const dims: [number, number, number] = [7, 6, 5];
    const m = new Uint8Array(210).map(() => (rand() < 0.3 ? 1 : 0));
    const mesh = marchingCubes(m, dims, [1, 1, 1]);
    const hull = convexHull3d(mesh.halfVoxel)!;
    const P = mesh.halfVoxel;
    for (let f = 0; f < hull.faces.length; f += 3) {
      const [a, b, c] = [hull.faces[f], hull.faces[f + 1], hull.faces[f + 2]];
      const u = [0, 1, 2].map((t) => P[3 * b + t] - P[3 * a + t]);
      const v = [0, 1, 2].map((t) => P[3 * c + t] - P[3 * a + t]);
      const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
      for (let p = 0; p < P.length / 3; p++) {
        const o = n[0] * (P[3 * p] - P[3 * a]) + n[1] * (P[3 * p + 1] - P[3 * a + 1]) + n[2] * (P[3 * p + 2] - P[3 * a + 2]);
        assert.ok(o <= 0, "a mesh vertex lies outside a hull face"); // exact integer test
      }
    }
    let brute = 0;
    let viaHull = 0;
    const V = mesh.vertices;
    const d = (p: number, q: number) => (V[3 * p] - V[3 * q]) ** 2 + (V[3 * p + 1] - V[3 * q + 1]) ** 2 + (V[3 * p + 2] - V[3 * q + 2]) ** 2;
    for (let p = 0; p < V.length / 3; p++) for (let q = p + 1; q < V.length / 3; q++) brute = Math.max(brute, d(p, q));
    for (const p of hull.vertices) for (const q of hull.vertices) viaHull = Math.max(viaHull, d(p, q));
    assert.equal(viaHull, brute); // exact: same pair
    const hv = meshVolumeArea(mesh.vertices, hull.faces);
    assert.ok(hv.volume >= meshVolumeArea(mesh.vertices, mesh.faces).volume - 1e-9);
  }
});

test("Moran's I and Geary's C: FFT path equals the all-pairs sum", () => {
  const rand = lcg(3);
  const dims: [number, number, number] = [9, 8, 6];
  const n = 9 * 8 * 6;
  const mask = new Uint8Array(n).map(() => (rand() < 0.7 ? 1 : 0));
  const intensity = new Float64Array(n).map((_, i) => (i % 9) + 3 * rand());
  const roi: ProcessedRoi = { dims, spacing: [0.8, 1.1, 2.5], intensity, intensityMask: mask, morphMask: mask };
  const direct = moranGeary(roi, { directMax: Infinity });
  const fft = moranGeary(roi, { directMax: 0 });
  // Tolerance 1e-10 relative: both are exact sums, differing only in rounding.
  assert.ok(Math.abs(fft.moranI - direct.moranI) <= 1e-10 * Math.abs(direct.moranI), `Moran ${fft.moranI} vs ${direct.moranI}`);
  assert.ok(Math.abs(fft.gearyC - direct.gearyC) <= 1e-10 * Math.abs(direct.gearyC), `Geary ${fft.gearyC} vs ${direct.gearyC}`);
});

test("image processing: IBSI grid, re-segmentation, discretisation", () => {
  // CT phantom diagnostics: 204 x 201 x 60 at 0.977 x 0.977 x 3 mm → 2 mm gives 100 x 99 x 90 (IBSI config C).
  assert.deepEqual([ibsiAxisGrid(204, 0.977, 2).n, ibsiAxisGrid(201, 0.977, 2).n, ibsiAxisGrid(60, 3, 2).n], [100, 99, 90]);
  // The new grid is centred on the old one: (n - 1) / 2 maps to (n' - 1) / 2.
  const g = ibsiAxisGrid(5, 2, 3);
  assert.equal(g.n, 4);
  assert.ok(Math.abs(g.start + 1.5 * g.step - 2) < 1e-12);

  const { image, mask } = phantom();
  // Resampling onto the same spacing is the identity (exact).
  const same = resample(image, mask, { spacing: [2, 2, 2], interpolation: "linear" });
  assert.deepEqual(Array.from(same.image.data), Array.from(image.data));
  assert.deepEqual(Array.from(same.mask.data), Array.from(mask.data));
  // Linear interpolation reproduces a linear ramp exactly (1e-9). The cubic B-spline does too away from
  // the edges, where the edge-value padding no longer reaches (its influence decays as 0.27^distance):
  // tolerance 1e-3 at >= 8 voxels from an edge.
  const [rx, ry, rz] = [30, 6, 24];
  const ramp: Volume = { ...image, dims: [rx, ry, rz], data: new Float64Array(rx * ry * rz).map((_, i) => 3 * (i % rx) - 2 * Math.floor(i / (rx * ry))) };
  const rampMask: Volume = { ...ramp, data: new Uint8Array(rx * ry * rz).fill(1) };
  for (const interpolation of ["linear", "cubic"] as const) {
    const r = resample(ramp, rampMask, { spacing: [1.5, 2, 2.5], interpolation });
    const gx = ibsiAxisGrid(rx, 2, 1.5);
    const gz = ibsiAxisGrid(rz, 2, 2.5);
    const margin = interpolation === "linear" ? 0 : 8;
    const tol = interpolation === "linear" ? 1e-9 : 1e-3;
    let checked = 0;
    for (let k = 0; k < r.image.dims[2]; k++)
      for (let i = 0; i < r.image.dims[0]; i++) {
        const x = gx.start + i * gx.step;
        const z = gz.start + k * gz.step;
        if (x < margin || x > rx - 1 - margin || z < margin || z > rz - 1 - margin) continue;
        const v = r.image.data[i + r.image.dims[0] * r.image.dims[1] * k];
        assert.ok(Math.abs(v - (3 * x - 2 * z)) < tol, `${interpolation} ramp at (${i}, 0, ${k}): ${v} vs ${3 * x - 2 * z}`);
        checked++;
      }
    assert.ok(checked > 10);
  }

  const roi = toProcessedRoi(image, mask);
  const rs = resegment(roi, { range: [2, null] });
  let kept = 0;
  for (let i = 0; i < rs.intensityMask.length; i++) kept += rs.intensityMask[i];
  assert.equal(kept, 24); // 74 ROI voxels minus the 50 at intensity 1
  assert.deepEqual(rs.morphMask, roi.morphMask);
  const fbs = discretise(rs, { method: "FBS", binWidth: 2 }); // lower bound 2 from the range
  assert.equal(fbs.nLevels, 3); // 3 → 1, 4 → 2, 6 → 3
  const fbn = discretise(roi, { method: "FBN", bins: 6 });
  const none = discretise(roi, { method: "none" });
  assert.deepEqual(fbn.grey, none.grey); // IBSI: FBN 6 equals no discretisation on the phantom
});

