/**
 * extractFeatures end to end on the IBSI 1 digital phantom (NIfTI image and mask read from disk), its
 * settings validation and its bad-input errors.
 * Tolerance of the phantom rows: as MIRP's IBSI test, the value rounded to 3 significant digits must satisfy
 * |x − value| <= the row's tolerance (0 = exact after rounding), for all 482 rows of
 * test/fixtures/ibsi/ibsi1_digital_phantom_reference_values.csv.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { parseCsv } from "../lib/table/index.js";
import { readNifti, readMask, type Volume } from "../lib/imaging/index.js";
import { InputError } from "../lib/errors.js";
import { extractFeatures, resolveSettings, type ExtractSettings } from "../lib/features/index.js";

const ibsi = join(root, "test", "fixtures", "ibsi");

/** Python's round(x, 3 - floor(log10|x|) - 1) (MIRP's IBSI test), exact binary ties to even. */
function round3(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const s = Math.abs(x).toExponential(25);
  const m = /^(\d)\.(\d+)e([+-]\d+)$/.exec(s);
  const viaPrecision = Number(x.toPrecision(3));
  if (!m) return viaPrecision;
  const mant = m[1] + m[2];
  if (/^50*$/.test(mant.slice(3))) {
    const lower = Number(mant.slice(0, 3));
    const kept = lower % 2 === 0 ? lower : lower + 1;
    const digits = 3 - Math.floor(Math.log10(Math.abs(x))) - 1;
    return Number(`${x < 0 ? "-" : ""}${kept}e${-digits}`);
  }
  return viaPrecision;
}

function phantom(): { image: Volume; mask: Volume } {
  const image = readNifti(join(ibsi, "digital_phantom", "nifti", "phantom.nii.gz"));
  const mask = readMask(join(ibsi, "digital_phantom", "nifti", "mask.nii.gz"), { image });
  return { image, mask };
}

// IBSI's phantom rules: no interpolation, no re-segmentation, grey levels = intensities, IVH on the raw intensities.
const PHANTOM_SETTINGS: ExtractSettings = {
  discretisation: { method: "none" },
  ivhDiscretisation: { method: "none" },
  distance: 1,
  textureDimensions: "all",
};

test("digital phantom through extractFeatures: all 482 IBSI reference rows", () => {
  const { image, mask } = phantom();
  const res = extractFeatures(image, mask, PHANTOM_SETTINGS);
  assert.deepEqual(res.warnings, []);
  const ref = parseCsv(readFileSync(join(ibsi, "ibsi1_digital_phantom_reference_values.csv"), "utf8"), "reference");
  const tag = ref.data.mirp_tag as string[];
  const family = ref.data.family as string[];
  const value = ref.data.value as Float64Array;
  const tol = ref.data.tolerance as Float64Array;
  const failures: string[] = [];
  const perFamily = new Map<string, [number, number]>();
  for (let r = 0; r < ref.nRows; r++) {
    const x = res.features[tag[r]];
    const ok = typeof x === "number" && Number.isFinite(x) && Math.abs(round3(x) - value[r]) <= tol[r] + 1e-12 * Math.abs(value[r]);
    const c = perFamily.get(family[r]) ?? [0, 0];
    perFamily.set(family[r], [c[0] + (ok ? 1 : 0), c[1] + 1]);
    if (!ok) failures.push(`${tag[r]}: got ${x} (rounded ${round3(x)}), reference ${value[r]} ± ${tol[r]}`);
  }
  console.log(`digital phantom via extractFeatures: ${ref.nRows - failures.length}/${ref.nRows} rows pass (${[...perFamily].map(([f, [p, n]]) => `${f} ${p}/${n}`).join(", ")})`);
  assert.equal(ref.nRows, 482);
  assert.deepEqual(failures, [], failures.join("\n"));

  // Diagnostics (exact): 5 × 4 × 4 grid at 2 mm, 74 ROI voxels, nothing changed by the (absent) later steps.
  const d = res.diagnostics;
  assert.deepEqual([d.img_dim_x_init_img, d.img_dim_y_init_img, d.img_dim_z_init_img], [5, 4, 4]);
  assert.deepEqual([d.vox_dim_x_interp_img, d.vox_dim_y_interp_img, d.vox_dim_z_interp_img], [2, 2, 2]);
  for (const step of ["init", "interp", "reseg"]) {
    assert.equal(d[`int_mask_vox_count_${step}_roi`], 74);
    assert.equal(d[`morph_mask_vox_count_${step}_roi`], 74);
    assert.equal(d[`int_mask_mean_int_${step}_roi`], 159 / 74);
    assert.equal(d[`int_mask_max_int_${step}_roi`], 6);
  }
  // Resolved settings are returned as used.
  assert.equal(res.settings.profile, "ibsi");
  assert.equal(res.settings.distance, 1);
  assert.equal(res.settings.resample, undefined);
});

