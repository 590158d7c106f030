/**
 * DICOM series writer (dcmjs): a Volume → one uncompressed Explicit VR Little Endian file per slice,
 * signed 16-bit stored values with RescaleSlope/Intercept, ImagePositionPatient per slice along the
 * slice normal. What readDicomSeries reads back is exactly stored·slope + intercept, so a writer test
 * can bound the difference to the generated values by half the slope.
 */
import dcmjs from "dcmjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import { cross, GRID_TOL_COSINE } from "./grid.js";
import type { Volume } from "./volume.js";

export const MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** radsurv's implementation UID in the file meta header (a 2.25 UUID-derived UID, fixed). */
export const IMPLEMENTATION_CLASS_UID = uidFromText("radsurv implementation class");

/**
 * A DICOM UID under the 2.25 root (PS3.5 B.2): the decimal value of a 128-bit number, here the first
 * 16 bytes of SHA-256 of `text`. Deterministic, so the same seed and patient give the same UIDs.
 */
export function uidFromText(text: string): string {
  const h = createHash("sha256").update(text).digest();
  let x = 0n;
  for (let i = 0; i < 16; i++) x = (x << 8n) | BigInt(h[i]);
  // PS3.5 B.2 asks for a UUID: mark it as version 8 ("custom"), RFC 9562 variant.
  x = (x & ~(0xfn << 76n)) | (0x8n << 76n);
  x = (x & ~(0x3n << 62n)) | (0x2n << 62n);
  return `2.25.${x.toString()}`;
}

/**
 * A decimal string (DS, at most 16 characters) for x. Callers who need the read-back value to equal
 * the one they computed with should round their numbers first (e.g. to 1e-4 mm); this only shortens.
 */
export function formatDS(x: number): string {
  if (!Number.isFinite(x)) throw new InputError(`DICOM DS value must be finite, got ${x}`);
  let s = String(x === 0 ? 0 : x);
  for (let p = 15; s.length > 16 && p >= 1; p--) s = String(Number(x.toPrecision(p)));
  return s;
}

export interface DicomSeriesUids {
  study: string;
  series: string;
  frameOfReference: string;
  /** SOPInstanceUID of slice k (0-based, in the volume's k order). */
  instance(k: number): string;
}

export interface WriteDicomSeriesOptions {
  uids: DicomSeriesUids;
  /**
   * RescaleSlope. Default: the largest |value| maps to ±30000 stored, slope rounded to 6 significant
   * digits (the value written is the one used to quantise).
   */
  slope?: number;
  /** RescaleIntercept (default 0). */
  intercept?: number;
  /** SOP class (default MR Image Storage). */
  sopClassUid?: string;
  /** Further attributes by DICOM keyword (patient, study, acquisition), dcmjs naturalised form. */
  attributes?: Record<string, unknown>;
  /** File name of slice k (default IM0001.dcm, IM0002.dcm, … in k order). */
  fileName?(k: number): string;
}

export interface WrittenSeries {
  files: string[];
  slope: number;
  intercept: number;
  /** Stored int16 values, slice by slice as written (for callers that check the quantisation). */
  stored: Int16Array;
}

const defaultName = (k: number): string => `IM${String(k + 1).padStart(4, "0")}.dcm`;

/** The stored int16 values and the rescale of a volume (round to nearest; out of range is an error). */
export function quantiseInt16(data: ArrayLike<number>, slope: number, intercept: number, what = "volume"): Int16Array {
  const out = new Int16Array(data.length);
  for (let p = 0; p < data.length; p++) {
    const s = Math.round((data[p] - intercept) / slope);
    if (!(s >= -32768 && s <= 32767)) {
      throw new InputError(`${what}: value ${data[p]} at voxel ${p} does not fit int16 with slope ${slope}, intercept ${intercept}`);
    }
    out[p] = s;
  }
  return out;
}

/**
 * Writes `image` as a DICOM series in `dir` (created if needed) and returns the file names (relative
 * to `dir`). The volume's i axis becomes the rows' direction (IOP row cosine), j the columns', and k
 * must point along row × column, as readDicomSeries assumes when it orders slices.
 */
export function writeDicomSeries(dir: string, image: Volume, options: WriteDicomSeriesOptions): WrittenSeries {
  const [nx, ny, nz] = image.dims;
  const d = image.direction;
  const rowCos = [d[0], d[3], d[6]];
  const colCos = [d[1], d[4], d[7]];
  const normal = cross(rowCos, colCos);
  if (normal.some((x, a) => Math.abs(x - d[2 + 3 * a]) > GRID_TOL_COSINE)) {
    throw new InputError("writeDicomSeries: the volume's k axis must be the row × column direction (a right-handed slice stack)");
  }
  let maxAbs = 0;
  for (let p = 0; p < image.data.length; p++) maxAbs = Math.max(maxAbs, Math.abs(image.data[p]));
  const intercept = options.intercept ?? 0;
  const slope = options.slope ?? Number(formatDS(Number(((maxAbs || 1) / 30000).toPrecision(6))));
  if (!(slope > 0)) throw new InputError(`writeDicomSeries: RescaleSlope must be positive, got ${slope}`);
  if (formatDS(slope) !== String(slope) || formatDS(intercept) !== String(intercept)) {
    throw new InputError(`writeDicomSeries: slope ${slope} / intercept ${intercept} do not fit a 16-character DS exactly`);
  }
  const stored = quantiseInt16(image.data, slope, intercept, "writeDicomSeries");
  mkdirSync(dir, { recursive: true });
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const sopClass = options.sopClassUid ?? MR_IMAGE_STORAGE;
  const nPix = nx * ny;
  const files: string[] = [];
  const [sx, sy, sz] = image.spacing;
  for (let k = 0; k < nz; k++) {
    const pos = [0, 1, 2].map((a) => image.origin[a] + normal[a] * sz * k);
    const sop = options.uids.instance(k);
    const pixels = stored.slice(k * nPix, (k + 1) * nPix);
    const ds: Record<string, unknown> = {
      SpecificCharacterSet: "ISO_IR 100",
      ...options.attributes,
      SOPClassUID: sopClass,
      SOPInstanceUID: sop,
      StudyInstanceUID: options.uids.study,
      SeriesInstanceUID: options.uids.series,
      FrameOfReferenceUID: options.uids.frameOfReference,
      InstanceNumber: String(k + 1),
      ImagePositionPatient: pos.map(formatDS),
      ImageOrientationPatient: [...rowCos, ...colCos].map(formatDS),
      SliceLocation: formatDS(pos[0] * normal[0] + pos[1] * normal[1] + pos[2] * normal[2]),
      SliceThickness: formatDS(sz),
      SpacingBetweenSlices: formatDS(sz),
      SamplesPerPixel: 1,
      PhotometricInterpretation: "MONOCHROME2",
      Rows: ny,
      Columns: nx,
      // PixelSpacing is [between rows, between columns] = [y, x].
      PixelSpacing: [formatDS(sy), formatDS(sx)],
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      RescaleIntercept: formatDS(intercept),
      RescaleSlope: formatDS(slope),
      PixelData: [pixels.buffer],
      _vrMap: { PixelData: "OW" },
    };
    const meta = {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: sopClass,
      MediaStorageSOPInstanceUID: sop,
      TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
      ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
      ImplementationVersionName: "RADSURV_0_1",
    };
    const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
    const name = (options.fileName ?? defaultName)(k);
    writeFileSync(join(dir, name), new Uint8Array(dict.write()));
    files.push(name);
  }
  return { files, slope, intercept, stored };
}
