/**
 * readDicomSeries: one DICOM image series (single-frame slices, or Enhanced / Legacy Converted
 * multi-frame objects) → a Volume in LPS patient coordinates.
 *
 * Slices are ordered by their position along the slice normal (IOP row × column cosine, dotted with
 * IPP), never by file name or InstanceNumber, which scanners and converters number either way. The
 * stack must be regular: same size, spacing and orientation in every slice, one slice per position,
 * uniform gaps and no in-plane shift (gantry tilt) — otherwise voxel indices would not be a grid.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { dot, GRID_TOL_COSINE, GRID_TOL_MM, noNegZero } from "./grid.js";
import { decodeFrame, dicomGuard, framesOf, numberOfFrames, openDicom, pixelFormat, SOP_CLASS, str, type DicomFile, type Frame } from "./dicom.js";
import type { Volume } from "./volume.js";

export interface ReadDicomOptions {
  /** SeriesInstanceUID to read when the files hold several series. */
  seriesUid?: string;
  /**
   * Tolerance (mm) for "same position / same spacing / uniform gaps"; default GRID_TOL_MM = 1e-3 mm.
   * Raise it for scanners that round ImagePositionPatient coarsely.
   */
  tolerance?: number;
}

/** Files of a directory (non-recursive, hidden files skipped), or the given files. */
export function listInputFiles(dirOrFiles: string | string[]): { files: string[]; fromDirectory: boolean } {
  if (Array.isArray(dirOrFiles)) {
    if (dirOrFiles.length === 0) throw new InputError("readDicomSeries: empty file list");
    return { files: dirOrFiles, fromDirectory: false };
  }
  let st;
  try {
    st = statSync(dirOrFiles);
  } catch {
    throw new InputError(`${dirOrFiles}: no such file or directory`);
  }
  if (!st.isDirectory()) return { files: [dirOrFiles], fromDirectory: false };
  const files = readdirSync(dirOrFiles)
    .filter((n) => !n.startsWith("."))
    .sort()
    .map((n) => join(dirOrFiles, n))
    .filter((p) => statSync(p).isFile());
  if (files.length === 0) throw new InputError(`${dirOrFiles}: directory holds no files`);
  return { files, fromDirectory: true };
}

interface SeriesInfo {
  uid: string;
  files: DicomFile[];
}

/** Reads and groups the image objects by SeriesInstanceUID (RTSTRUCT, SEG and DICOMDIR are skipped). */
function collectSeries(dirOrFiles: string | string[]): { series: Map<string, SeriesInfo>; skipped: string[] } {
  const { files, fromDirectory } = listInputFiles(dirOrFiles);
  const series = new Map<string, SeriesInfo>();
  const skipped: string[] = [];
  for (const file of files) {
    let f: DicomFile;
    try {
      f = openDicom(file);
    } catch (e) {
      // In a directory, stray non-DICOM files (notes, checksums) are skipped; compressed DICOM is an error,
      // and so is a damaged one (it has the DICM marker): skipping it would report a "missing slice".
      if (fromDirectory && e instanceof InputError && / is not a DICOM file/.test(e.message)) {
        skipped.push(`${file} (not DICOM)`);
        continue;
      }
      throw e;
    }
    const sop = str(f.ds, "x00080016") ?? str(f.ds, "x00020002") ?? "";
    const modality = str(f.ds, "x00080060");
    const hasPixels = f.ds.elements["x7fe00010"] !== undefined || f.ds.elements["x7fe00008"] !== undefined || f.ds.elements["x7fe00009"] !== undefined;
    if (sop === SOP_CLASS.mediaDirectory || sop === SOP_CLASS.seg) {
      skipped.push(`${file} (${modality ?? (sop === SOP_CLASS.seg ? "SEG" : "DICOMDIR")})`);
      continue;
    }
    if (!hasPixels) {
      // An image header (Rows, Columns) without its pixels is a broken slice, not a stray file to skip:
      // skipping it would turn into a "missing slice" error that hides the cause.
      if (f.ds.elements["x00280010"] !== undefined && f.ds.elements["x00280011"] !== undefined) {
        throw new InputError(`${file}: ${modality ?? "image"} slice without pixel data (7FE0,0010); the file is truncated or incomplete`);
      }
      skipped.push(`${file} (${modality ? `${modality}, ` : ""}no pixel data)`);
      continue;
    }
    const uid = str(f.ds, "x0020000e") ?? "(no SeriesInstanceUID)";
    const s = series.get(uid) ?? { uid, files: [] };
    s.files.push(f);
    series.set(uid, s);
  }
  return { series, skipped };
}

