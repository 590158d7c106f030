/**
 * Feature-name profiles: the paper's A.K. 396-feature profile and pyradiomics-style naming.
 * - ak396 on the IBSI digital phantom (5 × 4 × 4 voxels, grey levels = intensities) and on a synthetic
 *   ellipsoid ROI: exactly the 396 documented names (42/9/154/11/180) including the paper's eight;
 *   `_AllDirection_offsetN` / `_SD` equal the mean / population SD of the four angles (exact: same arithmetic);
 *   finite everywhere on the ellipsoid; on the phantom, NaN exactly for the GLCMs that have no voxel pair
 *   (the phantom is 4 voxels high, 5 wide: offsets 4 and 7 leave the ROI), each reported in `warnings`.
 * - ITK definitions hand-checked on a 4 × 3 image: one GLCM and one run-length matrix written out by hand,
 *   features as exact fractions (tolerance 1e-12 relative, i.e. rounding only).
 * - pyradiomics names on the phantom: every row of the IBSI reference table with pyradiomics_mode "3D"
 *   (pyradiomics' default settings; 108 rows) equals the IBSI value after the documented transformation
 *   (Kurtosis − 3 → IBSI's excess kurtosis), compared as the IBSI tests do: rounded to 3 significant
 *   digits, within the row's tolerance.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, close } from "./helpers.js";
import { parseCsv } from "../lib/table/index.js";
import type { Volume } from "../lib/imaging/volume.js";
import { identityDirection } from "../lib/imaging/volume.js";
import { toProcessedRoi, discretise } from "../lib/features/process/index.js";
import type { ProcessedRoi } from "../lib/features/roi.js";
import { glcmFeaturesOf, glcmMatrix, glrlmMatrix } from "../lib/features/texture/index.js";
import { histogramFeatures } from "../lib/features/histogram.js";
import { ak396Features, AK396_NAMES, AK396_GROUPS, AK_OFFSETS } from "../lib/features/profiles/ak396.js";
import { ITK_ANGLES, itkGlcmFeatures, itkRunLengthFeatures } from "../lib/features/profiles/itk.js";
import { pyradiomicsFeatures, PYRADIOMICS_MAP } from "../lib/features/profiles/pyradiomics.js";

const fixtures = join(root, "test", "fixtures", "ibsi");

const PAPER_EIGHT = [
  "Variance",
  "ClusterShade_angle0_offset7",
  "Correlation_AllDirection_offset4",
  "Correlation_angle90_offset7",
  "HaralickCorrelation_AllDirection_offset7_SD",
  "GLCMEntropy_angle90_offset4",
  "InverseDifferenceMoment_AllDirection_offset1_SD",
  "LongRunEmphasis_angle90_offset4",
];
const GLCM_FEATURES = [
  "GLCMEnergy", "GLCMEntropy", "Inertia", "Correlation", "InverseDifferenceMoment", "ClusterShade",
  "ClusterProminence", "HaralickCorrelation",
];
const RLM_FEATURES = [
  "ShortRunEmphasis", "LongRunEmphasis", "GreyLevelNonuniformity", "RunLengthNonuniformity",
  "LowGreyLevelRunEmphasis", "HighGreyLevelRunEmphasis", "ShortRunLowGreyLevelEmphasis",
  "ShortRunHighGreyLevelEmphasis", "LongRunLowGreyLevelEmphasis", "LongRunHighGreyLevelEmphasis",
];
const ANGLES = [0, 45, 90, 135];

function volume(dims: [number, number, number], spacing: [number, number, number], data: Float64Array | Uint8Array): Volume {
  return { dims, spacing, origin: [0, 0, 0], direction: identityDirection(), meta: {}, data };
}

function phantomRoi(): ProcessedRoi {
  const t = parseCsv(readFileSync(join(fixtures, "phantom_voxels.csv"), "utf8"), "phantom_voxels.csv");
  const img = new Float64Array(80);
  const msk = new Uint8Array(80);
  const col = (n: string) => t.data[n] as Float64Array;
  for (let r = 0; r < t.nRows; r++) {
    const idx = col("i")[r] + 5 * (col("j")[r] + 4 * col("k")[r]);
    img[idx] = col("intensity")[r];
    msk[idx] = col("mask")[r];
  }
  return toProcessedRoi(volume([5, 4, 4], [2, 2, 2], img), volume([5, 4, 4], [2, 2, 2], msk));
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** An ellipsoid (semi-axes 10, 8, 3.6 voxels) in a 26 × 22 × 10 grid, smooth pattern plus noise. */
function ellipsoidRoi(): ProcessedRoi {
  const dims: [number, number, number] = [26, 22, 10];
  const spacing: [number, number, number] = [0.8, 0.8, 2.5];
  const n = dims[0] * dims[1] * dims[2];
  const img = new Float64Array(n);
  const msk = new Uint8Array(n);
  const rnd = lcg(7);
  for (let k = 0; k < dims[2]; k++) {
    for (let j = 0; j < dims[1]; j++) {
      for (let i = 0; i < dims[0]; i++) {
        const v = i + dims[0] * (j + dims[1] * k);
        img[v] = 100 + 40 * Math.sin(i / 3) + 30 * Math.cos(j / 4) + 10 * k + 20 * rnd();
        const q = ((i - 12.5) / 10) ** 2 + ((j - 10.5) / 8) ** 2 + ((k - 4.5) / 3.6) ** 2;
        msk[v] = q <= 1 ? 1 : 0;
      }
    }
  }
  return toProcessedRoi(volume(dims, spacing, img), volume(dims, spacing, msk));
}

