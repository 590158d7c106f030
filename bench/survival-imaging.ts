/**
 * Timings that must stay fast but are not tests: Harrell's C with its IJ variance at n = 10,000
 * (O(n log n)), and reading the IBSI CT phantom series (60 slices). Prints ms per call.
 */
import { pathToFileURL } from "node:url";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { concordance } from "../lib/survival/concordance.js";
import { readDicomSeries } from "../lib/imaging/index.js";
import { createRng } from "../lib/random/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function time<T>(label: string, reps: number, f: () => T): void {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  console.log(`${label}: ${((performance.now() - t0) / reps).toFixed(1)} ms per call (mean of ${reps})`);
}

export function main(): void {
  const rng = createRng(10000);
  const n = 10000;
  const t = Array.from({ length: n }, () => Math.ceil(rng.uniform() * 1000));
  const s = Array.from({ length: n }, () => (rng.uniform() < 0.7 ? 1 : 0));
  const r = Array.from({ length: n }, () => Math.round(rng.uniform() * 200));
  time("concordance n = 10,000 (timewt n)", 10, () => concordance(t, s, r));
  time("concordance n = 10,000 (timewt n/G2)", 10, () => concordance(t, s, r, { timewt: "n/G2" }));
  time("readDicomSeries IBSI CT phantom (60 slices, 204×201)", 5, () => readDicomSeries(join(root, "test/fixtures/ibsi/ct_phantom/dicom/image")));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