test("textureDimensions selects the aggregations; defaults are documented", () => {
  // Tolerance: exact (same computation).
  const { image, mask } = phantom();
  const two = extractFeatures(image, mask, { ...PHANTOM_SETTINGS, textureDimensions: "2D" }).features;
  const three = extractFeatures(image, mask, { ...PHANTOM_SETTINGS, textureDimensions: "3D" }).features;
  assert.ok("cm_joint_max_2D_avg" in two && "szm_sze_2_5D" in two && !("cm_joint_max_3D_avg" in two) && !("szm_sze_3D" in two));
  assert.ok("cm_joint_max_3D_comb" in three && "ngl_dc_perc_3D" in three && !("rlm_sre_2D_comb" in three));
  assert.equal(two.stat_mean, three.stat_mean);
  const all = extractFeatures(image, mask, PHANTOM_SETTINGS).features;
  assert.equal(all.cm_joint_max_3D_avg, three.cm_joint_max_3D_avg);
  assert.equal(all.rlm_sre_2_5D_comb, two.rlm_sre_2_5D_comb);
  const def = resolveSettings({});
  assert.deepEqual(def.discretisation, { method: "FBN", bins: 32 });
  assert.deepEqual(def.ivhDiscretisation, { method: "none" });
  assert.equal(def.textureDimensions, "all");
  assert.equal(def.profile, "ibsi");
  // FBN with 6 bins equals no discretisation on the phantom (IBSI), so the defaults' route works too.
  const fbn6 = extractFeatures(image, mask, { ...PHANTOM_SETTINGS, discretisation: { method: "FBN", bins: 6 } }).features;
  assert.equal(fbn6.cm_joint_max_3D_avg, all.cm_joint_max_3D_avg);
  // Resampling onto the same 2 mm grid changes nothing.
  const same = extractFeatures(image, mask, { ...PHANTOM_SETTINGS, resample: { spacing: [2, 2, 2], interpolation: "linear" } });
  assert.equal(same.features.morph_volume, all.morph_volume);
  assert.equal(same.features.cm_contrast_3D_comb, all.cm_contrast_3D_comb);
  assert.equal(same.settings.resample?.maskThreshold, 0.5);
  assert.equal(same.settings.resample?.maskInterpolation, "linear");
});

test("re-segmentation changes the intensity mask only; diagnostics follow each step", () => {
  // Tolerance: exact (voxel counts and small-integer intensities).
  const { image, mask } = phantom();
  const res = extractFeatures(image, mask, { ...PHANTOM_SETTINGS, resegment: { range: [2, null] } });
  const d = res.diagnostics;
  assert.equal(d.int_mask_vox_count_reseg_roi, 24); // 74 minus the 50 voxels at intensity 1
  assert.equal(d.morph_mask_vox_count_reseg_roi, 74);
  assert.equal(d.int_mask_min_int_reseg_roi, 3);
  assert.equal(res.features.morph_vol_approx, 74 * 8); // morphology on the morphological mask
  assert.equal(res.features.stat_min, 3);
});

/** Asserts that `fn` throws an InputError whose message matches `pattern`. */
function throwsInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

