/**
 * IBSI 1 lung CT phantom (test/fixtures/ibsi/ct_phantom: 60 DICOM CT slices + RTSTRUCT ROI "GTV-1", and
 * the same as NIfTI) through extractFeatures, for the IBSI reference configurations A–E
 * (test/fixtures/ibsi/ibsi1_ct_phantom_reference_values.csv, 1321 rows; settings from the IBSI manual and
 * MIRP's test/ibsi_1_test.py, see ../shared/data/ibsi/README.md).
 *
 * Tolerance, reference values: as MIRP's IBSI test, our value rounded to 3 significant digits must satisfy
 * |x − value| <= the row's tolerance. Every row is asserted; a failing row fails the test (no skip list).
 * Tolerance, diagnostic values (ibsi1_ct_phantom_diagnostic_values.csv): our value rounded to the decimals
 * the reference is written with (e.g. -266 → integer, 0.977 → 3 decimals), then |x − value| <= tolerance.
 * NIfTI vs DICOM: same voxels and grid; only the slice spacing differs (NIfTI 3 mm, DICOM 2.9999999999998 mm
 * from the slice positions). Without resampling (A) every feature is equal within 1e-9 relative; with
 * resampling (C) the 1e-13 grid shift can flip the rounding of interpolated intensities that sit exactly on
 * a .5 HU tie, so there the tolerance is 1e-4 relative (still 10–100× below the IBSI tolerances).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.js";
import { parseCsv } from "../lib/table/index.js";
import { readDicomSeries, readMask, readNifti, type Volume } from "../lib/imaging/index.js";
import { extractFeatures, type ExtractSettings } from "../lib/features/index.js";

const ibsi = join(root, "test", "fixtures", "ibsi");
const phantomDir = join(ibsi, "ct_phantom");

/** The IBSI configurations (manual, "Reference data sets"; MIRP's test settings). */
const CONFIGS: Record<string, ExtractSettings> = {
  A: {
    textureDimensions: "2D",
    resegment: { range: [-500, 400] },
    discretisation: { method: "FBS", binWidth: 25 },
    ivhDiscretisation: { method: "none" },
  },
  B: {
    textureDimensions: "2D",
    resample: { spacing: [2, 2], interpolation: "linear", roundIntensities: true, maskInterpolation: "linear", maskThreshold: 0.5 },
    resegment: { range: [-500, 400] },
    discretisation: { method: "FBN", bins: 32 },
    ivhDiscretisation: { method: "none" },
  },
  C: {
    textureDimensions: "3D",
    resample: { spacing: [2, 2, 2], interpolation: "linear", roundIntensities: true, maskInterpolation: "linear", maskThreshold: 0.5 },
    resegment: { range: [-1000, 400] },
    discretisation: { method: "FBS", binWidth: 25 },
    ivhDiscretisation: { method: "FBS", binWidth: 2.5 },
  },
  D: {
    textureDimensions: "3D",
    resample: { spacing: [2, 2, 2], interpolation: "linear", roundIntensities: true, maskInterpolation: "linear", maskThreshold: 0.5 },
    resegment: { outlierSigma: 3 },
    discretisation: { method: "FBN", bins: 32 },
    ivhDiscretisation: { method: "none" },
  },
  E: {
    textureDimensions: "3D",
    resample: { spacing: [2, 2, 2], interpolation: "cubic", roundIntensities: true, maskInterpolation: "linear", maskThreshold: 0.5 },
    resegment: { range: [-1000, 400], outlierSigma: 3 },
    discretisation: { method: "FBN", bins: 32 },
    ivhDiscretisation: { method: "FBN", bins: 1000 },
  },
};
const EXPECTED_ROWS: Record<string, number> = { A: 346, B: 346, C: 209, D: 210, E: 210 };

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

let dicom: { image: Volume; mask: Volume } | undefined;
function dicomPhantom(): { image: Volume; mask: Volume } {
  if (!dicom) {
    const image = readDicomSeries(join(phantomDir, "dicom", "image"));
    const mask = readMask(join(phantomDir, "dicom", "mask", "DCM_RS_00060.dcm"), { image, roi: "GTV-1" });
    dicom = { image, mask };
  }
  return dicom;
}

