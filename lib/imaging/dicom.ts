/**
 * Low-level DICOM access on top of dicom-parser: opening a Part-10 file with a clear error when it is
 * not DICOM or is compressed, reading attributes of a frame from the (Enhanced) functional groups,
 * and decoding native pixel data (any bit depth, either sign, either byte order) of one frame.
 */
import dicomParser, { type DataSet, type Element } from "dicom-parser";
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { cross, norm, type Vec3 } from "./grid.js";

/** Transfer syntaxes whose pixel data radsurv decodes (all native, i.e. uncompressed, pixel data). */
export const NATIVE_TRANSFER_SYNTAXES: Record<string, string> = {
  "1.2.840.10008.1.2": "Implicit VR Little Endian",
  "1.2.840.10008.1.2.1": "Explicit VR Little Endian",
  "1.2.840.10008.1.2.2": "Explicit VR Big Endian",
  "1.2.840.10008.1.2.1.99": "Deflated Explicit VR Little Endian",
};

/** Encapsulated (compressed) transfer syntaxes, named so the error tells the user what they have. */
export const COMPRESSED_TRANSFER_SYNTAXES: Record<string, string> = {
  "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
  "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
  "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
  "1.2.840.10008.1.2.4.70": "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
  "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless Image Compression",
  "1.2.840.10008.1.2.4.81": "JPEG-LS Lossy (Near-Lossless) Image Compression",
  "1.2.840.10008.1.2.4.90": "JPEG 2000 Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.91": "JPEG 2000 Image Compression",
  "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component Image Compression",
  "1.2.840.10008.1.2.4.94": "JPIP Referenced",
  "1.2.840.10008.1.2.4.95": "JPIP Referenced Deflate",
  "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
  "1.2.840.10008.1.2.4.101": "MPEG2 Main Profile / High Level",
  "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
  "1.2.840.10008.1.2.4.103": "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
  "1.2.840.10008.1.2.4.104": "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
  "1.2.840.10008.1.2.4.105": "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
  "1.2.840.10008.1.2.4.106": "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
  "1.2.840.10008.1.2.4.107": "HEVC/H.265 Main Profile / Level 5.1",
  "1.2.840.10008.1.2.4.108": "HEVC/H.265 Main 10 Profile / Level 5.1",
  "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
  "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000 Image Compression",
  "1.2.840.10008.1.2.5": "RLE Lossless",
};

export const SOP_CLASS = {
  seg: "1.2.840.10008.5.1.4.1.1.66.4",
  rtstruct: "1.2.840.10008.5.1.4.1.1.481.3",
  mediaDirectory: "1.2.840.10008.1.3.10",
} as const;

export interface DicomFile {
  file: string;
  ds: DataSet;
  transferSyntaxUid: string;
  littleEndian: boolean;
}

const compressedMessage = (file: string, ts: string, name: string): string =>
  `${file}: transfer syntax ${name} (${ts}) is compressed; radsurv reads uncompressed DICOM only — ` +
  `decompress with dcmdjpeg/dcmdrle (DCMTK) or gdcmconv --raw first`;

/** Part-10 files carry "DICM" after a 128-byte preamble. */
export const hasDicmMarker = (b: Uint8Array): boolean =>
  b.length >= 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;

/**
 * Parses one DICOM file. Files without the Part-10 preamble are accepted only when they start like a
 * raw implicit-little-endian data set (group 0008), as some old archives write them; anything else is
 * reported as "not a DICOM file" with its name.
 */
