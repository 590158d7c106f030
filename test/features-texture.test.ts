/**
 * IBSI texture families on the IBSI 1 digital phantom: every GLCM, GLRLM, GLSZM, GLDZM, NGTDM and NGLDM row
 * of the reference table (test/fixtures/ibsi/ibsi1_digital_phantom_reference_values.csv, 408 rows) is
 * computed, rounded to 3 significant digits as MIRP's IBSI test does, and must satisfy
 * |rounded − value| <= tolerance (the CSV's tolerance; 0 for all texture rows, i.e. the rounded value must equal).
 * Phantom: no discretisation, grey level = intensity (1..6, Ng = 6), 0 outside the mask; morph = intensity mask.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCsv } from "../lib/table/index.js";
import { root } from "./helpers.js";
import type { DiscretisedRoi } from "../lib/features/roi.js";
import {
  DIRECTIONS_2D, glcmFeaturesOf, glcmMatrix, glrlmFeaturesOf, glrlmMatrix, glszmMatrix, gldzmMatrix,
  ngldmMatrix, ngtdmMatrix, textureFeatures, edgeDistanceMap,
} from "../lib/features/texture/index.js";

const fixtures = join(root, "test", "fixtures", "ibsi");

function phantom(): DiscretisedRoi {
  const t = parseCsv(readFileSync(join(fixtures, "phantom_voxels.csv"), "utf8"), "phantom_voxels.csv");
  const dims: [number, number, number] = [5, 4, 4];
  const grey = new Int32Array(80);
  const [i, j, k, intensity, mask] = ["i", "j", "k", "intensity", "mask"].map((c) => t.data[c] as Float64Array);
  for (let r = 0; r < t.nRows; r++) {
    grey[i[r] + 5 * (j[r] + 4 * k[r])] = mask[r] === 1 ? intensity[r] : 0;
  }
  return { dims, spacing: [2, 2, 2], grey, nLevels: 6 };
}

/** Python's round(x, 3 - floor(log10|x|) - 1): 3 significant digits, exact ties to even. */
function round3(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log10(Math.abs(x)));
  const digits = 3 - e - 1;
  const s = Math.abs(x).toExponential(25); // enough digits to see an exact binary tie
  const m = /^(\d)\.(\d+)e([+-]\d+)$/.exec(s);
  const viaPrecision = Number(x.toPrecision(3));
  if (!m) return viaPrecision;
  const mant = m[1] + m[2];
  const tail = mant.slice(3);
  if (/^50*$/.test(tail)) {
    // Exact tie: round half to even on the third significant digit.
    const lower = Number(mant.slice(0, 3));
    const kept = lower % 2 === 0 ? lower : lower + 1;
    return Number(`${x < 0 ? "-" : ""}${kept}e${-digits}`);
  }
  return viaPrecision;
}

const FAMILIES = ["GLCM", "GLRLM", "GLSZM", "GLDZM", "NGTDM", "NGLDM"];
const EXPECTED_ROWS: Record<string, number> = { GLCM: 150, GLRLM: 96, GLSZM: 48, GLDZM: 48, NGTDM: 15, NGLDM: 51 };

test("IBSI digital phantom: every texture reference value", () => {
  const ref = parseCsv(
    readFileSync(join(fixtures, "ibsi1_digital_phantom_reference_values.csv"), "utf8"),
    "ibsi1_digital_phantom_reference_values.csv",
  );
  const family = ref.data.family as string[];
  const tag = ref.data.mirp_tag as string[];
  const value = ref.data.value as Float64Array;
  const tolerance = ref.data.tolerance as Float64Array;
  const roi = phantom();
  const warnings: string[] = [];
  const f = textureFeatures(roi, { distance: 1, warnings });
  assert.deepEqual(warnings, []);
  const failures: string[] = [];
  for (const fam of FAMILIES) {
    let n = 0, pass = 0;
    for (let r = 0; r < ref.nRows; r++) {
      if (family[r] !== fam) continue;
      n++;
      const x = f[tag[r]];
      // Tolerance: the CSV's (0 for every texture row): rounded value must equal the reference.
      const ok = typeof x === "number" && Number.isFinite(x) && Math.abs(round3(x) - value[r]) <= tolerance[r];
      if (ok) pass++;
      else failures.push(`${tag[r]}: got ${x} (rounded ${x === undefined ? "-" : round3(x)}), reference ${value[r]} ± ${tolerance[r]}`);
    }
    console.log(`${fam}: ${pass}/${n} reference values within tolerance`);
    assert.equal(n, EXPECTED_ROWS[fam], `${fam}: number of reference rows`);
  }
  assert.deepEqual(failures, [], `${failures.length} texture values out of tolerance:\n${failures.join("\n")}`);
});

test("round3 follows Python's round to 3 significant digits", () => {
  // Tolerance: exact.
  assert.equal(round3(0.51234), 0.512);
  assert.equal(round3(-0.012149), -0.0121);
  assert.equal(round3(1487.6), 1490);
  assert.equal(round3(1.125), 1.12); // exact binary tie → even
  assert.equal(round3(1.375), 1.38);
  assert.equal(round3(0), 0);
});

