/**
 * The whole study, timed (issue 7's target: under 60 s on 2 cores, peak memory < 1.5 GB): twin cohort
 * generation into a fresh folder, feature extraction for 113 × 4 masks, the analysis, the honest
 * validation, results, report and figures. Notebooks are timed separately by `npm start`.
 * Run: node --import tsx bench/reproduce.ts [seed]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { reproduce } from "../lib/study/reproduce.js";
import { projectRoot } from "../lib/study/prepare.js";

export async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? 99);
  const twinDir = join(projectRoot, "out", `twin-${seed}`);
  rmSync(twinDir, { recursive: true, force: true }); // cold start: generate and extract
  const out = mkdtempSync(join(tmpdir(), "radsurv-bench-"));
  const s = await reproduce({ out, seed, notebooks: false, log: (t) => process.stdout.write(t) });
  console.log(`\nwhole study (seed ${seed}, cold cache, no notebooks): ${s.seconds.toFixed(1)} s, peak memory ${s.peakMemoryMb.toFixed(0)} MB`);
  const warm = await reproduce({ out, seed, notebooks: false, figures: false, log: () => {} });
  console.log(`again with the cached twin and features, no figures: ${warm.seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