export function openDicom(file: string, bytes?: Uint8Array): DicomFile {
  let b: Uint8Array;
  try {
    b = bytes ?? new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let ts: string;
  let ds: DataSet;
  if (hasDicmMarker(b)) {
    let meta: DataSet;
    try {
      meta = dicomParser.readPart10Header(b);
      checkBounds(meta, file);
      ts = (meta.string("x00020010") ?? "").replace(/\0/g, "").trim();
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${file}: damaged DICOM file, its file meta header cannot be read (${errText(e)}); the file is truncated or corrupt`);
    }
    // Check before parsing the data set: the user must learn the file is compressed, whatever else is in it.
    if (COMPRESSED_TRANSFER_SYNTAXES[ts]) throw new InputError(compressedMessage(file, ts, COMPRESSED_TRANSFER_SYNTAXES[ts]));
    if (!NATIVE_TRANSFER_SYNTAXES[ts]) {
      throw new InputError(
        `${file}: unknown transfer syntax "${ts}"; radsurv reads uncompressed DICOM only ` +
          `(${Object.entries(NATIVE_TRANSFER_SYNTAXES).map(([u, n]) => `${n} ${u}`).join(", ")})`,
      );
    }
    try {
      // A Buffer view (no copy): dicom-parser's Node inflater for the deflated syntax needs Buffer methods.
      ds = dicomParser.parseDicom(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    } catch (e) {
      throw new InputError(`${file}: damaged DICOM file, its data set cannot be parsed (${errText(e)}); the file is truncated or corrupt`);
    }
    checkBounds(ds, file);
  } else if (b.length >= 8 && b[0] === 0x08 && b[1] === 0x00) {
    ts = "1.2.840.10008.1.2";
    try {
      ds = dicomParser.parseDicom(b, { TransferSyntaxUID: ts });
    } catch (e) {
      throw new InputError(`${file} is not a DICOM file (no "DICM" marker at byte 128, and not a raw data set: ${errText(e)})`);
    }
    checkBounds(ds, file);
  } else {
    throw new InputError(`${file} is not a DICOM file (no "DICM" marker at byte 128)`);
  }
  return { file, ds, transferSyntaxUid: ts, littleEndian: ts !== "1.2.840.10008.1.2.2" };
}

/** dicom-parser throws strings, Errors, or { exception, dataSet } when a data set breaks off mid-way. */
const errText = (e: unknown): string => {
  if (e instanceof Error) return e.message;
  if (typeof e === "object" && e !== null && "exception" in e) return errText((e as { exception: unknown }).exception);
  return String(e);
};

const tagText = (tag: string): string => `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;

/**
 * dicom-parser takes element lengths on trust: the last element of a truncated file (or one whose length
 * field is damaged) can point past the end of the bytes, and reading it later throws a bare string. Every
 * element, also inside sequence items, is checked here once, so that a damaged file is reported as such
 * with its name.
 */
function checkBounds(ds: DataSet, file: string, depth = 0): void {
  const end = ds.byteArray.length;
  for (const el of Object.values(ds.elements)) {
    const ok = Number.isInteger(el.length) && el.length >= 0 && Number.isInteger(el.dataOffset) && el.dataOffset >= 0 && el.dataOffset + el.length <= end;
    if (!ok) {
      throw new InputError(
        `${file}: element ${tagText(el.tag)} of ${el.length} bytes at byte ${el.dataOffset} runs past the end of the data (${end} bytes); ` +
          `the file is truncated or damaged`,
      );
    }
    // Nesting deeper than any real object (functional groups are 3 levels) means garbage parsed as items.
    if (el.items && depth > 16) throw new InputError(`${file}: sequences nested more than 16 deep; the file is damaged`);
    for (const it of el.items ?? []) if (it.dataSet) checkBounds(it.dataSet, file, depth + 1);
  }
}

/**
 * Runs `fn`, turning anything dicom-parser throws (strings, plain objects) into an InputError naming
 * the file; radsurv's own typed errors pass through. A safety net behind checkBounds.
 */
export function dicomGuard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error) throw e;
    throw new InputError(`${file}: damaged DICOM file (${errText(e)}); the file is truncated or corrupt`);
  }
}

/** A string attribute without padding, or undefined when absent/empty. */
export function str(ds: DataSet, tag: string): string | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  const s = ds.string(tag);
  return s === undefined || s === "" ? undefined : s.replace(/\0/g, "").trim();
}

/**
 * All numbers of a decimal/integer string attribute (DS/IS), split on "\". Parsing the whole value once
 * matters for ContourData, which holds thousands of numbers.
 */
export function nums(ds: DataSet, tag: string): number[] | undefined {
  const s = str(ds, tag);
  if (s === undefined) return undefined;
  return s.split("\\").map((x) => Number(x.trim()));
}

