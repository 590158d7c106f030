/**
 * `npm run bench`: runs every benchmark in bench/ (each file exports main() and prints its own
 * timings, with R's beside them when Rscript is on PATH). Benchmarks are never tests.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const f of readdirSync(here).filter((f) => f.endsWith(".ts") && f !== "run.ts").sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n=== ${f} ===`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  if (typeof mod.main === "function") await mod.main();
}