/** The mean / population SD arithmetic of the profile, written out for the four angles. */
function meanSd(x: number[]): [number, number] {
  let s = 0;
  for (const v of x) s += v;
  const m = s / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) * (v - m);
  return [m, Math.sqrt(ss / x.length)];
}

function checkNamesAndAggregates(f: Record<string, number>, label: string): void {
  const names = Object.keys(f);
  assert.equal(names.length, 396, `${label}: ${names.length} features`);
  assert.equal(new Set(names).size, 396, `${label}: names are not unique`);
  assert.deepEqual(names, [...AK396_NAMES], `${label}: names differ from AK396_NAMES`);
  for (const name of PAPER_EIGHT) assert.ok(name in f, `${label}: the paper's ${name} is missing`);
  assert.equal(AK396_GROUPS.histogram.length, 42);
  assert.equal(AK396_GROUPS.formFactor.length, 9);
  assert.equal(AK396_GROUPS.glszm.length, 11);
  assert.equal(AK396_GROUPS.rlm.length, 180);
  assert.equal(AK396_GROUPS.glcm.length, 154);
  // AllDirection and SD: exact (identical arithmetic), NaN when any angle is NaN.
  for (const feature of [...GLCM_FEATURES, ...RLM_FEATURES]) {
    for (const o of AK_OFFSETS) {
      const per = ANGLES.map((a) => f[`${feature}_angle${a}_offset${o}`]);
      const [m, sd] = meanSd(per);
      const all = f[`${feature}_AllDirection_offset${o}`];
      const allSd = f[`${feature}_AllDirection_offset${o}_SD`];
      if (per.some(Number.isNaN)) {
        assert.ok(Number.isNaN(all) && Number.isNaN(allSd), `${label}: ${feature} offset ${o} should be NaN`);
      } else {
        assert.equal(all, m, `${label}: ${feature}_AllDirection_offset${o}`);
        assert.equal(allSd, sd, `${label}: ${feature}_AllDirection_offset${o}_SD`);
      }
    }
  }
}