export function num(ds: DataSet, tag: string): number | undefined {
  const v = nums(ds, tag);
  return v && v.length > 0 && Number.isFinite(v[0]) ? v[0] : undefined;
}

/** An unsigned short (US) attribute; works in implicit VR too, where dicom-parser knows no VR. */
export const us = (ds: DataSet, tag: string): number | undefined =>
  ds.elements[tag] && ds.elements[tag].length >= 2 ? ds.uint16(tag) : undefined;

/** First item's data set of a sequence attribute. */
export function item(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}

export function items(ds: DataSet | undefined, tag: string): DataSet[] {
  return (ds?.elements[tag]?.items ?? []).map((it) => it.dataSet).filter((d): d is DataSet => d !== undefined);
}

/**
 * The functional-group macro `seqTag` for frame `frame` of an Enhanced / Legacy Converted multi-frame
 * object: per-frame value first, then the shared one (PS3.3 C.7.6.16).
 */
export function frameGroup(ds: DataSet, frame: number, seqTag: string): DataSet | undefined {
  const perFrame = ds.elements["x52009230"]?.items?.[frame]?.dataSet;
  return item(perFrame, seqTag) ?? item(ds.elements["x52009229"]?.items?.[0]?.dataSet, seqTag);
}

export const numberOfFrames = (ds: DataSet): number => {
  const n = num(ds, "x00280008");
  return n !== undefined && n >= 1 ? Math.round(n) : 1;
};

/** Geometry and value mapping of one frame (a single-frame file is one frame). */
export interface Frame {
  file: string;
  /** 0-based frame index in its file. */
  frame: number;
  ds: DataSet;
  littleEndian: boolean;
  position: Vec3;
  /** Direction of increasing column index (IOP[0..2]). */
  rowCos: Vec3;
  /** Direction of increasing row index (IOP[3..5]). */
  colCos: Vec3;
  normal: Vec3;
  /** [spacing between columns (x), spacing between rows (y)] — DICOM PixelSpacing reversed. */
  spacing: [number, number];
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  rows: number;
  cols: number;
  slope: number;
  intercept: number;
  sopInstanceUid?: string;
}

const where = (file: string, frame: number, nFrames: number): string =>
  nFrames > 1 ? `${file} frame ${frame + 1}` : file;