test("single-matrix building blocks agree with the aggregated entry point", () => {
  // Tolerance: 1e-12 relative (same arithmetic, different route).
  const roi = phantom();
  const all = textureFeatures(roi);
  // 2.5D direction-merged GLCM = volume GLCM per in-plane direction, features averaged over the 4 directions.
  const perDir = DIRECTIONS_2D.map((direction) => glcmFeaturesOf(glcmMatrix(roi, { direction }))!);
  const mean = perDir.reduce((s, r) => s + r.cm_contrast, 0) / 4;
  assert.ok(Math.abs(mean - all.cm_contrast_2_5D_avg) <= 1e-12 * Math.abs(mean));
  // Per-slice GLRLM matrices merged over slices = the volume matrix for an in-plane direction.
  const vol = glrlmMatrix(roi, { direction: [1, 0, 0] });
  const sum = new Float64Array(vol.counts.length);
  for (let k = 0; k < 4; k++) {
    const s = glrlmMatrix(roi, { direction: [1, 0, 0], slice: k });
    s.counts.forEach((c, e) => (sum[e] += c));
  }
  assert.deepEqual(Array.from(sum), Array.from(vol.counts));
  assert.ok(glrlmFeaturesOf(vol, vol.nVoxels)!.rlm_r_perc > 0);
  // Non-symmetric GLCM plus its transpose is the symmetric GLCM.
  const a = glcmMatrix(roi, { direction: [1, 1, 0], symmetric: false });
  const b = glcmMatrix(roi, { direction: [1, 1, 0] });
  for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) assert.equal(a[r * 6 + c] + a[c * 6 + r], b[r * 6 + c]);
  // Zone counts: GLSZM and GLDZM share zones; NGLDM counts every ROI voxel once.
  const szm = glszmMatrix(roi);
  const dzm = gldzmMatrix(roi);
  const zones = (m: { counts: Float64Array }) => m.counts.reduce((s, x) => s + x, 0);
  assert.equal(zones(szm), zones(dzm));
  assert.equal(zones(ngldmMatrix(roi)), 74);
  assert.equal(ngtdmMatrix(roi).n.reduce((s, x) => s + x, 0), 74);
  // The distance map of a 3×3×3 cube: 1 on the surface, 2 at the centre.
  const cube = new Uint8Array(27).fill(1);
  const d = edgeDistanceMap(cube, [3, 3, 3], false);
  assert.equal(d[13], 2);
  assert.equal(d.filter((x) => x === 1).length, 26);
});

test("degenerate input: empty aggregations are NaN with a warning, bad grey levels throw", () => {
  // Tolerance: exact.
  const one: DiscretisedRoi = { dims: [3, 3, 1], spacing: [1, 1, 1], grey: new Int32Array([0, 0, 0, 0, 2, 0, 0, 0, 0]), nLevels: 2 };
  const warnings: string[] = [];
  const f = textureFeatures(one, { warnings });
  assert.ok(Number.isNaN(f.cm_contrast_3D_comb));
  assert.ok(warnings.some((w) => w.startsWith("glcm")));
  assert.equal(f.szm_sze_3D, 1); // one zone of size 1
  assert.equal(f.ngl_dc_perc_3D, 1);
  assert.throws(
    () => textureFeatures({ ...one, grey: new Int32Array([0, 0, 0, 0, 3, 0, 0, 0, 0]) }),
    /outside 0..nLevels/,
  );
  assert.throws(() => glcmMatrix(one, { direction: [0, 0, 1], slice: 0 }), /leaves the slice/);
  assert.throws(() => textureFeatures({ ...one, grey: new Int32Array(9) }), /has no voxels/);
});

test("GLDZM measures distance on the morphological mask", () => {
  // Tolerance: exact (small integers). Intensity mask = centre 3×3 of a 5×5 morphological mask, one slice:
  // the single zone's nearest voxel to the morph edge is 2 steps in, so sde = 1/2² (1 with the intensity mask).
  const grey = new Int32Array(25);
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) grey[x + 5 * y] = 1;
  const roi: DiscretisedRoi = { dims: [5, 5, 1], spacing: [1, 1, 1], grey, nLevels: 1 };
  const morphMask = new Uint8Array(25).fill(1);
  const withMorph = textureFeatures(roi, { families: ["gldzm"], morphMask });
  const without = textureFeatures(roi, { families: ["gldzm"] });
  assert.equal(withMorph.dzm_sde_2D, 0.25);
  assert.equal(withMorph.dzm_sde_3D, 1); // in 3-D the single slice is itself the edge
  assert.equal(without.dzm_sde_2D, 1);
  assert.equal(gldzmMatrix(roi, { slice: 0, morphMask }).jValues[0], 2);
  assert.throws(
    () => textureFeatures(roi, { families: ["gldzm"], morphMask: new Uint8Array(25) }),
    /outside the morphological mask/,
  );
});