test("ak396 on the IBSI digital phantom: 396 names, aggregates, NaN exactly where a GLCM has no pair", () => {
  const roi = phantomRoi();
  const warnings: string[] = [];
  const f = ak396Features(roi, { discretisation: { method: "none" } }, warnings);
  checkNamesAndAggregates(f, "phantom");
  // Which (angle, offset) GLCMs have no in-plane pair: counted by brute force over the ROI.
  const [nx, ny, nz] = roi.dims;
  const inRoi = (i: number, j: number, k: number) =>
    i >= 0 && j >= 0 && i < nx && j < ny && roi.intensityMask[i + nx * (j + ny * k)] === 1;
  const steps: Record<number, [number, number]> = { 0: [1, 0], 45: [1, 1], 90: [0, 1], 135: [-1, 1] };
  const expectedNaN = new Set<string>();
  let emptyMatrices = 0;
  for (const o of AK_OFFSETS) {
    let anyEmpty = false;
    for (const a of ANGLES) {
      let pairs = 0;
      for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
        if (inRoi(i, j, k) && inRoi(i + steps[a][0] * o, j + steps[a][1] * o, k)) pairs++;
      }
      if (pairs > 0) continue;
      anyEmpty = true;
      emptyMatrices++;
      for (const g of GLCM_FEATURES) expectedNaN.add(`${g}_angle${a}_offset${o}`);
    }
    if (anyEmpty) for (const g of GLCM_FEATURES) expectedNaN.add(`${g}_AllDirection_offset${o}`).add(`${g}_AllDirection_offset${o}_SD`);
  }
  assert.equal(emptyMatrices, 7, "phantom: offsets 4 (45°, 90°, 135°) and 7 (all angles) have no pair");
  const nan = Object.keys(f).filter((k) => !Number.isFinite(f[k]));
  assert.deepEqual(nan.sort(), [...expectedNaN].sort());
  for (const k of nan) assert.ok(Number.isNaN(f[k]), `${k} should be NaN, not ${f[k]}`);
  assert.equal(warnings.length, emptyMatrices, warnings.join("\n"));
  // Histogram Variance is IBSI's intensity variance (phantom reference 3.05, tolerance as the IBSI rows).
  assert.equal(Number(f.Variance.toPrecision(3)), 3.05);
});

test("ak396 on a synthetic ellipsoid: 396 finite values (FBN 32 and the default FBN 256)", () => {
  const roi = ellipsoidRoi();
  for (const settings of [{ discretisation: { method: "FBN" as const, bins: 32 } }, {}]) {
    const warnings: string[] = [];
    const f = ak396Features(roi, settings, warnings);
    const label = `ellipsoid ${JSON.stringify(settings)}`;
    checkNamesAndAggregates(f, label);
    const bad = Object.entries(f).filter(([, v]) => !Number.isFinite(v)).map(([k, v]) => `${k}=${v}`);
    assert.deepEqual(bad, [], `${label}: non-finite ${bad.join(", ")}`);
    assert.deepEqual(warnings, []);
  }
  // ITK's correlation is IBSI's correlation divided by the marginal variance (tolerance 1e-12 relative).
  const disc = discretise(roi, { method: "FBN", bins: 32 });
  for (const { step } of ITK_ANGLES) {
    const m = glcmMatrix(disc, { direction: step, distance: 1 });
    const itk = itkGlcmFeatures(m, 32)!;
    const ibsi = glcmFeaturesOf(m, 32)!;
    close(itk.correlation, ibsi.cm_corr / ibsi.cm_joint_var, { rel: 1e-12 }, `correlation at step ${step}`);
  }
});

// The hand-checked 4 × 3 image (one slice), grey levels 1..3; rows j = 0, 1, 2 from top.
const TINY = [
  [1, 1, 2, 3],
  [1, 2, 2, 3],
  [3, 3, 1, 1],
];

function tinyRoi(rows: number[][]): ProcessedRoi {
  const nx = rows[0].length, ny = rows.length;
  const intensity = new Float64Array(nx * ny);
  rows.forEach((r, j) => r.forEach((g, i) => (intensity[i + nx * j] = g)));
  const mask = new Uint8Array(nx * ny).fill(1);
  return { dims: [nx, ny, 1], spacing: [1, 1, 1], intensity, intensityMask: mask, morphMask: mask };
}