/** Reads position/orientation/spacing/rescale of every frame of a file. */
export function framesOf(f: DicomFile): Frame[] {
  const { ds, file } = f;
  const n = numberOfFrames(ds);
  const rows = us(ds, "x00280010");
  const cols = us(ds, "x00280011");
  if (!rows || !cols) throw new InputError(`${file}: no Rows/Columns (0028,0010/0011); not an image`);
  // NumberOfFrames comes from the header; before looping over it, check the pixel data can hold that
  // many frames, so a damaged count is reported instead of looping over millions of phantom frames.
  const px = ds.elements["x7fe00010"] ?? ds.elements["x7fe00008"] ?? ds.elements["x7fe00009"];
  if (px && !px.encapsulatedPixelData && !px.hadUndefinedLength) {
    const bits = px.tag === "x7fe00008" ? 32 : px.tag === "x7fe00009" ? 64 : us(ds, "x00280100") ?? 0;
    const need = Math.ceil((n * rows * cols * bits) / 8);
    if (bits > 0 && need > px.length) {
      throw new InputError(
        `${file}: pixel data hold ${px.length} bytes, but ${n > 1 ? `NumberOfFrames ${n} × ` : ""}Rows ${rows} × Columns ${cols} × ${bits} bits need ${need}; ` +
          `the file is truncated or its header damaged`,
      );
    }
  } else if (!px && n > 65536) {
    throw new InputError(`${file}: NumberOfFrames ${n} without pixel data; the header is damaged`);
  }
  const enhanced = ds.elements["x52009230"] !== undefined || ds.elements["x52009229"] !== undefined;
  const gridOffsets = nums(ds, "x3004000c"); // GridFrameOffsetVector (RT Dose): frame offsets along the normal
  const out: Frame[] = [];
  for (let fr = 0; fr < n; fr++) {
    const here = where(file, fr, n);
    const posGroup = enhanced ? frameGroup(ds, fr, "x00209113") : undefined;
    const iopGroup = enhanced ? frameGroup(ds, fr, "x00209116") : undefined;
    const pos = (posGroup ? nums(posGroup, "x00200032") : undefined) ?? nums(ds, "x00200032");
    const iop = (iopGroup ? nums(iopGroup, "x00200037") : undefined) ?? nums(ds, "x00200037");
    const measures = enhanced ? frameGroup(ds, fr, "x00289110") : undefined;
    const ps = (measures ? nums(measures, "x00280030") : undefined) ?? nums(ds, "x00280030");
    const transform = enhanced ? frameGroup(ds, fr, "x00289145") : undefined;
    const slope = (transform ? num(transform, "x00281053") : undefined) ?? num(ds, "x00281053") ?? 1;
    const intercept = (transform ? num(transform, "x00281052") : undefined) ?? num(ds, "x00281052") ?? 0;
    if (!iop || iop.length !== 6 || iop.some((x) => !Number.isFinite(x))) {
      throw new InputError(`${here}: no valid ImageOrientationPatient (0020,0037); cannot place the slice in space`);
    }
    if (!pos || pos.length !== 3 || pos.some((x) => !Number.isFinite(x))) {
      throw new InputError(`${here}: no valid ImagePositionPatient (0020,0032); cannot place the slice in space`);
    }
    if (!ps || ps.length !== 2 || !(ps[0] > 0 && ps[1] > 0)) {
      throw new InputError(`${here}: no valid PixelSpacing (0028,0030)`);
    }
    const rowCos: Vec3 = [iop[0], iop[1], iop[2]];
    const colCos: Vec3 = [iop[3], iop[4], iop[5]];
    const nr = norm(rowCos);
    const nc = norm(colCos);
    if (Math.abs(nr - 1) > 1e-3 || Math.abs(nc - 1) > 1e-3) {
      throw new InputError(`${here}: ImageOrientationPatient ${iop.join("\\")} is not made of unit vectors`);
    }
    for (let a = 0; a < 3; a++) {
      rowCos[a] /= nr;
      colCos[a] /= nc;
    }
    const normal = cross(rowCos, colCos);
    let position: Vec3 = [pos[0], pos[1], pos[2]];
    if (!enhanced && n > 1) {
      // Classic multi-frame (e.g. RT Dose): one position, frames offset along the normal.
      if (!gridOffsets || gridOffsets.length !== n) {
        throw new InputError(`${file}: multi-frame image without per-frame positions (no functional groups, no GridFrameOffsetVector)`);
      }
      position = [pos[0] + normal[0] * gridOffsets[fr], pos[1] + normal[1] * gridOffsets[fr], pos[2] + normal[2] * gridOffsets[fr]];
    }
    out.push({
      file,
      frame: fr,
      ds,
      littleEndian: f.littleEndian,
      position,
      rowCos,
      colCos,
      normal,
      spacing: [ps[1], ps[0]],
      sliceThickness: (measures ? num(measures, "x00180050") : undefined) ?? num(ds, "x00180050"),
      spacingBetweenSlices: (measures ? num(measures, "x00180088") : undefined) ?? num(ds, "x00180088"),
      rows,
      cols,
      slope,
      intercept,
      sopInstanceUid: str(ds, "x00080018"),
    });
  }
  return out;
}

/** How pixel values are stored (Image Pixel module). */
export interface PixelFormat {
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  samplesPerPixel: number;
  /** 32/64-bit IEEE pixel data (FloatPixelData / DoubleFloatPixelData). */
  float: boolean;
  element: Element;
}

