/**
 * readNifti: NIfTI-1 (and NIfTI-2) single-file images, plain or gzipped, → Volume in LPS.
 *
 * NIfTI world space is RAS; DICOM's is LPS. Negating the first two rows of the voxel → world affine
 * converts one into the other, so a NIfTI and a DICOM series of the same grid give the same Volume
 * geometry and their voxels compare one to one.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { InputError } from "../errors.js";
import { GRID_TOL_COSINE, noNegZero, type Mat3 } from "./grid.js";
import type { Volume } from "./volume.js";

interface Header {
  version: 1 | 2;
  littleEndian: boolean;
  dim: number[];
  datatype: number;
  bitpix: number;
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quatern: [number, number, number];
  qoffset: [number, number, number];
  srow: number[][];
  descrip: string;
  xyztUnits: number;
}

const DATATYPES: Record<number, string> = {
  1: "binary (1 bit)", 2: "uint8", 4: "int16", 8: "int32", 16: "float32", 32: "complex64", 64: "float64", 128: "RGB24",
  256: "int8", 512: "uint16", 768: "uint32", 1024: "int64", 1280: "uint64", 1536: "float128", 1792: "complex128",
  2048: "complex256", 2304: "RGBA32",
};

const cstr = (b: Uint8Array, off: number, len: number): string => {
  let s = "";
  for (let i = off; i < off + len && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
};

function parseHeader(b: Uint8Array, file: string): Header {
  if (b.length < 348) throw new InputError(`${file} is not a NIfTI file (only ${b.length} bytes)`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le1 = v.getInt32(0, true);
  const be1 = v.getInt32(0, false);
  const littleEndian = le1 === 348 || le1 === 540;
  const size = littleEndian ? le1 : be1;
  if (size !== 348 && size !== 540) {
    throw new InputError(`${file} is not a NIfTI file (header size ${le1}, expected 348 for NIfTI-1 or 540 for NIfTI-2)`);
  }
  const i16 = (o: number) => v.getInt16(o, littleEndian);
  const i32 = (o: number) => v.getInt32(o, littleEndian);
  const f32 = (o: number) => v.getFloat32(o, littleEndian);
  const f64 = (o: number) => v.getFloat64(o, littleEndian);
  const i64 = (o: number) => Number(v.getBigInt64(o, littleEndian));
  if (size === 348) {
    const magic = cstr(b, 344, 4);
    if (magic === "ni1") throw new InputError(`${file}: NIfTI-1 header/image pair (.hdr/.img) is not supported; convert to a single .nii(.gz) file`);
    if (magic !== "n+1") throw new InputError(`${file}: no NIfTI-1 magic "n+1" (an ANALYZE 7.5 file?); radsurv reads NIfTI only`);
    return {
      version: 1,
      littleEndian,
      dim: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
      datatype: i16(70),
      bitpix: i16(72),
      pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
      voxOffset: f32(108),
      sclSlope: f32(112),
      sclInter: f32(116),
      xyztUnits: b[123],
      descrip: cstr(b, 148, 80),
      qformCode: i16(252),
      sformCode: i16(254),
      quatern: [f32(256), f32(260), f32(264)],
      qoffset: [f32(268), f32(272), f32(276)],
      srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))),
    };
  }
  if (b.length < 540) throw new InputError(`${file}: NIfTI-2 header truncated`);
  const magic = cstr(b, 4, 8);
  if (magic !== "n+2") throw new InputError(`${file}: NIfTI-2 header without single-file magic "n+2" (found "${magic}")`);
  return {
    version: 2,
    littleEndian,
    datatype: i16(12),
    bitpix: i16(14),
    dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    descrip: cstr(b, 240, 80),
    qformCode: i32(344),
    sformCode: i32(348),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))),
    xyztUnits: i32(500),
  };
}

/** RAS voxel → world affine (3×3 matrix and offset) by NIfTI's rules: sform, else qform, else pixdim. */
function rasAffine(h: Header, file: string): { m: Mat3; offset: [number, number, number]; source: string } {
  const sform = (): { m: Mat3; offset: [number, number, number]; source: string } => ({
    m: [h.srow[0][0], h.srow[0][1], h.srow[0][2], h.srow[1][0], h.srow[1][1], h.srow[1][2], h.srow[2][0], h.srow[2][1], h.srow[2][2]],
    offset: [h.srow[0][3], h.srow[1][3], h.srow[2][3]],
    source: "sform",
  });
  if (h.sformCode > 0) {
    const s = sform();
    // A sheared sform cannot be a Volume (orthonormal direction); the qform, which cannot shear, then rules, as in ITK.
    if (orthogonal(s.m) || h.qformCode <= 0) {
      if (!orthogonal(s.m)) throw new InputError(`${file}: sform is sheared (non-orthogonal axes) and there is no qform`);
      return s;
    }
  }
  if (h.qformCode > 0) {
    const [b, c, d] = h.quatern;
    const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
    const qfac = h.pixdim[0] < 0 ? -1 : 1;
    const [dx, dy, dz] = [Math.abs(h.pixdim[1]), Math.abs(h.pixdim[2]), qfac * Math.abs(h.pixdim[3])];
    const r = [
      a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
      2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
      2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - b * b - c * c,
    ];
    return {
      m: [r[0] * dx, r[1] * dy, r[2] * dz, r[3] * dx, r[4] * dy, r[5] * dz, r[6] * dx, r[7] * dy, r[8] * dz],
      offset: [...h.qoffset],
      source: "qform",
    };
  }
  // Neither code set: NIfTI "method 1", voxel sizes only (what nifticlib and ITK do).
  return {
    m: [Math.abs(h.pixdim[1]), 0, 0, 0, Math.abs(h.pixdim[2]), 0, 0, 0, Math.abs(h.pixdim[3])],
    offset: [0, 0, 0],
    source: "pixdim",
  };
}

