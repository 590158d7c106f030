#!/usr/bin/env node
/**
 * The `radsurv` command.
 *   radsurv reproduce [--out out] [--seed N]   run the study (for now: every notebook) and write results.json
 *   radsurv notebook FILE.ipynb [--out DIR]    execute one notebook headless into DIR (default out/notebooks)
 *   radsurv twin [--out DIR] [--seed N]        write the synthetic twin cohort (default out/twin)
 */
import { mkdirSync, readdirSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { runNotebook, type NotebookRun } from "./notebook/runNotebook.js";
import { InputError } from "./errors.js";
import { writeTwin } from "./twin/write.js";

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
  const t = writeTwin(out, seed);
  process.stderr.write(`twin cohort (seed ${seed}): ${t.files.join(", ")} → ${out}\n`);
  return 0;
}

const usage = `usage:
  radsurv reproduce [--out out] [--seed N]
  radsurv notebook FILE.ipynb [--out DIR]
  radsurv twin [--out DIR] [--seed N]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "reproduce":
      return reproduce(args);
    case "notebook":
      return notebook(args);
    case "twin":
      return twin(args);
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
