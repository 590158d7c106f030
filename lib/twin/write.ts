/**
 * `radsurv twin`: writes the twin cohort's files into a folder — the tables, and (unless
 * { images: false }) one DICOM MR series per analysed patient with four reader masks as NIfTI and a
 * manifest for `radsurv extract --manifest`. Re-running with the same seed gives byte-identical files.
 *
 * Layout (paths relative to the folder):
 *   screening.csv, clinical.csv, latent.csv      the tables (twinTables)
 *   images/<id>/IM0001.dcm …                     one file per slice, inferior to superior
 *   masks/<id>_reader<r>_reading<m>.nii.gz       2 readers × 2 readings
 *   manifest.csv                                 patient, imageDir, maskPath, reader, reading
 *   lesions.csv                                  the true lesions behind the images (latent truth)
 *   study.json                                   the twin as a `radsurv reproduce --config` study (a template)
 *   twin.json                                    seed, generator, top-level files
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toCsv } from "../table/writeCsv.js";
import { twinTables, type TwinTables } from "./cohort.js";
import { patientImages, patientStreams, selectIds, writePatientDicom, type TwinPatientImages } from "./images.js";
import { writeNifti } from "../imaging/writeNifti.js";
import { twinStudyConfig } from "../study/config.js";

export interface TwinFiles {
  dir: string;
  seed: number;
  /** Top-level files written (relative to dir). */
  files: string[];
  /** Image and mask files written (relative to dir); empty with { images: false }. */
  imageFiles: string[];
  tables: TwinTables;
}

export interface TwinOptions {
  /** Write the DICOM series and NIfTI masks (default true). */
  images?: boolean;
  /** Only these analysed patients' images (default all 113); the tables are always complete. */
  ids?: string[];
}

export interface TwinManifestRow {
  patient: string;
  imageDir: string;
  maskPath: string;
  reader: number;
  reading: number;
}

export function writeTwin(dir: string, seed: number, options: TwinOptions = {}): TwinFiles {
  const tables = twinTables(seed);
  const withImages = options.images ?? true;
  // Validate the ids before anything is written.
  const ids = withImages ? selectIds(tables, options.ids) : [];
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(name);
  };
  put("screening.csv", toCsv(tables.screening));
  put("clinical.csv", toCsv(tables.clinical));
  put("latent.csv", toCsv(tables.latent));
  const imageFiles: string[] = [];
  if (withImages) {
    // A full run owns images/ and masks/: clear them, so no patient of another seed is left behind.
    if (options.ids === undefined) {
      rmSync(join(dir, "images"), { recursive: true, force: true });
      rmSync(join(dir, "masks"), { recursive: true, force: true });
    }
    mkdirSync(join(dir, "masks"), { recursive: true });
    const streams = patientStreams(tables);
    const manifest: TwinManifestRow[] = [];
    const lesions: Record<string, number | string>[] = [];
    for (const id of ids) {
      const p = patientImages(tables, id, streams.get(id)!);
      const imageDir = `images/${id}`;
      rmSync(join(dir, imageDir), { recursive: true, force: true });
      const series = writePatientDicom(join(dir, imageDir), tables, p);
      imageFiles.push(...series.map((f) => `${imageDir}/${f}`));
      for (const m of p.masks) {
        const maskPath = `masks/${id}_reader${m.reader}_reading${m.reading}.nii.gz`;
        writeNifti(join(dir, maskPath), { ...p.image, data: m.data }, { description: `radsurv twin ${id} reader ${m.reader} reading ${m.reading}` });
        imageFiles.push(maskPath);
        manifest.push({ patient: id, imageDir, maskPath, reader: m.reader, reading: m.reading });
      }
      lesions.push(lesionRow(p));
    }
    put("manifest.csv", toCsv(manifest));
    put("lesions.csv", toCsv(lesions));
    // The twin as a study configuration: `radsurv reproduce --config <dir>/study.json`, and a template for one's own study.
    put("study.json", JSON.stringify(twinStudyConfig, null, 2) + "\n");
  }
  const json: Record<string, unknown> = { seed, generator: "radsurv twin", files: [...files] };
  if (withImages) json.images = { patients: ids.length, series: "images/<id>/", masks: "masks/<id>_reader<r>_reading<m>.nii.gz", manifest: "manifest.csv" };
  put("twin.json", JSON.stringify(json, null, 2) + "\n");
  return { dir, seed, files, imageFiles, tables };
}

/** The truth behind a patient's images (never read by the pipeline). */
function lesionRow(p: TwinPatientImages): Record<string, number | string> {
  const v = p.image.spacing[0] * p.image.spacing[1] * p.image.spacing[2];
  let n = 0;
  let nNec = 0;
  for (let q = 0; q < p.lesion.length; q++) {
    n += p.lesion[q];
    nNec += p.necrosis[q];
  }
  const t = p.tumour;
  const r4 = (x: number) => Number(x.toFixed(4));
  return {
    id: p.id,
    nx: p.image.dims[0],
    ny: p.image.dims[1],
    nz: p.image.dims[2],
    pixelSpacingMm: p.image.spacing[0],
    lesionVoxels: n,
    lesionVolumeMl: r4((n * v) / 1000),
    necroticFraction: n ? r4(nNec / n) : 0,
    semiAxesMm: t.axes.map((x) => x.toFixed(2)).join(" "),
    heterogeneity: r4(t.heterogeneity),
    grainMm: r4(t.grainMm),
    necrosisRatio: r4(t.necrosisRatio),
    marginIrregularity: r4(t.irregularity),
    capsule: t.capsule ? 1 : 0,
  };
}
