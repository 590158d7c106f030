/**
 * Timing of the paper's reproducibility screen: 396 features × 113 patients × 4 readings
 * (two readers, two readings each), inter- and intra-observer ICC2 per feature.
 * Run: node --import tsx bench/icc.ts   (goal: well under a second)
 */
import { iccByFeature } from "../lib/stats/icc.js";
import { createRng } from "../lib/random/index.js";
import { pathToFileURL } from "node:url";

export function main(): void {
  const nFeatures = 396;
  const nPatients = 113;
  const rng = createRng(396);
  const values = new Float64Array(nFeatures * 4 * nPatients);
  for (let f = 0; f < nFeatures; f++) {
    const noise = 0.05 + rng.uniform();
    for (let i = 0; i < nPatients; i++) {
      const truth = rng.normal();
      for (let r = 0; r < 4; r++) values[(f * 4 + r) * nPatients + i] = 50 + 10 * truth + 10 * noise * rng.normal();
    }
  }

  iccByFeature(values, { nPatients }); // warm-up (JIT)
  const reps = 20;
  const t0 = process.hrtime.bigint();
  let kept = 0;
  for (let rep = 0; rep < reps; rep++) kept = iccByFeature(values, { nPatients }).keep.reduce((a, b) => a + b, 0);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / reps;
  console.log(
    `iccByFeature: ${nFeatures} features × ${nPatients} patients × 4 readings: ${ms.toFixed(3)} ms per run ` +
      `(mean of ${reps}); ${kept} features kept (ICC2 > 0.75 inter and intra)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