test("ITK co-occurrence features, hand-checked on a 4 × 3 image (angle 0°, offset 1)", () => {
  const roi = tinyRoi(TINY);
  const disc = discretise(roi, { method: "none" });
  // Horizontal neighbours, both orders: (1,1)×2, (1,2)×2, (2,3)×2, (2,2), (3,3), (3,1) → 9 pairs, 18 counts.
  const hand = [
    4, 2, 1,
    2, 2, 2,
    1, 2, 2,
  ];
  assert.deepEqual(Array.from(glcmMatrix(disc, { direction: [1, 0, 0], distance: 1 })), hand);
  const f = itkGlcmFeatures(Float64Array.from(hand), 3)!;
  // p = counts / 18; ITK's 0-based indices a, b; row marginal (7, 6, 5)/18, mean 8/9, variance 53/81.
  const expected = {
    energy: 42 / 324, // (16 + 6·4 + 2·1) / 18²
    entropy: (4 / 18) * Math.log2(18 / 4) + 6 * (2 / 18) * Math.log2(18 / 2) + 2 * (1 / 18) * Math.log2(18),
    correlation: (17 / 81) / ((53 / 81) * (53 / 81)), // cov = E[ab] − μ² = 1 − 64/81, over variance²
    inverseDifferenceMoment: (8 + 8 / 2 + 2 / 5) / 18,
    inertia: (8 * 1 + 2 * 4) / 18,
    clusterShade: 200 / 729, // Σ (a + b − 16/9)³ p
    clusterProminence: 12044 / 2187, // Σ (a + b − 16/9)⁴ p
    // (Σ a b p − (1/3)²) / var(7/18, 6/18, 5/18) = (1 − 1/9) / (1/486)
    haralickCorrelation: 432,
  };
  for (const [k, v] of Object.entries(expected)) close(f[k as keyof typeof f], v, { rel: 1e-12 }, `ITK ${k}`);
  // The profile wires angle 0, offset 1 to this matrix.
  const ak = ak396Features(roi, { discretisation: { method: "none" } });
  close(ak.GLCMEnergy_angle0_offset1, expected.energy, { rel: 1e-12 }, "GLCMEnergy_angle0_offset1");
  close(ak.GLCMEntropy_angle0_offset1, expected.entropy, { rel: 1e-12 }, "GLCMEntropy_angle0_offset1");
  close(ak.Correlation_angle0_offset1, expected.correlation, { rel: 1e-12 }, "Correlation_angle0_offset1");
  close(ak.InverseDifferenceMoment_angle0_offset1, expected.inverseDifferenceMoment, { rel: 1e-12 }, "IDM_angle0_offset1");
  close(ak.Inertia_angle0_offset1, expected.inertia, { rel: 1e-12 }, "Inertia_angle0_offset1");
  close(ak.ClusterShade_angle0_offset1, expected.clusterShade, { rel: 1e-12 }, "ClusterShade_angle0_offset1");
  close(ak.ClusterProminence_angle0_offset1, expected.clusterProminence, { rel: 1e-12 }, "ClusterProminence_angle0_offset1");
  close(ak.HaralickCorrelation_angle0_offset1, expected.haralickCorrelation, { rel: 1e-12 }, "HaralickCorrelation_angle0_offset1");

  // ITK's entropy leaves out p <= 0.0001: here p = 1/20002 twice.
  const sparse = itkGlcmFeatures(Float64Array.from([20000, 1, 1, 0]), 2)!;
  close(sparse.entropy, -(20000 / 20002) * Math.log2(20000 / 20002), { rel: 1e-12 }, "entropy floor");
  // Degenerate denominators give 0 (one grey level: no variance; equal marginals: no marginal spread).
  const single = itkGlcmFeatures(Float64Array.from([0, 0, 0, 6]), 2)!;
  assert.equal(single.correlation, 0);
  const flat = itkGlcmFeatures(Float64Array.from([1, 1, 1, 1]), 2)!;
  assert.equal(flat.haralickCorrelation, 0);
  assert.equal(itkGlcmFeatures(new Float64Array(4), 2), null);
});

