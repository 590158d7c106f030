#!/usr/bin/env node
/**
 * The `radsurv` command.
 *   radsurv reproduce [--out out] [--seed N]   run the study (for now: every notebook) and write results.json
 *   radsurv notebook FILE.ipynb [--out DIR]    execute one notebook headless into DIR (default out/notebooks)
 *   radsurv twin [--out DIR] [--seed N] [--no-images] [--ids A,B]   write the synthetic twin cohort (default out/twin)
 *   radsurv extract --manifest m.csv --out features.csv [--settings s.json] [--workers N] [--profile P]
 *                                              features of every manifest row, in parallel, resumable
 */
import { mkdirSync, readdirSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { runNotebook, type NotebookRun } from "./notebook/runNotebook.js";
import { InputError } from "./errors.js";
import { writeTwin } from "./twin/write.js";
import { extractCohort } from "./features/extractCohort.js";
import type { ExtractSettings } from "./features/settings.js";
import { createProgress } from "./report/progress.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  if (v === undefined || v.startsWith("--")) throw new InputError(`option ${name} needs a value`);
  return v;
}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: projectRoot, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return null;
  }
}

/** Runs one notebook in a fresh process so its stdout capture and module state stay isolated. */
function runNotebookProcess(file: string, outDir: string): NotebookRun {
  const cli = fileURLToPath(import.meta.url);
  try {
    const out = execFileSync(process.execPath, [cli, "notebook", file, "--out", outDir, "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.toString().trim().split("\n").pop()!) as NotebookRun;
  } catch (e) {
    const stdout = (e as { stdout?: Buffer }).stdout?.toString().trim().split("\n").pop();
    if (stdout?.startsWith("{")) return JSON.parse(stdout) as NotebookRun;
    throw e;
  }
}

async function reproduce(args: string[]): Promise<number> {
  const out = resolve(option(args, "--out", "out"));
  const seed = parseSeed(args);
  const nbDir = join(projectRoot, "notebooks");
  const notebooks = readdirSync(nbDir).filter((f) => f.endsWith(".ipynb")).sort();
  const runs: NotebookRun[] = [];
  for (const [k, f] of notebooks.entries()) {
    process.stderr.write(`[${k + 1}/${notebooks.length}] ${f} … `);
    const run = runNotebookProcess(join(nbDir, f), join(out, "notebooks"));
    process.stderr.write(run.ok ? `ok (${run.seconds.toFixed(1)} s)\n` : `FAILED at cell ${run.error?.cell}\n${run.error?.message}\n`);
    runs.push(run);
  }
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
  const results = {
    provenance: {
      radsurv: pkg.version,
      seed,
      gitCommit: gitCommit(),
      node: process.version,
      dependencies: pkg.dependencies,
      createdAt: new Date().toISOString(),
    },
    notebooks: runs.map((r) => ({ notebook: r.path, executed: r.outPath, ok: r.ok, cellsRun: r.cellsRun, seconds: r.seconds })),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "results.json"), JSON.stringify(results, null, 2) + "\n");
  process.stderr.write(`wrote ${join(out, "results.json")}\n`);
  return runs.every((r) => r.ok) ? 0 : 1;
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
  radsurv reproduce [--out out] [--seed N]
  radsurv notebook FILE.ipynb [--out DIR]
  radsurv twin [--out DIR] [--seed N]
  radsurv extract --manifest m.csv --out features.csv [--settings settings.json] [--workers N] [--profile ibsi|ak396|pyradiomics]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "reproduce":
      return reproduce(args);
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