const describeSeries = (s: SeriesInfo): string => {
  const ds = s.files[0].ds;
  const desc = [str(ds, "x00080060"), str(ds, "x0008103e")].filter(Boolean).join(" ");
  return `${s.uid} (${desc ? desc + ", " : ""}${s.files.length} file${s.files.length > 1 ? "s" : ""})`;
};

export function readDicomSeries(dirOrFiles: string | string[], options: ReadDicomOptions = {}): Volume {
  const tol = options.tolerance ?? GRID_TOL_MM;
  const where = Array.isArray(dirOrFiles) ? `${dirOrFiles.length} files` : dirOrFiles;
  const { series, skipped } = collectSeries(dirOrFiles);
  if (series.size === 0) throw new InputError(`${where}: no DICOM image files found${skipped.length ? ` (skipped: ${skipped.join(", ")})` : ""}`);
  let chosen: SeriesInfo;
  if (options.seriesUid !== undefined) {
    const s = series.get(options.seriesUid);
    if (!s) {
      throw new InputError(
        `${where}: no series with SeriesInstanceUID ${options.seriesUid}; found ${[...series.values()].map(describeSeries).join("; ")}`,
      );
    }
    chosen = s;
  } else if (series.size > 1) {
    throw new InputError(
      `${where} holds ${series.size} series; pick one with { seriesUid }: ${[...series.values()].map(describeSeries).join("; ")}`,
    );
  } else {
    chosen = [...series.values()][0];
  }
  return stackSeries(chosen.files, tol, skipped);
}

const frameName = (f: Frame): string => (numberOfFrames(f.ds) > 1 ? `${f.file} frame ${f.frame + 1}` : f.file);

/** Orders frames along the normal and checks they form a regular grid; returns the ordered frames and the slice step. */
export function orderFrames(frames: Frame[], tol: number): { ordered: Frame[]; step: number; positions: number[] } {
  const ref = frames[0];
  for (const f of frames) {
    if (f.rows !== ref.rows || f.cols !== ref.cols) {
      throw new InputError(`${frameName(f)} is ${f.cols}×${f.rows} pixels, ${frameName(ref)} is ${ref.cols}×${ref.rows}; slices of one volume must have the same size`);
    }
    if (Math.abs(f.spacing[0] - ref.spacing[0]) > tol || Math.abs(f.spacing[1] - ref.spacing[1]) > tol) {
      throw new InputError(`${frameName(f)} has pixel spacing ${f.spacing.join("×")} mm, ${frameName(ref)} ${ref.spacing.join("×")} mm`);
    }
    for (let a = 0; a < 3; a++) {
      if (Math.abs(f.rowCos[a] - ref.rowCos[a]) > GRID_TOL_COSINE || Math.abs(f.colCos[a] - ref.colCos[a]) > GRID_TOL_COSINE) {
        throw new InputError(
          `${frameName(f)} has ImageOrientationPatient ${[...f.rowCos, ...f.colCos].join("\\")}, ${frameName(ref)} ` +
            `${[...ref.rowCos, ...ref.colCos].join("\\")}; slices of one volume must share the orientation`,
        );
      }
    }
  }
  const n = ref.normal;
  const withD = frames.map((f) => ({ f, d: dot(n, f.position) })).sort((a, b) => a.d - b.d);
  const ordered = withD.map((x) => x.f);
  const positions = withD.map((x) => x.d);
  if (ordered.length === 1) {
    // A damaged or careless header may say 0 (or less): a voxel needs a positive extent.
    const positive = (x: number | undefined) => (x !== undefined && x > 0 ? x : undefined);
    return { ordered, positions, step: positive(ref.spacingBetweenSlices) ?? positive(ref.sliceThickness) ?? 1 };
  }
  const gaps = positions.slice(1).map((d, i) => d - positions[i]);
  for (let i = 0; i < gaps.length; i++) {
    if (gaps[i] <= tol) {
      throw new InputError(
        `${frameName(ordered[i])} and ${frameName(ordered[i + 1])} are at the same position (${positions[i].toFixed(3)} mm along the slice normal); ` +
          `the series holds more than one volume (several echoes, phases or time points)`,
      );
    }
  }
  // The typical gap is the median: with one slice missing, most gaps are still right.
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const typical = sortedGaps[Math.floor((sortedGaps.length - 1) / 2)];
  for (let i = 0; i < gaps.length; i++) {
    if (Math.abs(gaps[i] - typical) > tol) {
      const m = gaps[i] / typical;
      const between = `between ${frameName(ordered[i])} (${positions[i].toFixed(3)} mm) and ${frameName(ordered[i + 1])} (${positions[i + 1].toFixed(3)} mm)`;
      if (Math.abs(m - Math.round(m)) * typical <= tol && Math.round(m) >= 2) {
        const k = Math.round(m) - 1;
        throw new InputError(`${k} slice${k > 1 ? "s" : ""} missing ${between}: gap ${gaps[i].toFixed(3)} mm, other slices are ${typical.toFixed(3)} mm apart`);
      }
      throw new InputError(`non-uniform slice spacing: gap ${gaps[i].toFixed(3)} mm ${between}, other slices are ${typical.toFixed(3)} mm apart (tolerance ${tol} mm)`);
    }
  }
  const step = (positions[positions.length - 1] - positions[0]) / (positions.length - 1);
  // Every slice origin must lie on the line through the first one along the normal; otherwise the
  // stack is sheared (gantry tilt) and index k does not map to a fixed in-plane position.
  const p0 = ordered[0].position;
  for (let i = 1; i < ordered.length; i++) {
    const p = ordered[i].position;
    const dv = [p[0] - p0[0], p[1] - p0[1], p[2] - p0[2]];
    const along = dot(dv, n);
    const off = Math.hypot(dv[0] - along * n[0], dv[1] - along * n[1], dv[2] - along * n[2]);
    if (off > tol) {
      throw new InputError(
        `${frameName(ordered[i])} is shifted ${off.toFixed(3)} mm in-plane from the first slice's axis (gantry tilt or sheared stack); ` +
          `radsurv needs slices stacked along their normal — resample the series first`,
      );
    }
  }
  return { ordered, positions, step };
}

