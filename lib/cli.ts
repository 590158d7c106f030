#!/usr/bin/env node
/**
 * The `radsurv` command.
 *   radsurv reproduce [--out out] [--seed N] [--config study.json] [--workers N] [--bootstrap B] [--no-notebooks] [--no-figures]   run the study (for now: every notebook) and write results.json
 *   radsurv notebook FILE.ipynb [--out DIR]    execute one notebook headless into DIR (default out/notebooks)
 *   radsurv twin [--out DIR] [--seed N] [--no-images] [--ids A,B]   write the synthetic twin cohort (default out/twin)
 *   radsurv extract --manifest m.csv --out features.csv [--settings s.json] [--workers N] [--profile P]
 *                                              features of every manifest row, in parallel, resumable
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runNotebook } from "./notebook/runNotebook.js";
import { InputError } from "./errors.js";
import { writeTwin } from "./twin/write.js";
import { reproduce } from "./study/reproduce.js";
import { extractCohort } from "./features/extractCohort.js";
import type { ExtractSettings } from "./features/settings.js";
import { createProgress } from "./report/progress.js";


function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new InputError(`option ${name} needs a value`);
  return v;
}

async function reproduceCommand(args: string[]): Promise<number> {
  const workers = args.includes("--workers") ? Number(option(args, "--workers", "")) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new InputError(`--workers must be a whole number ≥ 1`);
  const pipelineBootstrap = args.includes("--bootstrap") ? Number(option(args, "--bootstrap", "")) : undefined;
  if (pipelineBootstrap !== undefined && !(Number.isInteger(pipelineBootstrap) && pipelineBootstrap >= 0)) throw new InputError(`--bootstrap must be a whole number ≥ 0`);
  const summary = await reproduce({
    out: option(args, "--out", "out"),
    seed: parseSeed(args),
    config: args.includes("--config") ? option(args, "--config", "") : undefined,
    workers,
    notebooks: !args.includes("--no-notebooks"),
    figures: !args.includes("--no-figures"),
    settings: pipelineBootstrap !== undefined ? { pipelineBootstrap } : undefined,
  });
  return summary.notebooksOk ? 0 : 1;
}

async function notebook(args: string[]): Promise<number> {
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--out");
  if (!file) throw new InputError("radsurv notebook: give the .ipynb file to run");
  const run = await runNotebook(file, resolve(option(args, "--out", "out/notebooks")));
  if (args.includes("--json")) process.stdout.write(JSON.stringify(run) + "\n");
  else if (!run.ok) process.stderr.write(`${file}: cell ${run.error?.cell} failed:\n${run.error?.message}\n`);
  else process.stderr.write(`${file}: ${run.cellsRun} cells ok → ${run.outPath}\n`);
  return run.ok ? 0 : 1;
}

const DEFAULT_SEED = "20210503";

function parseSeed(args: string[]): number {
  const text = option(args, "--seed", DEFAULT_SEED);
  const seed = Number(text);
  if (!/^\d+$/.test(text) || seed >= 2 ** 32) throw new InputError(`--seed must be a whole number below 2^32, got "${text}"`);
  return seed;
}

function twin(args: string[]): number {
  const out = resolve(option(args, "--out", "out/twin"));
  const seed = parseSeed(args);
  const ids = args.includes("--ids") ? option(args, "--ids", "").split(",").filter(Boolean) : undefined;
  const t = writeTwin(out, seed, { images: !args.includes("--no-images"), ids });
  process.stderr.write(`twin cohort (seed ${seed}): ${t.files.join(", ")}${t.imageFiles.length ? ` + ${t.imageFiles.length} image/mask files` : ""} → ${out}\n`);
  return 0;
}

/**
 * Exit codes: 0 every row extracted, 1 some rows failed (listed in <out>.errors.csv; rerun to retry
 * them once fixed), 2 bad input (manifest, settings, options).
 */
