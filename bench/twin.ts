/**
 * Timing of the full twin cohort: tables, 113 DICOM MR series (one file per slice) and 4 NIfTI
 * reader masks per patient, written to a temporary folder. Goal: under 15 s on 2 cores.
 * Run: node --import tsx bench/twin.ts [seed]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeTwin } from "../lib/twin/write.js";

export function main(seed = 20210503): void {
  const dir = mkdtempSync(join(tmpdir(), "radsurv-twin-bench-"));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const w = writeTwin(dir, seed);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const dicom = w.imageFiles.filter((f) => f.endsWith(".dcm")).length;
    const masks = w.imageFiles.filter((f) => f.endsWith(".nii.gz")).length;
    console.log(
      `writeTwin (seed ${seed}): ${w.tables.clinical.length} patients, ${dicom} DICOM files, ${masks} masks in ` +
        `${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (goal < 15 s)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2] ? Number(process.argv[2]) : undefined);
