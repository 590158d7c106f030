/**
 * The twin cohort on disk, ready to analyse: generated (or reused when the cached seed matches) and
 * its features extracted (resumed when a partial extraction exists). Notebooks and `radsurv
 * reproduce` share the same cache folder, so the expensive steps run once.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeTwin } from "../twin/write.js";
import { extractCohort, type ExtractCohortResult } from "../features/extractCohort.js";
import { createProgress } from "../report/progress.js";
import { twinStudyConfig } from "./config.js";
import { loadStudy, type LoadedStudy } from "./load.js";

export interface PreparedTwin extends LoadedStudy {
  dir: string;
  seed: number;
  /** True when the twin's files were reused from the cache. */
  cached: boolean;
  extraction: ExtractCohortResult;
}

export interface PrepareOptions {
  seed: number;
  /** Cache folder (default out/twin-<seed> in the project folder, so notebooks and `npm start` share it). */
  dir?: string;
  workers?: number;
  /** Show progress bars on stderr (default true). */
  progress?: boolean;
}

/** The project folder (this file is lib/study/prepare.ts, or dist/study/prepare.js once built). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function cachedSeed(dir: string): number | null {
  try {
    const j = JSON.parse(readFileSync(join(dir, "twin.json"), "utf8"));
    return j.images && j.images.patients > 0 && existsSync(join(dir, "manifest.csv")) ? j.seed : null;
  } catch {
    return null;
  }
}

export async function prepareTwin(options: PrepareOptions): Promise<PreparedTwin> {
  const seed = options.seed;
  const dir = resolve(options.dir ?? join(projectRoot, "out", `twin-${seed}`));
  const say = (s: string) => options.progress !== false && process.stderr.write(s);
  const cached = cachedSeed(dir) === seed;
  if (!cached) {
    say(`twin cohort (seed ${seed}): generating DICOM series and reader masks in ${dir} … `);
    rmSync(join(dir, "features.csv"), { force: true });
    rmSync(join(dir, "features.csv.settings.json"), { force: true });
    const t0 = performance.now();
    writeTwin(dir, seed);
    say(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  } else say(`twin cohort (seed ${seed}): reusing ${dir}\n`);
  let bar: ReturnType<typeof createProgress> | null = null;
  const extraction = await extractCohort(join(dir, "manifest.csv"), {
    outPath: join(dir, "features.csv"),
    settings: twinStudyConfig.extract,
    workers: options.workers,
    onStart: ({ total }) => {
      if (total > 0 && options.progress !== false) bar = createProgress(total, { label: "feature extraction" });
    },
    onProgress: (p) => bar?.update(p.done, p.failed ? `${p.failed} failed` : undefined),
  });
  (bar as ReturnType<typeof createProgress> | null)?.finish();
  const loaded = loadStudy(twinStudyConfig, join(dir, "clinical.csv"), join(dir, "features.csv"));
  return { ...loaded, dir, seed, cached, extraction };
}