export function pixelFormat(ds: DataSet, file: string): PixelFormat {
  const el = ds.elements["x7fe00010"] ?? ds.elements["x7fe00008"] ?? ds.elements["x7fe00009"];
  if (!el) throw new InputError(`${file}: no pixel data (7FE0,0010)`);
  if (el.encapsulatedPixelData || el.hadUndefinedLength) {
    throw new InputError(`${file}: pixel data are encapsulated (compressed); radsurv reads uncompressed DICOM only`);
  }
  const float = el.tag !== "x7fe00010";
  const bitsAllocated = float ? (el.tag === "x7fe00008" ? 32 : 64) : us(ds, "x00280100") ?? 0;
  const bitsStored = float ? bitsAllocated : us(ds, "x00280101") ?? bitsAllocated;
  const highBit = float ? bitsAllocated - 1 : us(ds, "x00280102") ?? bitsStored - 1;
  const samplesPerPixel = us(ds, "x00280002") ?? 1;
  if (![1, 8, 16, 32].includes(bitsAllocated) && !float) {
    throw new InputError(`${file}: BitsAllocated ${bitsAllocated} is not supported (1, 8, 16 or 32)`);
  }
  if (samplesPerPixel !== 1) {
    throw new InputError(`${file}: ${samplesPerPixel} samples per pixel (colour image); radsurv reads greyscale images only`);
  }
  if (!(bitsStored >= 1 && bitsStored <= bitsAllocated && highBit >= bitsStored - 1 && highBit < bitsAllocated)) {
    throw new InputError(`${file}: inconsistent BitsAllocated ${bitsAllocated} / BitsStored ${bitsStored} / HighBit ${highBit}`);
  }
  return { bitsAllocated, bitsStored, highBit, signed: (us(ds, "x00280103") ?? 0) === 1, samplesPerPixel, float, element: el };
}

/**
 * Writes the stored values of frame `frame` (rows × cols, row by row) into out[offset …], mapped by
 * value·slope + intercept. Only the BitsStored bits ending at HighBit carry the value (the rest may
 * hold overlays or garbage); PixelRepresentation 1 makes them two's complement.
 */
export function decodeFrame(
  ds: DataSet,
  file: string,
  fmt: PixelFormat,
  littleEndian: boolean,
  frame: number,
  nPixels: number,
  out: { [i: number]: number },
  offset: number,
  slope = 1,
  intercept = 0,
): void {
  const el = fmt.element;
  const bytes = ds.byteArray;
  const bits = fmt.bitsAllocated;
  if (bits === 1) {
    const startBit = frame * nPixels;
    if (Math.ceil((startBit + nPixels) / 8) > el.length || el.dataOffset + Math.ceil((startBit + nPixels) / 8) > bytes.length) throw new InputError(`${file}: pixel data too short for frame ${frame + 1}`);
    for (let p = 0; p < nPixels; p++) {
      const b = startBit + p;
      const v = (bytes[el.dataOffset + (b >> 3)] >> (b & 7)) & 1; // bits fill each byte from the least significant end
      out[offset + p] = v * slope + intercept;
    }
    return;
  }
  const bpp = bits / 8;
  const start = el.dataOffset + frame * nPixels * bpp;
  if ((frame + 1) * nPixels * bpp > el.length || start + nPixels * bpp > bytes.length) {
    throw new InputError(`${file}: pixel data (${el.length} bytes) too short for frame ${frame + 1} of ${nPixels} pixels × ${bpp} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, nPixels * bpp);
  if (fmt.float) {
    for (let p = 0; p < nPixels; p++) {
      const v = bits === 32 ? view.getFloat32(p * 4, littleEndian) : view.getFloat64(p * 8, littleEndian);
      out[offset + p] = v * slope + intercept;
    }
    return;
  }
  const shift = fmt.highBit + 1 - fmt.bitsStored;
  const stored = fmt.bitsStored;
  // 2^stored as a float: the 32-bit case must not overflow integer shifts.
  const range = 2 ** stored;
  const half = range / 2;
  const mask = stored === 32 ? 0 : range - 1;
  // Explicit VR Big Endian stores 8-bit pixels in OW words byte-swapped; undo that by reading pairs.
  const swap8 = bits === 8 && !littleEndian && el.vr === "OW";
  for (let p = 0; p < nPixels; p++) {
    let raw: number;
    if (bits === 16) raw = view.getUint16(p * 2, littleEndian);
    else if (bits === 8) raw = view.getUint8(swap8 ? p ^ 1 : p);
    else raw = view.getUint32(p * 4, littleEndian);
    let v = stored === 32 ? raw : (raw >>> shift) & mask;
    if (fmt.signed && v >= half) v -= range;
    out[offset + p] = v * slope + intercept;
  }
}