test("ITK run-length features, hand-checked on a 4 × 3 image (angle 0°, offset 1) and runs with offset 2", () => {
  const roi = tinyRoi(TINY);
  const disc = discretise(roi, { method: "none" });
  // Runs along rows: [1 1][2][3], [1][2 2][3], [3 3][1 1] → grey 1: length 1 ×1, length 2 ×2;
  // grey 2: 1 ×1, 2 ×1; grey 3: 1 ×2, 2 ×1. 8 runs.
  const m = glrlmMatrix(disc, { direction: [1, 0, 0] });
  const width = m.jValues.length;
  const handRows = [[1, 2], [1, 1], [2, 1]];
  for (let g = 0; g < 3; g++) {
    assert.deepEqual(Array.from(m.counts.slice(g * width, g * width + 2)), handRows[g], `runs of grey ${g + 1}`);
    for (let c = 2; c < width; c++) assert.equal(m.counts[g * width + c], 0);
  }
  const f = itkRunLengthFeatures(m)!;
  const expected = {
    shortRunEmphasis: 5 / 8,
    longRunEmphasis: 5 / 2,
    greyLevelNonuniformity: 22 / 8, // (3² + 2² + 3²) / 8
    runLengthNonuniformity: 4, // (4² + 4²) / 8
    lowGreyLevelRunEmphasis: 23 / 48,
    highGreyLevelRunEmphasis: 19 / 4,
    shortRunLowGreyLevelEmphasis: 33 / 128,
    shortRunHighGreyLevelEmphasis: 107 / 32,
    longRunLowGreyLevelEmphasis: 131 / 96,
    longRunHighGreyLevelEmphasis: 83 / 8,
  };
  for (const [k, v] of Object.entries(expected)) close(f[k as keyof typeof f], v, { rel: 1e-12 }, `ITK ${k}`);
  const ak = ak396Features(roi, { discretisation: { method: "none" } });
  const akName: Record<string, string> = {
    shortRunEmphasis: "ShortRunEmphasis", longRunEmphasis: "LongRunEmphasis",
    greyLevelNonuniformity: "GreyLevelNonuniformity", runLengthNonuniformity: "RunLengthNonuniformity",
    lowGreyLevelRunEmphasis: "LowGreyLevelRunEmphasis", highGreyLevelRunEmphasis: "HighGreyLevelRunEmphasis",
    shortRunLowGreyLevelEmphasis: "ShortRunLowGreyLevelEmphasis", shortRunHighGreyLevelEmphasis: "ShortRunHighGreyLevelEmphasis",
    longRunLowGreyLevelEmphasis: "LongRunLowGreyLevelEmphasis", longRunHighGreyLevelEmphasis: "LongRunHighGreyLevelEmphasis",
  };
  for (const [k, v] of Object.entries(expected)) close(ak[`${akName[k]}_angle0_offset1`], v, { rel: 1e-12 }, `${akName[k]}_angle0_offset1`);

  // Offset 2 along a row 1 2 1 2 1 3: the voxels 2 apart form the chains (1, 1, 1) and (2, 2, 3),
  // so the runs are grey 1 × length 3, grey 2 × length 2, grey 3 × length 1.
  const row = discretise(tinyRoi([[1, 2, 1, 2, 1, 3]]), { method: "none" });
  const r2 = glrlmMatrix(row, { direction: [2, 0, 0] });
  const w2 = r2.jValues.length;
  const at = (g: number, len: number) => r2.counts[(g - 1) * w2 + (len - 1)];
  assert.deepEqual([at(1, 3), at(2, 2), at(3, 1)], [1, 1, 1]);
  assert.equal(r2.counts.reduce((s, x) => s + x, 0), 3, "three runs in all");
  const lre = ak396Features(tinyRoi([[1, 2, 1, 2, 1, 3]]), { discretisation: { method: "none" } }).LongRunEmphasis_angle0_offset2;
  assert.equal(lre, undefined, "offset 2 is not an A.K. offset");
  close(itkRunLengthFeatures(r2)!.longRunEmphasis, (9 + 4 + 1) / 3, { rel: 1e-12 }, "LRE with offset 2");
});

/** Python's round to 3 significant digits, as the IBSI tests compare (exact ties are not an issue here). */
const signif3 = (x: number) => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(3)));