async function extract(args: string[]): Promise<number> {
  const manifest = option(args, "--manifest", "");
  const out = option(args, "--out", "");
  if (!manifest || !out) throw new InputError(`radsurv extract needs --manifest and --out\n${usage}`);
  let settings: ExtractSettings = {};
  const settingsFile = option(args, "--settings", "");
  if (settingsFile) {
    let text: string;
    try {
      text = readFileSync(settingsFile, "utf8");
    } catch (e) {
      throw new InputError(`cannot read settings file ${settingsFile}: ${(e as Error).message}`);
    }
    try {
      settings = JSON.parse(text) as ExtractSettings;
    } catch (e) {
      throw new InputError(`${settingsFile} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const profile = option(args, "--profile", "");
  if (profile) settings = { ...settings, profile: profile as ExtractSettings["profile"] };
  const workersText = option(args, "--workers", "");
  const workers = workersText ? Number(workersText) : undefined;
  if (workersText && !/^\d+$/.test(workersText)) throw new InputError(`--workers must be a whole number >= 1, got "${workersText}"`);
  let progress: ReturnType<typeof createProgress> | undefined;
  const result = await extractCohort(manifest, {
    outPath: out,
    settings,
    workers,
    onStart: (info) => {
      if (info.skipped > 0) process.stderr.write(`radsurv extract: ${info.skipped} rows already in ${out}, ${info.total} to go\n`);
      if (info.total > 0) progress = createProgress(info.total, { label: "extract" });
    },
    onProgress: (p) => progress?.update(p.done, p.failed > 0 ? `${p.failed} failed` : undefined),
  });
  progress?.finish(result.failed > 0 ? `${result.failed} failed` : undefined);
  const parts = [`${result.done} row${result.done === 1 ? "" : "s"} extracted`];
  if (result.skipped > 0) parts.push(`${result.skipped} already in ${out} (kept)`);
  if (result.failed > 0) parts.push(`${result.failed} failed`);
  process.stderr.write(`radsurv extract: ${parts.join(", ")} of ${result.total} → ${result.outPath}` +
    (result.workers > 0 ? ` (${result.workers} worker${result.workers > 1 ? "s" : ""})` : "") + "\n");
  const nWarn = result.warnings.reduce((n, w) => n + w.warnings.length, 0);
  if (nWarn > 0) {
    const distinct = [...new Set(result.warnings.flatMap((w) => w.warnings))];
    process.stderr.write(`${nWarn} warning${nWarn > 1 ? "s" : ""} in ${result.warnings.length} row${result.warnings.length > 1 ? "s" : ""}, e.g.:\n` +
      distinct.slice(0, 3).map((w) => `  ${w}\n`).join(""));
  }
  if (result.extraRows > 0) {
    process.stderr.write(`note: ${result.extraRows} row${result.extraRows > 1 ? "s" : ""} of ${out} are not in the manifest; kept at the end\n`);
  }
  if (result.failed > 0) {
    const shown = result.errors.slice(0, 10);
    process.stderr.write(
      `failed rows (all in ${result.errorsPath}):\n` +
        shown.map((e) => `  ${e.patient} / reader ${e.reader} / reading ${e.reading}: ${e.message}\n`).join("") +
        (result.errors.length > shown.length ? `  … and ${result.errors.length - shown.length} more\n` : "") +
        `fix them and rerun the same command: finished rows are kept\n`,
    );
    return 1;
  }
  return 0;
}

const usage = `usage:
  radsurv reproduce [--out out] [--seed N] [--config study.json] [--workers N] [--bootstrap B] [--no-notebooks] [--no-figures]
  radsurv notebook FILE.ipynb [--out DIR]
  radsurv twin [--out DIR] [--seed N]
  radsurv extract --manifest m.csv --out features.csv [--settings settings.json] [--workers N] [--profile ibsi|ak396|pyradiomics]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "reproduce":
      return reproduceCommand(args);
    case "notebook":
      return notebook(args);
    case "twin":
      return twin(args);
    case "extract":
      return extract(args);
    case undefined:
    case "--help":
    case "-h":
      console.log(usage);
      return command === undefined ? 2 : 0;
    default:
      throw new InputError(`unknown command "${command}"\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(e instanceof InputError ? `radsurv: ${e.message}\n` : `${e.stack}\n`);
    process.exit(e instanceof InputError ? 2 : 1);
  },
);
