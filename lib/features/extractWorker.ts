/**
 * One row of a cohort extraction (image + mask → features), run in a piscina worker thread by
 * extractCohort. Every failure comes back as a value naming the file it concerns, never as a thrown
 * error: a bad DICOM in one patient must not stop the other 400 rows, and errors crossing the thread
 * boundary would lose their class (InputError vs a bug) anyway.
 */
import { InputError, NumericalError } from "../errors.js";
import { readDicomSeries } from "../imaging/dicomSeries.js";
import { readMask } from "../imaging/mask.js";
import { readNifti } from "../imaging/nifti.js";
import type { Volume } from "../imaging/volume.js";
import { extractFeatures } from "./extract.js";
import type { ExtractSettings } from "./settings.js";

export interface ExtractTask {
  /** DICOM series directory (or a single DICOM / NIfTI image file), absolute. */
  imagePath: string;
  /** NIfTI, DICOM-SEG or RTSTRUCT mask, absolute. */
  maskPath: string;
  /** Structure to pick (RTSTRUCT ROI name, SEG segment, NIfTI label); optional. */
  roi?: string;
  settings: ExtractSettings;
}

export type ExtractTaskResult =
  | { ok: true; features: Record<string, number>; warnings: string[] }
  | { ok: false; file: string; message: string; /** Error class: InputError, NumericalError, or an internal error's name. */ kind: string };

const isNiftiPath = (p: string): boolean => /\.nii(\.gz)?$/i.test(p);

/** Reads an image: NIfTI by extension, otherwise a DICOM series (directory) or file. */
export function readImage(path: string): Volume {
  return isNiftiPath(path) ? readNifti(path) : readDicomSeries(path);
}

// The masks of one patient (several readers and readings) share its image; a worker often gets them
// one after another, so the last image read is kept.
let cached: { path: string; image: Volume } | undefined;

function failure(e: unknown, file: string): ExtractTaskResult {
  if (e instanceof InputError || e instanceof NumericalError) return { ok: false, file, message: e.message, kind: e.name };
  // Anything else is a bug in radsurv, not in the data: say so, with where it happened.
  const err = e instanceof Error ? e : new Error(String(e));
  const at = err.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim() ?? "";
  return { ok: false, file, message: `internal error ${err.name}: ${err.message}${at ? ` (${at})` : ""}`, kind: err.name };
}

/** Runs one row in the calling thread (the worker's entry point; also usable without a pool). */
export function extractRow(task: ExtractTask): ExtractTaskResult {
  let image: Volume;
  try {
    image = cached?.path === task.imagePath ? cached.image : readImage(task.imagePath);
    cached = { path: task.imagePath, image };
  } catch (e) {
    cached = undefined;
    return failure(e, task.imagePath);
  }
  let mask: Volume;
  try {
    mask = readMask(task.maskPath, { image, roi: task.roi });
    let n = 0;
    for (let p = 0; p < mask.data.length; p++) if (mask.data[p] !== 0) n++;
    if (n === 0) throw new InputError(`${task.maskPath}: the mask is empty (no voxel in the ROI)`);
  } catch (e) {
    return failure(e, task.maskPath);
  }
  try {
    const r = extractFeatures(image, mask, task.settings);
    const readerWarnings = (v: Volume, file: string): string[] =>
      Array.isArray(v.meta.warnings) ? v.meta.warnings.map((w) => `${file}: ${String(w)}`) : [];
    return {
      ok: true,
      features: r.features,
      warnings: [...readerWarnings(image, task.imagePath), ...readerWarnings(mask, task.maskPath), ...r.warnings],
    };
  } catch (e) {
    return failure(e, task.maskPath);
  }
}

export default function run(task: ExtractTask): ExtractTaskResult {
  return extractRow(task);
}
