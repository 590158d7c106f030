/**
 * Image readers against the IBSI phantoms (test/fixtures/ibsi, see LICENSE-imaging-fixtures.md) and
 * against small synthetic DICOM / NIfTI files written below, for encodings the phantoms do not use.
 *
 * References: the IBSI README (/work/shared/data/ibsi/README.md) — digital phantom 5×4×4 at 2 mm,
 * 74 ROI voxels summing to 159, phantom_voxels.csv; CT phantom 204×201×60 at 0.977×0.977×3 mm,
 * HU min −1000 / max 3065 / mean −266.47, GTV-1 125,256 voxels, bounding box 100×99×26, mean HU −46.9.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { deflateRawSync, gunzipSync } from "node:zlib";
import {
  checkSameGrid,
  readDicomSeries,
  readMask,
  readNifti,
  fillPolygons,
  voxelToWorld,
  type Volume,
} from "../lib/imaging/index.js";
import { InputError } from "../lib/errors.js";
import { root } from "./helpers.js";

const IBSI = join(root, "test", "fixtures", "ibsi");
const DIG = join(IBSI, "digital_phantom");
const CT = join(IBSI, "ct_phantom");
const CT_IMAGE = join(CT, "dicom", "image");
const CT_RS = join(CT, "dicom", "mask", "DCM_RS_00060.dcm");
const ctFiles = readdirSync(CT_IMAGE).filter((f) => f.endsWith(".dcm")).sort().map((f) => join(CT_IMAGE, f));
const tmp = mkdtempSync(join(tmpdir(), "radsurv-imaging-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** phantom_voxels.csv: NIfTI index (i, j, k), intensity and mask. */
const voxels = readFileSync(join(IBSI, "phantom_voxels.csv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number));

const throwsInput = (fn: () => unknown, re: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`);
    assert.match(e.message, re);
    return true;
  });
};

const count = (a: ArrayLike<number>): number => {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += a[i];
  return n;
};

// Cached: several tests use the same phantoms.
let ctCache: Volume | undefined;
const ctImage = (): Volume => (ctCache ??= readDicomSeries(CT_IMAGE));

// ---------------------------------------------------------------------------------------------------
// Digital phantom

test("digital phantom NIfTI: 5×4×4 at 2 mm, voxels and mask equal phantom_voxels.csv, 74 ROI voxels summing to 159", () => {
  const img = readNifti(join(DIG, "nifti", "phantom.nii.gz"));
  const mask = readMask(join(DIG, "nifti", "mask.nii.gz"), { image: img });
  assert.deepEqual(img.dims, [5, 4, 4]);
  assert.deepEqual(img.spacing, [2, 2, 2]); // exact: pixdim and sform hold 2.0 exactly
  // sform diag(−2, −2, 2) in RAS is diag(2, 2, 2) in LPS: identity direction, origin 0.
  assert.deepEqual(img.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(img.origin, [0, 0, 0]);
  assert.equal(voxels.length, 80);
  for (const [i, j, k, intensity, m] of voxels) {
    const p = i + 5 * (j + 4 * k);
    assert.equal(img.data[p], intensity, `intensity at (${i},${j},${k})`);
    assert.equal(mask.data[p], m, `mask at (${i},${j},${k})`);
  }
  let n = 0;
  let sum = 0;
  for (let p = 0; p < 80; p++) if (mask.data[p]) (n++, (sum += img.data[p]));
  assert.equal(n, 74);
  assert.equal(sum, 159);
  assert.ok(mask.data instanceof Uint8Array);
});

test("deprecated DICOM multi-frame + SEG: same voxels as the NIfTI after reordering; the file's 1 mm spacing is reported as read", () => {
  const nImg = readNifti(join(DIG, "nifti", "phantom.nii.gz"));
  const nMask = readMask(join(DIG, "nifti", "mask.nii.gz"));
  const img = readDicomSeries(join(DIG, "dicom_deprecated", "phantom.deprecated"));
  // The files say PixelSpacing 1\1 and SpacingBetweenSlices 1 (upstream's reason to deprecate them).
  assert.deepEqual(img.spacing, [1, 1, 1]);
  assert.deepEqual(img.dims, [5, 4, 4]);
  // IOP 1\0\0\0\0\−1: columns along +x, rows along −z, slice normal row × column = +y.
  assert.deepEqual(img.direction, [1, 0, 0, 0, 0, 1, 0, -1, 0]);
  assert.deepEqual(img.origin, [0, 0, 0]); // frame 4 (y = 0) comes first along the normal
  assert.deepEqual(img.meta.frameNumbers, [4, 3, 2, 1]);
  assert.equal(img.meta.modality, "MR");
  const segOwn = readMask(join(DIG, "dicom_deprecated", "mask.deprecated"));
  const segOnImage = readMask(join(DIG, "dicom_deprecated", "mask.deprecated"), { image: img });
  checkSameGrid(segOwn, img, "SEG grid");
  assert.equal(segOwn.meta.segmentLabel, "ROI");
  // Frame f is NIfTI y = 3 − f; slices sorted along +y put NIfTI y = k at slice k; row r is NIfTI z = r.
  for (let i = 0; i < 5; i++) {
    for (let r = 0; r < 4; r++) {
      for (let k = 0; k < 4; k++) {
        const d = i + 5 * (r + 4 * k);
        const nif = i + 5 * (k + 4 * r);
        assert.equal(img.data[d], nImg.data[nif], `intensity DICOM (${i},${r},${k})`);
        assert.equal(segOwn.data[d], nMask.data[nif], `SEG DICOM (${i},${r},${k})`);
        assert.equal(segOnImage.data[d], nMask.data[nif], `SEG on image (${i},${r},${k})`);
      }
    }
  }
  // A SEG checked against an image with another spacing must say so.
  const img2mm = { ...img, spacing: [2, 2, 2] as [number, number, number] };
  throwsInput(() => readMask(join(DIG, "dicom_deprecated", "mask.deprecated"), { image: img2mm }), /SEG .* pixel spacing 1×1 mm differs from image 2×2 mm/);
});

// ---------------------------------------------------------------------------------------------------
// CT phantom

test("CT phantom DICOM: 204×201×60 at 0.977×0.977×3 mm, HU range and mean, slices in increasing z whatever the file order", () => {
  const ct = readDicomSeries(CT_IMAGE);
  assert.deepEqual(ct.dims, [204, 201, 60]);
  // PixelSpacing is written "0.97699999809265"; the slice step is from IPP z (exactly 3 mm apart).
  assert.ok(Math.abs(ct.spacing[0] - 0.97699999809265) < 1e-12 && Math.abs(ct.spacing[1] - 0.97699999809265) < 1e-12);
  assert.ok(Math.abs(ct.spacing[2] - 3) < 1e-9, `slice spacing ${ct.spacing[2]}`);
  assert.deepEqual(ct.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  // Origin = first voxel of the lowest slice (DCM_IMG_00059, z = −100.4).
  assert.ok(Math.abs(ct.origin[0] + 174.3945) < 1e-4 && Math.abs(ct.origin[1] + 79.6255) < 1e-4 && Math.abs(ct.origin[2] + 100.4) < 1e-4);
  const files = ct.meta.files as string[];
  assert.equal(basename(files[0]), "DCM_IMG_00059.dcm");
  assert.equal(basename(files[59]), "DCM_IMG_00000.dcm");
  assert.equal((ct.meta.sopInstanceUids as string[]).length, 60);
  assert.deepEqual(ct.meta.rescale, { slope: 1, intercept: -1000 });
  assert.equal(ct.meta.modality, "CT");
  assert.equal(ct.meta.patientId, "1");
  assert.equal(ct.meta.frameOfReferenceUid, "1.3.6.1.4.1.9590.100.1.2.43753750011518494101799896492065629048");
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of ct.data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  assert.equal(min, -1000);
  assert.equal(max, 3065);
  const mean = sum / ct.data.length;
  assert.ok(Math.abs(mean - -266.47) < 0.01, `mean HU ${mean}`); // tolerance 0.01 HU (README gives 2 decimals)

  // Shuffled file list → the same volume, same slice order.
  const shuffled = [...ctFiles].sort((a, b) => (basename(a) < basename(b) ? 1 : -1)).reverse();
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1); // deterministic shuffle
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const again = readDicomSeries(shuffled);
  assert.deepEqual(again.meta.files, files);
  assert.deepEqual(again.origin, ct.origin);
  assert.ok(again.data.every((v, p) => v === ct.data[p]));
});

test("CT phantom: DICOM voxels are identical to the NIfTI image in LPS world coordinates", () => {
  const ct = ctImage();
  const nii = readNifti(join(CT, "nifti", "phantom.nii.gz"));
  // Same world grid within 1e-3 mm / 1e-4 (NIfTI stores float32, DICOM decimal strings).
  checkSameGrid(nii, ct, "NIfTI image", "DICOM image");
  // README: NIfTI (i, j, k) is DICOM column i, row j of DCM_IMG_{59 − k}; check the world positions of
  // opposite corners agree, then every voxel.
  for (const [i, j, k] of [[0, 0, 0], [203, 200, 59], [17, 150, 30]]) {
    const a = voxelToWorld(ct, i, j, k);
    const b = voxelToWorld(nii, i, j, k);
    assert.ok(a.every((x, d) => Math.abs(x - b[d]) < 1e-3), `world of (${i},${j},${k}): DICOM ${a}, NIfTI ${b}`);
    assert.equal(basename((ct.meta.files as string[])[k]), `DCM_IMG_${String(59 - k).padStart(5, "0")}.dcm`);
  }
  let diff = 0;
  for (let p = 0; p < ct.data.length; p++) if (ct.data[p] !== nii.data[p]) diff++;
  assert.equal(diff, 0, `${diff} voxels differ`);
});

test("RTSTRUCT GTV-1 rasterised onto the DICOM grid equals the NIfTI mask voxel for voxel", () => {
  const ct = ctImage();
  const mask = readMask(CT_RS, { image: ct, roi: "GTV-1" });
  const ref = readMask(join(CT, "nifti", "mask.nii.gz"), { image: ct });
  assert.equal(mask.meta.contours, 26);
  let n = 0;
  let sum = 0;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  let differ = 0;
  const [nx, ny] = ct.dims;
  for (let p = 0; p < mask.data.length; p++) {
    if (mask.data[p] !== ref.data[p]) differ++;
    if (!mask.data[p]) continue;
    n++;
    sum += ct.data[p];
    const ijk = [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))];
    for (let d = 0; d < 3; d++) {
      lo[d] = Math.min(lo[d], ijk[d]);
      hi[d] = Math.max(hi[d], ijk[d]);
    }
  }
  // Exact agreement: even–odd fill at voxel centres reproduces the reference conversion.
  assert.equal(differ, 0, `${differ} voxels differ from nifti/mask.nii.gz`);
  assert.equal(n, 125256);
  assert.deepEqual(lo, [51, 51, 17]);
  assert.deepEqual(hi, [150, 149, 42]); // bounding box 100 × 99 × 26
  assert.ok(Math.abs(sum / n - -46.9) < 0.05, `mean HU in GTV-1 ${sum / n}`); // README gives −46.9 (1 decimal)
  // Only ROI → picked without `roi`; matching ignores case when unambiguous.
  assert.equal(count(readMask(CT_RS, { image: ct }).data), 125256);
  assert.equal(readMask(CT_RS, { image: ct, roi: "gtv-1" }).meta.roiName, "GTV-1");
});

// ---------------------------------------------------------------------------------------------------
// Bad input

test("bad input: compressed transfer syntax, mixed series, missing slice, wrong grid, unknown ROI, not DICOM", () => {
  // Compressed: a tiny Part-10 file whose meta header says JPEG 2000.
  const jp2 = join(tmp, "jpeg2000.dcm");
  writeFileSync(jp2, dicomFile("1.2.840.10008.1.2.4.90", sliceElements({ series: "1.2.3", z: 0, pixels: [1, 2, 3, 4, 5, 6] })));
  throwsInput(() => readDicomSeries([jp2]), /jpeg2000\.dcm: transfer syntax JPEG 2000 Image Compression \(Lossless Only\) \(1\.2\.840\.10008\.1\.2\.4\.90\) is compressed; radsurv reads uncompressed DICOM only — decompress/);

  // Mixed series in one folder: error lists both; seriesUid picks one.
  const mixed = mkdtempSync(join(tmp, "mixed-"));
  for (let z = 0; z < 3; z++) writeFileSync(join(mixed, `a${z}.dcm`), dicomFile(EXPLICIT_LE, sliceElements({ series: "1.2.3.1", z: 2 * z, pixels: [z, 0, 0, 0, 0, 0] })));
  for (let z = 0; z < 2; z++) writeFileSync(join(mixed, `b${z}.dcm`), dicomFile(EXPLICIT_LE, sliceElements({ series: "1.2.3.2", z: 5 * z, pixels: [z, 0, 0, 0, 0, 0] })));
  writeFileSync(join(mixed, "notes.txt"), "not an image");
  throwsInput(() => readDicomSeries(mixed), /holds 2 series; pick one with \{ seriesUid \}: 1\.2\.3\.1 \(CT, 3 files\); 1\.2\.3\.2 \(CT, 2 files\)/);
  const b = readDicomSeries(mixed, { seriesUid: "1.2.3.2" });
  assert.deepEqual(b.dims, [3, 2, 2]);
  assert.equal(b.spacing[2], 5);
  assert.deepEqual(b.meta.skippedFiles, [`${join(mixed, "notes.txt")} (not DICOM)`]);
  throwsInput(() => readDicomSeries(mixed, { seriesUid: "9.9" }), /no series with SeriesInstanceUID 9\.9; found 1\.2\.3\.1/);

  // Missing slice: drop DCM_IMG_00030 (z = −13.4); z order puts 00031 (−16.4) before 00029 (−10.4).
  const missing = ctFiles.filter((f) => !f.endsWith("DCM_IMG_00030.dcm"));
  throwsInput(() => readDicomSeries(missing), /1 slice missing between .*DCM_IMG_00031\.dcm \(-16\.400 mm\) and .*DCM_IMG_00029\.dcm \(-10\.400 mm\): gap 6\.000 mm, other slices are 3\.000 mm apart/);

  // Two slices at one position (a second volume in the series).
  throwsInput(() => readDicomSeries([ctFiles[0], ctFiles[1], ctFiles[0]]), /are at the same position/);

  // Mask on a different grid: the phantom mask rewritten with 1 mm voxels, then shifted.
  const img = readNifti(join(DIG, "nifti", "phantom.nii.gz"));
  const hdr = new Uint8Array(gunzipSync(readFileSync(join(DIG, "nifti", "mask.nii.gz"))));
  const small = join(tmp, "mask_1mm.nii");
  writeFileSync(small, editNifti(hdr, { pixdim: 1, srowDiag: [-1, -1, 1], offset: [0, 0, 0] }));
  throwsInput(() => readMask(small, { image: img }), /^mask .*mask_1mm\.nii spacing 1×1×1 mm differs from image 2×2×2 mm/);
  const shifted = join(tmp, "mask_shift.nii");
  writeFileSync(shifted, editNifti(hdr, { pixdim: 2, srowDiag: [-2, -2, 2], offset: [0, 0, 4] }));
  throwsInput(() => readMask(shifted, { image: img }), /origin \(0, 0, 4\) mm differs from image \(0, 0, 0\) mm \(shift 0, 0, 4 mm\)/);
  throwsInput(() => checkSameGrid({ ...img, dims: [5, 4, 3] }, img, "mask"), /mask size 5×4×3 voxels differs from image 5×4×4/);

  // Unknown ROI name: the message lists what there is; RTSTRUCT needs an image.
  throwsInput(() => readMask(CT_RS, { image: ctImage(), roi: "GTV-2" }), /no ROI named "GTV-2"; ROIs: "GTV-1"/);
  throwsInput(() => readMask(CT_RS), /is an RTSTRUCT: pass \{ image \}/);
  // An RTSTRUCT onto an image in another frame of reference.
  const otherFor = { ...ctImage(), meta: { ...ctImage().meta, frameOfReferenceUid: "1.2.3" } };
  throwsInput(() => readMask(CT_RS, { image: otherFor }), /frame of reference .* the image is in 1\.2\.3/);

  // Not DICOM: the message names the file.
  const csv = join(IBSI, "phantom_voxels.csv");
  throwsInput(() => readDicomSeries([csv]), new RegExp(`${csv.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a DICOM file`));
  throwsInput(() => readMask(csv), /phantom_voxels\.csv is not a DICOM file/);
  throwsInput(() => readNifti(csv), /phantom_voxels\.csv is not a NIfTI file/);
  throwsInput(() => readDicomSeries(join(tmp, "nope")), /nope: no such file or directory/);
});

// ---------------------------------------------------------------------------------------------------
// Synthetic DICOM: encodings and pixel formats the phantoms do not exercise

const IMPLICIT_LE = "1.2.840.10008.1.2";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const EXPLICIT_BE = "1.2.840.10008.1.2.2";
const DEFLATED = "1.2.840.10008.1.2.1.99";

type Value = string | number[] | Uint8Array | Uint16Array | Item[];
type Item = Array<[number, string, Value]>;

const LONG_VRS = new Set(["OB", "OW", "OF", "SQ", "UT", "UN"]);

/** Encodes one data set (elements in tag order) in the given VR mode and byte order. */
function encode(items: Item, explicit: boolean, le: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const u16 = (x: number) => {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, x, le);
    return b;
  };
  const u32 = (x: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, x, le);
    return b;
  };
  for (const [tag, vr, value] of [...items].sort((a, b) => a[0] - b[0])) {
    let body: Uint8Array;
    if (vr === "SQ") {
      const its = (value as Item[]).map((it) => {
        const inner = encode(it, explicit, le);
        return concat([u16(0xfffe), u16(0xe000), u32(inner.length), inner]);
      });
      body = concat(its);
    } else if (typeof value === "string") {
      const s = value.length % 2 ? value + (vr === "UI" ? "\0" : " ") : value;
      body = new Uint8Array([...s].map((c) => c.charCodeAt(0)));
    } else if (value instanceof Uint16Array) {
      body = new Uint8Array(value.length * 2);
      const dv = new DataView(body.buffer);
      value.forEach((v, i) => dv.setUint16(2 * i, v, le));
    } else if (value instanceof Uint8Array) {
      body = value.length % 2 ? concat([value, new Uint8Array(1)]) : value;
    } else {
      const size = vr === "UL" || vr === "SL" ? 4 : 2;
      body = new Uint8Array(value.length * size);
      const dv = new DataView(body.buffer);
      (value as number[]).forEach((v, i) => (size === 4 ? dv.setUint32(4 * i, v, le) : dv.setUint16(2 * i, v, le)));
    }
    const head: Uint8Array[] = [u16(tag >>> 16), u16(tag & 0xffff)];
    if (explicit) {
      head.push(new Uint8Array([vr.charCodeAt(0), vr.charCodeAt(1)]));
      if (LONG_VRS.has(vr)) head.push(new Uint8Array(2), u32(body.length));
      else head.push(u16(body.length));
    } else head.push(u32(body.length));
    parts.push(...head, body);
  }
  return concat(parts);
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

/** A Part-10 file: preamble, "DICM", explicit-LE meta group, then the data set in `ts`. */
function dicomFile(ts: string, items: Item): Uint8Array {
  const sop = (items.find((e) => e[0] === 0x00080016)?.[2] as string) ?? "1.2.840.10008.5.1.4.1.1.2";
  const metaBody = encode(
    [
      [0x00020001, "OB", new Uint8Array([0, 1])],
      [0x00020002, "UI", sop],
      [0x00020003, "UI", "1.2.3.4.5"],
      [0x00020010, "UI", ts],
    ],
    true,
    true,
  );
  const meta = concat([encode([[0x00020000, "UL", [metaBody.length]]], true, true), metaBody]);
  let body = encode(items, ts !== IMPLICIT_LE, ts !== EXPLICIT_BE);
  if (ts === DEFLATED) body = new Uint8Array(deflateRawSync(body));
  return concat([new Uint8Array(128), new Uint8Array([0x44, 0x49, 0x43, 0x4d]), meta, body]);
}

interface SliceSpec {
  series: string;
  z: number;
  pixels: number[];
  rows?: number;
  cols?: number;
  bitsAllocated?: number;
  bitsStored?: number;
  signed?: boolean;
  slope?: string;
  intercept?: string;
  pixelSpacing?: string;
  iop?: string;
  /** Position = origin + z · normal; origin defaults to 0. */
  origin?: [number, number, number];
}

function sliceElements(s: SliceSpec): Item {
  const rows = s.rows ?? 2;
  const cols = s.cols ?? 3;
  const bits = s.bitsAllocated ?? 16;
  const iop = (s.iop ?? "1\\0\\0\\0\\1\\0").split("\\").map(Number);
  const n = [iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5], iop[0] * iop[4] - iop[1] * iop[3]];
  const o = s.origin ?? [0, 0, 0];
  const pos = o.map((x, a) => x + s.z * n[a]).join("\\");
  const pixelBytes: Value =
    bits === 16 ? Uint16Array.from(s.pixels, (v) => v & 0xffff) : bits === 8 ? Uint8Array.from(s.pixels) : Uint8Array.from(new Uint8Array(Uint32Array.from(s.pixels.map((v) => v >>> 0)).buffer));
  const items: Item = [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2"],
    [0x00080018, "UI", `1.2.3.9.${s.series}.${s.z}`],
    [0x00080060, "CS", "CT"],
    [0x0020000d, "UI", "1.2.3.8"],
    [0x0020000e, "UI", s.series],
    [0x00200032, "DS", pos],
    [0x00200037, "DS", s.iop ?? "1\\0\\0\\0\\1\\0"],
    [0x00200052, "UI", "1.2.3.7"],
    [0x00280002, "US", [1]],
    [0x00280004, "CS", "MONOCHROME2"],
    [0x00280010, "US", [rows]],
    [0x00280011, "US", [cols]],
    [0x00280030, "DS", s.pixelSpacing ?? "1\\1"],
    [0x00280100, "US", [bits]],
    [0x00280101, "US", [s.bitsStored ?? bits]],
    [0x00280102, "US", [(s.bitsStored ?? bits) - 1]],
    [0x00280103, "US", [s.signed ? 1 : 0]],
    [0x7fe00010, bits === 8 ? "OB" : "OW", pixelBytes],
  ];
  if (s.slope !== undefined) items.push([0x00281053, "DS", s.slope]);
  if (s.intercept !== undefined) items.push([0x00281052, "DS", s.intercept]);
  return items;
}

test("synthetic DICOM: signed 12-bit in 16 with junk high bits, rescale, anisotropic pixels, oblique stack — same in every transfer syntax", () => {
  // Stored values (12-bit two's complement) and the junk written above bit 11.
  const stored = [[-2048, -1, 0, 1, 2047, 100], [5, -5, 7, -7, 0, 3], [9, 8, 7, 6, 5, 4]];
  const junk = 0xa000; // bits 13 and 15 set: must be masked off
  // Oblique orientation: rows along (0.6, 0.8, 0), columns along (0, 0, −1); normal = row × col = (−0.8, 0.6, 0).
  const iop = "0.6\\0.8\\0\\0\\0\\-1";
  const zs = [10, 12.5, 15]; // positions along the normal, written in scrambled order below
  const files: Record<string, string[]> = {};
  for (const ts of [EXPLICIT_LE, IMPLICIT_LE, EXPLICIT_BE, DEFLATED]) {
    const dir = mkdtempSync(join(tmp, "syn-"));
    files[ts] = [2, 0, 1].map((s) => {
      const f = join(dir, `s${s}.dcm`);
      const pixels = stored[s].map((v) => ((v & 0x0fff) | junk));
      writeFileSync(f, dicomFile(ts, sliceElements({
        series: "1.2.5", z: zs[s], pixels, bitsStored: 12, signed: true, slope: "2", intercept: "-10",
        pixelSpacing: "0.5\\0.8", iop, origin: [1, 2, 3],
      })));
      return f;
    });
  }
  let first: Volume | undefined;
  for (const [ts, fs] of Object.entries(files)) {
    const v = readDicomSeries(fs);
    assert.equal(v.meta.transferSyntaxUid, ts);
    assert.deepEqual(v.dims, [3, 2, 3]);
    // PixelSpacing is row spacing \ column spacing: x (along a row, between columns) is the second value.
    assert.deepEqual(v.spacing.slice(0, 2), [0.8, 0.5]);
    assert.ok(Math.abs(v.spacing[2] - 2.5) < 1e-12);
    const expectDir = [0.6, 0, -0.8, 0.8, 0, 0.6, 0, -1, 0];
    assert.ok(v.direction.every((d, i) => Math.abs(d - expectDir[i]) < 1e-12), `direction ${v.direction}`);
    const o = [1 - 0.8 * 10, 2 + 0.6 * 10, 3];
    assert.ok(v.origin.every((x, i) => Math.abs(x - o[i]) < 1e-9), `origin ${v.origin}`);
    for (let k = 0; k < 3; k++) {
      for (let p = 0; p < 6; p++) assert.equal(v.data[k * 6 + p], stored[k][p] * 2 - 10, `${ts} slice ${k} pixel ${p}`);
    }
    if (first) assert.deepEqual(Array.from(v.data), Array.from(first.data));
    first ??= v;
  }
});

test("synthetic DICOM: 8-bit unsigned and 32-bit signed pixels; per-slice rescale", () => {
  const dir8 = mkdtempSync(join(tmp, "u8-"));
  const f8 = [0, 1].map((z) => {
    const f = join(dir8, `${z}.dcm`);
    writeFileSync(f, dicomFile(EXPLICIT_LE, sliceElements({ series: "8", z, pixels: [0, 1, 128, 200, 255, 7], bitsAllocated: 8, slope: String(z + 1) })));
    return f;
  });
  const v8 = readDicomSeries(f8);
  assert.deepEqual(Array.from(v8.data), [0, 1, 128, 200, 255, 7, 0, 2, 256, 400, 510, 14]);
  assert.deepEqual(v8.meta.rescale, { slope: [1, 2], intercept: [0, 0] });
  const dir32 = mkdtempSync(join(tmp, "s32-"));
  const px = [-2147483648, -1, 0, 1, 2147483647, 16777217];
  writeFileSync(join(dir32, "a.dcm"), dicomFile(EXPLICIT_LE, sliceElements({ series: "32", z: 0, pixels: px, bitsAllocated: 32, signed: true })));
  const v32 = readDicomSeries(dir32);
  assert.ok(v32.data instanceof Float64Array, "32-bit stored values need Float64");
  assert.deepEqual(Array.from(v32.data), px);
});

test("synthetic DICOM-SEG with two segments: pick by label or number; ambiguous or unknown names list the segments", () => {
  // 2 frames of 2×3 pixels per segment, 1 bit per pixel, on an axial grid at z = 0 and 2.
  const frame = (seg: number, z: number) => [
    [0x00209113, "SQ", [[[0x00200032, "DS", `0\\0\\${z}`]]]],
    [0x0062000a, "SQ", [[[0x0062000b, "US", [seg]]]]],
  ] as Item;
  const bits = [1, 0, 0, 1, 1, 0, /* */ 0, 0, 1, 1, 1, 1, /* */ 1, 1, 1, 0, 0, 0, /* */ 0, 1, 0, 1, 0, 1];
  const packed = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => (packed[i >> 3] |= b << (i & 7)));
  const seg: Item = [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.66.4"],
    [0x00080060, "CS", "SEG"],
    [0x0020000e, "UI", "1.2.6"],
    [0x00280002, "US", [1]],
    [0x00280008, "IS", "4"],
    [0x00280010, "US", [2]],
    [0x00280011, "US", [3]],
    [0x00280100, "US", [1]],
    [0x00280101, "US", [1]],
    [0x00280102, "US", [0]],
    [0x00280103, "US", [0]],
    [0x00620001, "CS", "BINARY"],
    [0x00620002, "SQ", [[[0x00620004, "US", [1]], [0x00620005, "LO", "Tumour"]], [[0x00620004, "US", [2]], [0x00620005, "LO", "Node"]]]],
    [0x52009229, "SQ", [[
      [0x00209116, "SQ", [[[0x00200037, "DS", "1\\0\\0\\0\\1\\0"]]]],
      [0x00289110, "SQ", [[[0x00280030, "DS", "1\\1"], [0x00180088, "DS", "2"]]]],
    ]]],
    [0x52009230, "SQ", [frame(1, 0), frame(1, 2), frame(2, 2), frame(2, 0)]],
    [0x7fe00010, "OB", packed],
  ];
  const f = join(tmp, "seg.dcm");
  writeFileSync(f, dicomFile(EXPLICIT_LE, seg));
  const tumour = readMask(f, { roi: "Tumour" });
  assert.deepEqual(tumour.dims, [3, 2, 2]);
  assert.deepEqual(tumour.spacing, [1, 1, 2]);
  assert.deepEqual(Array.from(tumour.data), bits.slice(0, 12));
  const node = readMask(f, { roi: 2 });
  // Segment 2's frames are at z = 2 then z = 0: slice order follows position, not frame order.
  assert.deepEqual(Array.from(node.data), [...bits.slice(18, 24), ...bits.slice(12, 18)]);
  throwsInput(() => readMask(f), /holds 2 segments \(1 "Tumour", 2 "Node"\); choose one with \{ roi \}/);
  throwsInput(() => readMask(f, { roi: "Lung" }), /no segment "Lung"; segments: 1 "Tumour", 2 "Node"/);
  // Onto an image grid with one more slice below: the SEG slices land at k = 1, 2.
  const image: Volume = { ...tumour, dims: [3, 2, 3], origin: [0, 0, -2], data: new Float32Array(18), meta: {} };
  const onImage = readMask(f, { roi: "Tumour", image });
  assert.deepEqual(Array.from(onImage.data), [0, 0, 0, 0, 0, 0, ...bits.slice(0, 12)]);
  throwsInput(() => readMask(f, { roi: "Tumour", image: { ...image, origin: [0, 0, -1] } }), /frame 1 at \(0, 0, 0\) mm is not on a slice of the image grid/);
});

// ---------------------------------------------------------------------------------------------------
// Synthetic NIfTI: qform, scaling, byte order, NIfTI-2

/** Rewrites pixdim/sform of a NIfTI-1 (little-endian) byte image, keeping the voxels. */
function editNifti(b: Uint8Array, e: { pixdim: number; srowDiag: number[]; offset: number[] }): Uint8Array {
  const out = b.slice();
  const v = new DataView(out.buffer);
  for (let i = 1; i <= 3; i++) v.setFloat32(76 + 4 * i, e.pixdim, true);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) v.setFloat32(280 + 16 * r + 4 * c, r === c ? e.srowDiag[r] : 0, true);
    v.setFloat32(280 + 16 * r + 12, e.offset[r], true);
  }
  return out;
}

interface NiftiSpec {
  version: 1 | 2;
  le: boolean;
  dims: number[];
  datatype: number;
  values: number[];
  pixdim: number[];
  qfac?: number;
  slope?: number;
  inter?: number;
  qform?: { code: number; bcd: number[]; offset: number[] };
  sform?: { code: number; rows: number[][] };
}

function niftiFile(s: NiftiSpec): Uint8Array {
  const hdrSize = s.version === 1 ? 348 : 540;
  const voxOffset = s.version === 1 ? 352 : 544;
  const bpv = s.datatype === 4 ? 2 : 4;
  const out = new Uint8Array(voxOffset + s.values.length * bpv);
  const v = new DataView(out.buffer);
  const le = s.le;
  const magic = (o: number, m: string) => [...m].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  v.setInt32(0, hdrSize, le);
  const dim = [3, ...s.dims, 1, 1, 1, 1];
  const pix = [s.qfac ?? 1, ...s.pixdim, 0, 0, 0, 0];
  if (s.version === 1) {
    dim.forEach((d, i) => v.setInt16(40 + 2 * i, d, le));
    v.setInt16(70, s.datatype, le);
    v.setInt16(72, bpv * 8, le);
    pix.forEach((d, i) => v.setFloat32(76 + 4 * i, d, le));
    v.setFloat32(108, voxOffset, le);
    v.setFloat32(112, s.slope ?? 0, le);
    v.setFloat32(116, s.inter ?? 0, le);
    v.setInt16(252, s.qform?.code ?? 0, le);
    v.setInt16(254, s.sform?.code ?? 0, le);
    s.qform?.bcd.forEach((x, i) => v.setFloat32(256 + 4 * i, x, le));
    s.qform?.offset.forEach((x, i) => v.setFloat32(268 + 4 * i, x, le));
    s.sform?.rows.forEach((r, ri) => r.forEach((x, c) => v.setFloat32(280 + 16 * ri + 4 * c, x, le)));
    magic(344, "n+1");
  } else {
    magic(4, "n+2\0\r\n\x1a\n");
    v.setInt16(12, s.datatype, le);
    v.setInt16(14, bpv * 8, le);
    dim.forEach((d, i) => v.setBigInt64(16 + 8 * i, BigInt(d), le));
    pix.forEach((d, i) => v.setFloat64(104 + 8 * i, d, le));
    v.setBigInt64(168, BigInt(voxOffset), le);
    v.setFloat64(176, s.slope ?? 0, le);
    v.setFloat64(184, s.inter ?? 0, le);
    v.setInt32(344, s.qform?.code ?? 0, le);
    v.setInt32(348, s.sform?.code ?? 0, le);
    s.qform?.bcd.forEach((x, i) => v.setFloat64(352 + 8 * i, x, le));
    s.qform?.offset.forEach((x, i) => v.setFloat64(376 + 8 * i, x, le));
    s.sform?.rows.forEach((r, ri) => r.forEach((x, c) => v.setFloat64(400 + 32 * ri + 8 * c, x, le)));
  }
  s.values.forEach((x, i) => (s.datatype === 4 ? v.setInt16(voxOffset + 2 * i, x, le) : v.setFloat32(voxOffset + 4 * i, x, le)));
  return out;
}

test("synthetic NIfTI: qform quaternion, scl_slope/inter, big-endian, NIfTI-2 all give the same LPS geometry", () => {
  const values = [1, -2, 3, 4, 5, -6, 7, 8, 9, 10, 11, 12];
  // A 180° rotation about z (quaternion b = c = 0, d = 1) in RAS is the identity in LPS.
  const q = { code: 1, bcd: [0, 0, 1], offset: [10, 20, 30] };
  const s = { code: 2, rows: [[-0.5, 0, 0, 10], [0, -0.75, 0, 20], [0, 0, 2, 30]] };
  const base = { dims: [3, 2, 2], datatype: 4, values, pixdim: [0.5, 0.75, 2] };
  const variants: Array<[string, NiftiSpec]> = [
    ["qform LE", { version: 1, le: true, ...base, qform: q }],
    ["qform BE", { version: 1, le: false, ...base, qform: q }],
    ["sform", { version: 1, le: true, ...base, sform: s, qform: { code: 1, bcd: [0, 0, 0], offset: [0, 0, 0] } }],
    ["NIfTI-2 sform BE", { version: 2, le: false, ...base, sform: s }],
  ];
  for (const [name, spec] of variants) {
    const f = join(tmp, `${name.replace(/ /g, "_")}.nii`);
    writeFileSync(f, niftiFile(spec));
    const v = readNifti(f);
    assert.deepEqual(v.dims, [3, 2, 2], name);
    assert.deepEqual(v.spacing, [0.5, 0.75, 2], name);
    assert.deepEqual(v.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1], name);
    assert.deepEqual(v.origin, [-10, -20, 30], name);
    assert.deepEqual(Array.from(v.data), values, name);
    assert.ok(v.data instanceof Int16Array, `${name}: unscaled int16 stays Int16Array`);
  }
  // qfac = −1 flips the third axis; scl_slope/inter are applied (float result).
  const f = join(tmp, "scaled.nii");
  writeFileSync(f, niftiFile({ version: 1, le: true, ...base, qfac: -1, qform: { code: 1, bcd: [0, 0, 0], offset: [0, 0, 0] }, slope: 0.5, inter: -1 }));
  const v = readNifti(f);
  assert.deepEqual(v.direction, [-1, 0, 0, 0, -1, 0, 0, 0, -1]);
  assert.ok(v.data instanceof Float32Array);
  assert.deepEqual(Array.from(v.data), values.map((x) => x * 0.5 - 1));
  // 4-D input is refused with its size.
  const four = niftiFile({ version: 1, le: true, ...base, qform: q });
  new DataView(four.buffer).setInt16(40, 4, true);
  new DataView(four.buffer).setInt16(48, 2, true);
  writeFileSync(join(tmp, "4d.nii"), four);
  throwsInput(() => readNifti(join(tmp, "4d.nii")), /is 4-D \(3×2×2×2\); radsurv reads 3-D images only/);
});

test("synthetic Enhanced CT multi-frame: per-frame positions and rescale from the functional groups, frames stored out of order", () => {
  // Frames hold z = 4, 0, 2 (in that order) with per-frame intercepts −1000, −1024, 0.
  const zs = [4, 0, 2];
  const intercepts = ["-1000", "-1024", "0"];
  const frames: Item[] = zs.map((z, f) => [
    [0x00209113, "SQ", [[[0x00200032, "DS", `-5\\-6\\${z}`]]]],
    [0x00289145, "SQ", [[[0x00281052, "DS", intercepts[f]], [0x00281053, "DS", "1"]]]],
  ]);
  const px = [10, 11, 12, 13, 14, 15, /* */ 20, 21, 22, 23, 24, 25, /* */ 30, 31, 32, 33, 34, 35];
  const enhanced: Item = [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2.1"],
    [0x00080018, "UI", "1.2.7.1"],
    [0x00080060, "CS", "CT"],
    [0x0020000e, "UI", "1.2.7"],
    [0x00280002, "US", [1]],
    [0x00280008, "IS", "3"],
    [0x00280010, "US", [2]],
    [0x00280011, "US", [3]],
    [0x00280100, "US", [16]],
    [0x00280101, "US", [16]],
    [0x00280102, "US", [15]],
    [0x00280103, "US", [0]],
    [0x52009229, "SQ", [[
      [0x00209116, "SQ", [[[0x00200037, "DS", "1\\0\\0\\0\\1\\0"]]]],
      [0x00289110, "SQ", [[[0x00280030, "DS", "0.7\\0.6"], [0x00180050, "DS", "2"]]]],
    ]]],
    [0x52009230, "SQ", frames],
    [0x7fe00010, "OW", Uint16Array.from(px)],
  ];
  const f = join(tmp, "enhanced.dcm");
  writeFileSync(f, dicomFile(EXPLICIT_LE, enhanced));
  const v = readDicomSeries(f);
  assert.deepEqual(v.dims, [3, 2, 3]);
  assert.deepEqual(v.spacing, [0.6, 0.7, 2]);
  assert.deepEqual(v.origin, [-5, -6, 0]);
  assert.deepEqual(v.meta.frameNumbers, [2, 3, 1]);
  assert.deepEqual(v.meta.rescale, { slope: [1, 1, 1], intercept: [-1024, 0, -1000] });
  assert.deepEqual(Array.from(v.data), [
    ...px.slice(6, 12).map((x) => x - 1024),
    ...px.slice(12, 18),
    ...px.slice(0, 6).map((x) => x - 1000),
  ]);
});

test("polygon fill: even–odd at voxel centres, a contour inside another is a hole, edges through centres follow [c0, c1)", () => {
  // Outer square with corners at voxel coordinates (0.5, 0.5)–(7.5, 7.5): centres 1..7 inside.
  // Inner square (2.5, 2.5)–(4.5, 4.5): centres 3..4 cut out. Written clockwise and counter-clockwise:
  // even–odd does not care about winding.
  const outer = Float64Array.from([0.5, 0.5, 7.5, 0.5, 7.5, 7.5, 0.5, 7.5]);
  const inner = Float64Array.from([2.5, 2.5, 2.5, 4.5, 4.5, 4.5, 4.5, 2.5]);
  const out = new Uint8Array(100);
  fillPolygons([outer, inner], 10, 10, out, 0);
  for (let j = 0; j < 10; j++) {
    for (let i = 0; i < 10; i++) {
      const inOuter = i >= 1 && i <= 7 && j >= 1 && j <= 7;
      const inInner = i >= 3 && i <= 4 && j >= 3 && j <= 4;
      assert.equal(out[i + 10 * j], inOuter && !inInner ? 1 : 0, `voxel (${i}, ${j})`);
    }
  }
  // A square whose edges pass exactly through centres: left/top edges included, right/bottom excluded
  // (the half-open crossing rule), so adjacent contours never claim the same voxel twice.
  const exact = new Uint8Array(25);
  fillPolygons([Float64Array.from([1, 1, 3, 1, 3, 3, 1, 3])], 5, 5, exact, 0);
  assert.equal(count(exact), 4);
  assert.deepEqual([exact[6], exact[7], exact[11], exact[12]], [1, 1, 1, 1]);
});