function stackSeries(files: DicomFile[], tol: number, skipped: string[]): Volume {
  const frames = files.flatMap((f) => dicomGuard(f.file, () => framesOf(f)));
  const { ordered, step } = orderFrames(frames, tol);
  const ref = ordered[0];
  const nx = ref.cols;
  const ny = ref.rows;
  const nz = ordered.length;
  const formats = new Map<DicomFile["ds"], ReturnType<typeof pixelFormat>>();
  for (const f of files) formats.set(f.ds, dicomGuard(f.file, () => pixelFormat(f.ds, f.file)));
  // Float32 holds integers exactly up to 2^24; wider stored values or double pixel data need Float64.
  const wide = [...formats.values()].some((p) => p.bitsStored > 24 || (p.float && p.bitsAllocated === 64));
  const nPix = nx * ny;
  const data = wide ? new Float64Array(nPix * nz) : new Float32Array(nPix * nz);
  ordered.forEach((f, k) => {
    dicomGuard(f.file, () => decodeFrame(f.ds, f.file, formats.get(f.ds)!, f.littleEndian, f.frame, nPix, data, k * nPix, f.slope, f.intercept));
  });
  const r = ref.rowCos;
  const c = ref.colCos;
  const n = ref.normal;
  const ds0 = ref.ds;
  const slopes = ordered.map((f) => f.slope);
  const intercepts = ordered.map((f) => f.intercept);
  const uniformRescale = slopes.every((s) => s === slopes[0]) && intercepts.every((s) => s === intercepts[0]);
  const warnings: string[] = [];
  if (ref.sliceThickness !== undefined && nz > 1 && Math.abs(ref.sliceThickness - step) > tol) {
    warnings.push(`SliceThickness ${ref.sliceThickness} mm differs from the slice spacing ${step} mm (overlapping or gapped slices); the spacing is used`);
  }
  const fmt0 = formats.get(ds0)!;
  const photometric = str(ds0, "x00280004");
  return {
    data,
    dims: [nx, ny, nz],
    spacing: [ref.spacing[0], ref.spacing[1], step],
    origin: [...ref.position],
    direction: [r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]].map(noNegZero) as Volume["direction"],
    meta: {
      format: "dicom",
      seriesUid: str(ds0, "x0020000e"),
      studyUid: str(ds0, "x0020000d"),
      patientId: str(ds0, "x00100020"),
      modality: str(ds0, "x00080060"),
      seriesDescription: str(ds0, "x0008103e"),
      frameOfReferenceUid: str(ds0, "x00200052"),
      sopClassUid: str(ds0, "x00080016"),
      transferSyntaxUid: files[0].transferSyntaxUid,
      sopInstanceUids: ordered.map((f) => f.sopInstanceUid),
      files: ordered.map((f) => f.file),
      frameNumbers: ordered.map((f) => f.frame + 1),
      rescale: uniformRescale ? { slope: slopes[0], intercept: intercepts[0] } : { slope: slopes, intercept: intercepts },
      rescaleType: str(ds0, "x00281054"),
      sliceThickness: ref.sliceThickness,
      photometricInterpretation: photometric,
      bitsStored: fmt0.bitsStored,
      pixelRepresentation: fmt0.signed ? 1 : 0,
      skippedFiles: skipped,
      warnings,
    },
  };
}