test("pyradiomics names on the IBSI digital phantom: every default-mode (3D) mapped row", () => {
  const roi = phantomRoi();
  const warnings: string[] = [];
  const f = pyradiomicsFeatures(roi, { discretisation: { method: "none" } }, warnings);
  assert.deepEqual(warnings, []);
  const ref = parseCsv(readFileSync(join(fixtures, "ibsi1_digital_phantom_reference_values.csv"), "utf8"), "reference");
  const py = ref.data.pyradiomics_feature as string[];
  const mode = ref.data.pyradiomics_mode as string[];
  const tag = ref.data.mirp_tag as string[];
  const value = ref.data.value as Float64Array;
  const tol = ref.data.tolerance as Float64Array;
  // Inverse of the documented transformation: pyradiomics value → IBSI value.
  const toIbsi: Record<string, (x: number) => number> = { firstorder_Kurtosis: (x) => x - 3 };
  let rows = 0;
  const failures: string[] = [];
  for (let r = 0; r < ref.nRows; r++) {
    if (!py[r] || mode[r] !== "3D") continue;
    rows++;
    const name = `original_${py[r]}`;
    const x = f[name];
    const y = toIbsi[py[r]] ? toIbsi[py[r]](x) : x;
    const ok = typeof x === "number" && Number.isFinite(y) && Math.abs(signif3(y) - value[r]) <= tol[r] + 1e-12 * Math.abs(value[r]);
    if (!ok) failures.push(`${name} (${tag[r]}): got ${x}, reference ${value[r]} ± ${tol[r]}`);
  }
  console.log(`pyradiomics names on the IBSI phantom: ${rows - failures.length}/${rows} default-mode rows`);
  assert.equal(rows, 108);
  assert.deepEqual(failures, [], failures.join("\n"));
  assert.equal(Number(f.original_firstorder_Kurtosis.toPrecision(3)), 2.65);
  // TotalEnergy = Energy × voxel volume (2 mm)³.
  close(f.original_firstorder_TotalEnergy, f.original_firstorder_Energy * 8, { rel: 1e-15 }, "TotalEnergy");
  assert.equal(Object.keys(f).length, Object.keys(PYRADIOMICS_MAP).length + 1);
  for (const k of Object.keys(f)) assert.match(k, /^original_(shape|firstorder|glcm|glrlm|glszm|gldm|ngtdm)_[A-Za-z0-9]+$/);
});

test("pyradiomics names on a synthetic ellipsoid: all finite, default binWidth 25 aligned to multiples of 25", () => {
  const roi = ellipsoidRoi();
  const warnings: string[] = [];
  const f = pyradiomicsFeatures(roi, {}, warnings);
  const bad = Object.entries(f).filter(([, v]) => !Number.isFinite(v)).map(([k, v]) => `${k}=${v}`);
  assert.deepEqual(bad, [], bad.join(", "));
  assert.deepEqual(warnings, []);
  // Aligned FBS: same as IBSI FBS with lowerBound floor(min / 25) · 25, as pyradiomics bins.
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < roi.intensity.length; i++) {
    if (!roi.intensityMask[i]) continue;
    min = Math.min(min, roi.intensity[i]);
    max = Math.max(max, roi.intensity[i]);
  }
  const lb = Math.floor(min / 25) * 25;
  const disc = discretise(roi, { method: "FBS", binWidth: 25, lowerBound: lb });
  assert.equal(disc.nLevels, Math.floor((max - lb) / 25) + 1);
  // The profile's first-order Entropy is the entropy of exactly these grey levels (tolerance 1e-12 relative).
  close(f.original_firstorder_Entropy, histogramFeatures(disc).ih_entropy, { rel: 1e-12 }, "Entropy on aligned bins");
  // …and differs from IBSI's FBS, whose first bin starts at the ROI minimum.
  const ibsiDisc = discretise(roi, { method: "FBS", binWidth: 25 });
  assert.notEqual(histogramFeatures(ibsiDisc).ih_entropy, f.original_firstorder_Entropy);
});
