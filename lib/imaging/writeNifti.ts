/**
 * NIfTI-1 writer for masks and images on an LPS Volume grid, as ITK-SNAP saves segmentations:
 * the voxel order is kept (x fastest) and the LPS affine is flipped to RAS (x and y rows negated),
 * with the same affine in the sform and the qform, so readNifti's RAS → LPS conversion lands back on
 * the DICOM grid. Gzip is deterministic: Node's gzip header carries mtime 0 and no file name, so the
 * same voxels give the same bytes.
 */
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { InputError } from "../errors.js";
import { type Mat3 } from "./grid.js";
import type { Volume } from "./volume.js";

export interface NiftiWriteOptions {
  /** Up to 79 characters stored in the header's descrip field. */
  description?: string;
  /** NIfTI xform code for sform and qform; default 1 (scanner anatomical), what ITK writes. */
  xformCode?: number;
  /** zlib level for .nii.gz (default 6); fixed, so output bytes do not depend on defaults elsewhere. */
  gzipLevel?: number;
}

const HEADER_BYTES = 348;
const VOX_OFFSET = 352; // header + 4-byte extension flag (no extensions)

/** NIfTI datatype code and bytes per voxel of a Volume's typed array. */
function datatypeOf(data: Volume["data"]): { code: number; bytes: number } {
  if (data instanceof Uint8Array) return { code: 2, bytes: 1 };
  if (data instanceof Int16Array) return { code: 4, bytes: 2 };
  if (data instanceof Uint16Array) return { code: 512, bytes: 2 };
  if (data instanceof Int32Array) return { code: 8, bytes: 4 };
  if (data instanceof Float32Array) return { code: 16, bytes: 4 };
  return { code: 64, bytes: 8 };
}

/**
 * Unit quaternion (b, c, d) and qfac of a rotation matrix with orthonormal columns (row-major);
 * an improper matrix (det < 0) gets qfac −1 and its third column negated first, as NIfTI prescribes.
 */
export function matrixToQuaternion(r: Mat3): { b: number; c: number; d: number; qfac: 1 | -1 } {
  const m = [...r];
  const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const qfac: 1 | -1 = det < 0 ? -1 : 1;
  if (qfac < 0) for (const i of [2, 5, 8]) m[i] = -m[i];
  const [r11, r12, r13, r21, r22, r23, r31, r32, r33] = m;
  let a: number, b: number, c: number, d: number;
  const trace = r11 + r22 + r33 + 1;
  // Pick the largest of 4a², 4b², 4c², 4d² to divide by: numerically stable for every rotation.
  if (trace > 0.5) {
    a = 0.5 * Math.sqrt(trace);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  const z = (x: number) => (x === 0 ? 0 : x);
  return { b: z(b), c: z(c), d: z(d), qfac };
}

/** The uncompressed .nii bytes (header, empty extension flag, voxels little-endian) of a Volume. */
export function niftiBytes(volume: Volume, options: NiftiWriteOptions = {}): Uint8Array {
  const { dims, spacing, origin, direction, data } = volume;
  const n = dims[0] * dims[1] * dims[2];
  if (data.length !== n) throw new InputError(`writeNifti: data has ${data.length} values for ${dims.join("×")} voxels`);
  if (dims.some((d) => !(Number.isInteger(d) && d >= 1 && d <= 32767))) {
    throw new InputError(`writeNifti: dimensions ${dims.join("×")} do not fit a NIfTI-1 header (1…32767)`);
  }
  const { code, bytes } = datatypeOf(data);
  const out = new Uint8Array(VOX_OFFSET + n * bytes);
  const v = new DataView(out.buffer);
  const xform = options.xformCode ?? 1;
  v.setInt32(0, HEADER_BYTES, true);
  out[38] = 0x72; // regular = 'r', as ITK writes
  v.setInt16(40, 3, true);
  for (let i = 0; i < 3; i++) v.setInt16(42 + 2 * i, dims[i], true);
  for (let i = 3; i < 7; i++) v.setInt16(42 + 2 * i, 1, true);
  v.setInt16(70, code, true);
  v.setInt16(72, bytes * 8, true);
  // LPS direction → RAS: negate the x and y rows (ITK-SNAP's convention on writing).
  const d = direction;
  const ras: Mat3 = [-d[0], -d[1], -d[2], -d[3], -d[4], -d[5], d[6], d[7], d[8]];
  const q = matrixToQuaternion(ras);
  v.setFloat32(76, q.qfac, true);
  for (let i = 0; i < 3; i++) v.setFloat32(80 + 4 * i, spacing[i], true);
  v.setFloat32(108, VOX_OFFSET, true);
  v.setFloat32(112, 1, true); // scl_slope 1, scl_inter 0: identity scaling (readers keep the stored type)
  v.setFloat32(116, 0, true);
  out[123] = 2 | 8; // xyzt_units: mm and seconds
  const descrip = (options.description ?? "").slice(0, 79);
  for (let i = 0; i < descrip.length; i++) out[148 + i] = descrip.charCodeAt(i) & 0x7f;
  v.setInt16(252, xform, true);
  v.setInt16(254, xform, true);
  v.setFloat32(256, q.b, true);
  v.setFloat32(260, q.c, true);
  v.setFloat32(264, q.d, true);
  const offset = [-origin[0], -origin[1], origin[2]];
  for (let i = 0; i < 3; i++) v.setFloat32(268 + 4 * i, offset[i], true);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) v.setFloat32(280 + 16 * r + 4 * c, ras[3 * r + c] * spacing[c], true);
    v.setFloat32(280 + 16 * r + 12, offset[r], true);
  }
  out.set([0x6e, 0x2b, 0x31, 0x00], 344); // magic "n+1\0"
  // Voxels: little-endian on every platform radsurv runs on (x86, ARM); copy the typed array's bytes.
  out.set(new Uint8Array(data.buffer, data.byteOffset, n * bytes), VOX_OFFSET);
  return out;
}

/** Writes a Volume as .nii or, when the path ends in .gz, deterministic gzip .nii.gz. */
export function writeNifti(path: string, volume: Volume, options: NiftiWriteOptions = {}): void {
  const raw = niftiBytes(volume, options);
  writeFileSync(path, path.endsWith(".gz") ? gzipSync(raw, { level: options.gzipLevel ?? 6 }) : raw);
}