const reference = parseCsv(readFileSync(join(ibsi, "ibsi1_ct_phantom_reference_values.csv"), "utf8"), "ibsi1_ct_phantom_reference_values.csv");

/** Diagnostic rows with the reference value's text, to round our value to the same number of decimals. */
const diagnosticRows = readFileSync(join(ibsi, "ibsi1_ct_phantom_diagnostic_values.csv"), "utf8")
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [dataSet, tag, value, tolerance] = line.split(",");
    const decimals = /\.(\d+)$/.exec(value)?.[1].length ?? 0;
    return { dataSet, tag, value: Number(value), decimals, tolerance: Number(tolerance) };
  });

for (const config of Object.keys(CONFIGS)) {
  test(`IBSI CT phantom, configuration ${config} (DICOM + RTSTRUCT): every reference row and diagnostic`, () => {
    const { image, mask } = dicomPhantom();
    const res = extractFeatures(image, mask, CONFIGS[config]);
    const tag = reference.data.mirp_tag as string[];
    const dataSet = reference.data.data_set as string[];
    const value = reference.data.value as Float64Array;
    const tol = reference.data.tolerance as Float64Array;
    let n = 0;
    const failures: string[] = [];
    for (let r = 0; r < reference.nRows; r++) {
      if (dataSet[r] !== `config_${config}`) continue;
      n++;
      const x = res.features[tag[r]];
      const ok = typeof x === "number" && Number.isFinite(x) && Math.abs(round3(x) - value[r]) <= tol[r] + 1e-12 * Math.abs(value[r]);
      if (!ok) failures.push(`  ${tag[r]}: ours ${x} (rounded ${round3(x)}), reference ${value[r]}, tolerance ${tol[r]}`);
    }
    let nd = 0;
    const diagFailures: string[] = [];
    for (const d of diagnosticRows) {
      if (d.dataSet !== `config_${config}`) continue;
      nd++;
      const x = res.diagnostics[d.tag];
      const rounded = typeof x === "number" ? Number(x.toFixed(d.decimals)) : NaN;
      if (!(Math.abs(rounded - d.value) <= d.tolerance + 1e-12 * Math.abs(d.value))) {
        diagFailures.push(`  ${d.tag}: ours ${x}, reference ${d.value}, tolerance ${d.tolerance}`);
      }
    }
    console.log(
      `config ${config}: ${n - failures.length}/${n} rows pass; diagnostics ${nd - diagFailures.length}/${nd}` +
        (failures.length ? `\n failing rows:\n${failures.join("\n")}` : "") +
        (diagFailures.length ? `\n failing diagnostics:\n${diagFailures.join("\n")}` : ""),
    );
    assert.equal(n, EXPECTED_ROWS[config], `configuration ${config}: number of reference rows`);
    assert.equal(nd, 60, `configuration ${config}: number of diagnostic rows`);
    assert.deepEqual(diagFailures, [], `configuration ${config}: diagnostics out of tolerance`);
    assert.deepEqual(failures, [], `configuration ${config}: ${failures.length} reference rows out of tolerance`);
  });
}

test("IBSI CT phantom: the NIfTI image and mask give the same features as DICOM + RTSTRUCT (A, C)", () => {
  const { image, mask } = dicomPhantom();
  const nImage = readNifti(join(phantomDir, "nifti", "phantom.nii.gz"));
  const nMask = readMask(join(phantomDir, "nifti", "mask.nii.gz"), { image: nImage });
  assert.deepEqual(nImage.dims, image.dims);
  for (const [config, rel] of [["A", 1e-9], ["C", 1e-4]] as const) {
    const a = extractFeatures(image, mask, CONFIGS[config]).features;
    const b = extractFeatures(nImage, nMask, CONFIGS[config]).features;
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    const differ: string[] = [];
    for (const k of Object.keys(a)) {
      // Tolerance: `rel` relative (absolute near 0), see the header.
      if (!(Math.abs(a[k] - b[k]) <= rel * Math.max(1, Math.abs(a[k])))) differ.push(`${k}: DICOM ${a[k]}, NIfTI ${b[k]}`);
    }
    assert.deepEqual(differ, [], `configuration ${config}: NIfTI and DICOM differ`);
  }
});