function orthogonal(m: Mat3): boolean {
  const col = (j: number) => [m[j], m[3 + j], m[6 + j]];
  const unit = (x: number[]) => {
    const n = Math.hypot(x[0], x[1], x[2]);
    return x.map((y) => y / n);
  };
  const [a, b, c] = [unit(col(0)), unit(col(1)), unit(col(2))];
  const d = (x: number[], y: number[]) => Math.abs(x[0] * y[0] + x[1] * y[1] + x[2] * y[2]);
  return d(a, b) < GRID_TOL_COSINE && d(a, c) < GRID_TOL_COSINE && d(b, c) < GRID_TOL_COSINE;
}

function readVoxels(b: Uint8Array, h: Header, n: number, file: string): Volume["data"] {
  const name = DATATYPES[h.datatype] ?? `code ${h.datatype}`;
  const sizes: Record<number, number> = { 2: 1, 256: 1, 4: 2, 512: 2, 8: 4, 768: 4, 16: 4, 64: 8, 1024: 8, 1280: 8 };
  const bytes = sizes[h.datatype];
  if (bytes === undefined) {
    throw new InputError(`${file}: NIfTI datatype ${name} is not supported (uint8, int8, int16, uint16, int32, uint32, int64, float32, float64)`);
  }
  const off = Math.round(h.voxOffset);
  if (off + n * bytes > b.length) {
    throw new InputError(`${file}: image data truncated (${b.length - off} bytes for ${n} voxels of ${name})`);
  }
  // Copy into a fresh buffer: aligned for typed arrays, and byte-swappable for big-endian files.
  const raw = b.slice(off, off + n * bytes);
  if (!h.littleEndian && bytes > 1) {
    for (let p = 0; p < raw.length; p += bytes) raw.subarray(p, p + bytes).reverse();
  }
  const buf = raw.buffer;
  switch (h.datatype) {
    case 2: return new Uint8Array(buf);
    case 256: return Int16Array.from(new Int8Array(buf));
    case 4: return new Int16Array(buf);
    case 512: return new Uint16Array(buf);
    case 8: return new Int32Array(buf);
    case 768: return Float64Array.from(new Uint32Array(buf));
    case 16: return new Float32Array(buf);
    case 64: return new Float64Array(buf);
    case 1024: return Float64Array.from(new BigInt64Array(buf), Number);
    default: return Float64Array.from(new BigUint64Array(buf), Number);
  }
}