test("settings validation names the parameter", () => {
  const { image, mask } = phantom();
  const bad = (s: unknown) => () => extractFeatures(image, mask, s as ExtractSettings);
  throwsInput(bad({ discretisation: { method: "kmeans" } }), /settings\.discretisation\.method must be "none", "FBN" or "FBS", got "kmeans"/);
  throwsInput(bad({ ivhDiscretisation: { method: "equal" } }), /settings\.ivhDiscretisation\.method/);
  throwsInput(bad({ discretisation: { method: "FBN", bins: 0 } }), /settings\.discretisation\.bins must be an integer >= 1, got 0/);
  throwsInput(bad({ discretisation: { method: "FBN", bins: -3 } }), /settings\.discretisation\.bins/);
  throwsInput(bad({ discretisation: { method: "FBN" } }), /settings\.discretisation\.bins is required for FBN/);
  throwsInput(bad({ discretisation: { method: "FBS" } }), /settings\.discretisation\.binWidth is required for FBS/);
  throwsInput(bad({ discretisation: { method: "FBS", binWidth: 0 } }), /settings\.discretisation\.binWidth must be a positive number/);
  throwsInput(bad({ resample: { spacing: [1], interpolation: "linear" } }), /settings\.resample\.spacing must have 2 entries .* or 3/);
  throwsInput(bad({ resample: { spacing: [1, 1, 1, 1], interpolation: "linear" } }), /settings\.resample\.spacing/);
  throwsInput(bad({ resample: { spacing: [1, -1], interpolation: "linear" } }), /settings\.resample\.spacing entries must be positive/);
  throwsInput(bad({ resample: { spacing: [1, 1, 1] } }), /settings\.resample\.interpolation is required/);
  throwsInput(bad({ resample: { spacing: [1, 1, 1], interpolation: "sinc" } }), /settings\.resample\.interpolation must be/);
  throwsInput(bad({ resample: { spacing: [1, 1, 1], interpolation: "linear", maskThreshold: 0 } }), /settings\.resample\.maskThreshold/);
  throwsInput(bad({ resegment: { range: [400, -500] } }), /settings\.resegment\.range: low 400 is above high -500/);
  throwsInput(bad({ resegment: { range: [0] } }), /settings\.resegment\.range must be/);
  throwsInput(bad({ resegment: { outlierSigma: -1 } }), /settings\.resegment\.outlierSigma must be a positive number/);
  throwsInput(bad({ distance: 0 }), /settings\.distance must be an integer >= 1/);
  throwsInput(bad({ distance: 1.5 }), /settings\.distance/);
  throwsInput(bad({ textureDimensions: "2.5D" }), /settings\.textureDimensions must be "2D", "3D" or "all"/);
  throwsInput(bad({ profile: "radiomics" }), /settings\.profile must be "ibsi", "ak396" or "pyradiomics"/);
  throwsInput(bad({ binWidth: 25 }), /settings: unknown setting "binWidth"/);
  throwsInput(bad({ discretisation: { method: "FBS", binwidth: 25 } }), /settings\.discretisation: unknown setting "binwidth"/);
  // Re-segmentation that leaves nothing, and "none" on non-integer intensities, name their setting too.
  throwsInput(bad({ ...PHANTOM_SETTINGS, resegment: { range: [100, 200] } }), /settings\.resegment: .*no ROI voxel is left/);
  const scaled: Volume = { ...image, data: Float64Array.from(image.data, (x) => x / 2) };
  throwsInput(() => extractFeatures(scaled, mask, { discretisation: { method: "none" } }), /settings\.discretisation: .*"none" needs integer intensities/);
});

test("bad masks: empty, grid mismatch, outside the image, wrong data length", () => {
  const { image, mask } = phantom();
  throwsInput(() => extractFeatures(image, { ...mask, data: new Uint8Array(80) }), /mask is empty/);
  // A mask on another grid gets checkSameGrid's message.
  throwsInput(
    () => extractFeatures(image, { ...mask, spacing: [1, 1, 1] }),
    /mask spacing 1×1×1 mm differs from image 2×2×2 mm; resample one onto the other's grid first/,
  );
  throwsInput(
    () => extractFeatures(image, { ...mask, origin: [image.origin[0] + 1, image.origin[1], image.origin[2]] }),
    /mask origin .* differs from image .*\(shift 1, 0, 0 mm\)/,
  );
  throwsInput(() => extractFeatures(image, { ...mask, dims: [4, 5, 4] }), /mask size 4×5×4 voxels differs from image 5×4×4/);
  // A mask whose ROI lies entirely beyond the image.
  throwsInput(
    () => extractFeatures(image, { ...mask, origin: [image.origin[0] + 500, image.origin[1], image.origin[2]] }),
    /mask ROI lies outside the image: ROI spans .* mm, the image .* mm/,
  );
  throwsInput(() => extractFeatures(image, { ...mask, data: new Uint8Array(79) }), /mask\.data has 79 voxels but mask\.dims 5×4×4 need 80/);
  // Resampling a tiny ROI to very coarse voxels leaves nothing above the partial-volume threshold.
  const one = new Uint8Array(80);
  one[2 + 5 * (2 + 4 * 2)] = 1;
  throwsInput(
    () => extractFeatures(image, { ...mask, data: one }, { resample: { spacing: [7, 7, 7], interpolation: "linear" } }),
    /mask is empty after resampling/,
  );
});

test("profile dispatch: ak396 and pyradiomics names", () => {
  // Tolerance: exact (names and counts only; the profiles' values are tested in their own files).
  const { image, mask } = phantom();
  const ak = extractFeatures(image, mask, { profile: "ak396" });
  assert.equal(Object.keys(ak.features).length, 396);
  assert.ok("ClusterShade_angle0_offset1" in ak.features);
  assert.equal(ak.settings.profile, "ak396");
  const py = extractFeatures(image, mask, { profile: "pyradiomics" });
  assert.ok("original_glcm_ClusterShade" in py.features);
  assert.ok(!("cm_clust_shade_3D_avg" in py.features));
});