/** Reads a .nii or .nii.gz file (gzip recognised by content, not name). */
export function readNifti(path: string): Volume {
  let b: Uint8Array;
  try {
    b = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = new Uint8Array(gunzipSync(b));
    } catch (e) {
      throw new InputError(`${path}: gzip data are corrupt (${(e as Error).message})`);
    }
  }
  const h = parseHeader(b, path);
  const nd = h.dim[0];
  if (!(nd >= 1 && nd <= 7)) throw new InputError(`${path}: invalid dim[0] = ${nd}`);
  const dims: [number, number, number] = [1, 2, 3].map((i) => (i <= nd ? h.dim[i] : 1)) as [number, number, number];
  if (dims.some((d) => !(d >= 1))) throw new InputError(`${path}: invalid dimensions ${h.dim.slice(1, nd + 1).join("×")}`);
  for (let i = 4; i <= nd; i++) {
    if (h.dim[i] > 1) throw new InputError(`${path} is ${nd}-D (${h.dim.slice(1, nd + 1).join("×")}); radsurv reads 3-D images only`);
  }
  const n = dims[0] * dims[1] * dims[2];
  let data = readVoxels(b, h, n, path);
  const slope = h.sclSlope;
  const inter = h.sclInter;
  // scl_slope 0 means "no scaling" (NIfTI-1 standard); identity scaling keeps the stored type.
  const scaled = Number.isFinite(slope) && slope !== 0 && !(slope === 1 && (inter === 0 || !Number.isFinite(inter)));
  if (scaled) {
    const i0 = Number.isFinite(inter) ? inter : 0;
    const wide = data instanceof Float64Array || data instanceof Int32Array;
    const out = wide ? new Float64Array(n) : new Float32Array(n);
    for (let p = 0; p < n; p++) out[p] = data[p] * slope + i0;
    data = out;
  }
  const { m, offset, source } = rasAffine(h, path);
  // RAS → LPS: negate the x and y rows of the affine (matrix and offset).
  const lps: Mat3 = [-m[0], -m[1], -m[2], -m[3], -m[4], -m[5], m[6], m[7], m[8]];
  const spacing = [0, 1, 2].map((j) => Math.hypot(lps[j], lps[3 + j], lps[6 + j])) as [number, number, number];
  if (spacing.some((s) => !(s > 0))) throw new InputError(`${path}: zero voxel size in the ${source} (${spacing.join("×")} mm)`);
  const direction = lps.map((x, idx) => noNegZero(x / spacing[idx % 3])) as Volume["direction"];
  // NIfTI lengths are mm unless xyzt_units says metres or micrometres.
  const unit = h.xyztUnits & 7;
  const toMm = unit === 1 ? 1000 : unit === 3 ? 0.001 : 1;
  return {
    data,
    dims,
    spacing: spacing.map((s) => s * toMm) as [number, number, number],
    origin: [noNegZero(-offset[0] * toMm), noNegZero(-offset[1] * toMm), noNegZero(offset[2] * toMm)],
    direction,
    meta: {
      format: `nifti${h.version}`,
      file: path,
      datatype: DATATYPES[h.datatype],
      rescale: scaled ? { slope, intercept: Number.isFinite(inter) ? inter : 0 } : { slope: 1, intercept: 0 },
      affineSource: source,
      qformCode: h.qformCode,
      sformCode: h.sformCode,
      description: h.descrip,
    },
  };
}
