/**
 * Timing of cvLasso (10-fold, glmnet's default 100-λ sequence) against R's cv.glmnet — not a test.
 * Designs (issue 5): independent N(0,1) features; 5 true effects 0.8, −0.6, 0.5, −0.4, 0.3 on the
 * first five columns; Cox: exponential event times with rate e^η and exponential censoring whose
 * rate is tuned to ~30% censored, at 78×396 (the study's training cohort), 1000×396 and
 * 10000×1000; binomial: y ~ Bernoulli(logistic(η)) at 1000×396. All from radsurv's seeded
 * generator. When Rscript with glmnet is on the PATH, cv.glmnet is timed on the same data with the
 * same foldid in the same run, and the ratio radsurv / glmnet printed (goal: ≤ 0.5 at every size),
 * with the largest |cvm| difference as a check that both computed the same thing.
 * Times are CPU seconds (user + system) of the fastest of `reps` runs, for both programs: on a
 * shared machine wall-clock times swing with other load, CPU times much less. (Both run on one
 * thread, so CPU time is also their wall time on an idle machine.)
 * Run: node --import tsx bench/lasso.ts [label-substring …]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRng, foldIds } from "../lib/random/index.js";
import { cvLasso, type CvLassoResult } from "../lib/penalized/index.js";

type Family = "cox" | "binomial";

interface Case {
  label: string;
  family: Family;
  n: number;
  p: number;
  /** Rows, as cvLasso takes them. */
  x: number[][];
  time?: number[];
  status?: number[];
  y?: number[];
  foldid: number[];
  reps: number;
}

const EFFECTS = [0.8, -0.6, 0.5, -0.4, 0.3];

function makeCase(family: Family, n: number, p: number, seed: number, reps: number): Case {
  const rng = createRng(seed);
  const x: number[][] = [];
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(p);
    for (let j = 0; j < p; j++) row[j] = rng.normal();
    let e = 0;
    for (let j = 0; j < EFFECTS.length; j++) e += EFFECTS[j] * row[j];
    eta[i] = e;
    x.push(row);
  }
  const foldid = Array.from(foldIds(n, 10, createRng(seed + 1)));
  const label = `${family} ${n}×${p}`;
  if (family === "binomial") {
    const y = Array.from(eta, (e) => (rng.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
    return { label, family, n, p, x, y, foldid, reps };
  }
  // Censoring rate c with mean P(C < T) = mean c / (c + e^η) = 0.3, by bisection on log c.
  let lo = -10;
  let hi = 10;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    const c = Math.exp(mid);
    let s = 0;
    for (const e of eta) s += c / (c + Math.exp(e));
    if (s / n < 0.3) lo = mid;
    else hi = mid;
  }
  const cRate = Math.exp((lo + hi) / 2);
  const time: number[] = [];
  const status: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.exponential() / Math.exp(eta[i]);
    const c = rng.exponential() / cRate;
    time.push(Math.min(t, c));
    status.push(t <= c ? 1 : 0);
  }
  return { label, family, n, p, x, time, status, foldid, reps };
}

function runRadsurv(c: Case): CvLassoResult {
  const y = c.family === "cox" ? { time: c.time!, status: c.status! } : c.y!;
  return cvLasso(c.x, y, { family: c.family, foldid: c.foldid });
}

/** CPU seconds (user + system) of this process. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Fastest of `reps` runs, in CPU seconds (see the note in main about shared machines). */
function timeIt(fn: () => void, reps: number, warm: boolean): number {
  if (warm) fn(); // JIT warm-up
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = cpuSeconds();
    fn();
    best = Math.min(best, cpuSeconds() - t0);
  }
  return best;
}

function haveGlmnet(): boolean {
  try {
    execFileSync("Rscript", ["-e", "suppressMessages(library(glmnet))"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** cv.glmnet on the same data (binary files, column-major as R's matrix), timed inside R. */
function runGlmnet(c: Case): { seconds: number; cvm: number[]; indexMin: number } {
  const dir = mkdtempSync(join(tmpdir(), "lasso-bench-"));
  try {
    const xb = new Float64Array(c.n * c.p);
    for (let i = 0; i < c.n; i++) for (let j = 0; j < c.p; j++) xb[j * c.n + i] = c.x[i][j];
    writeFileSync(join(dir, "x.bin"), new Uint8Array(xb.buffer));
    const cols = c.family === "cox" ? [c.time!, c.status!] : [c.y!];
    writeFileSync(join(dir, "y.bin"), new Uint8Array(Float64Array.from(cols.flat()).buffer));
    writeFileSync(join(dir, "f.bin"), new Uint8Array(Float64Array.from(c.foldid).buffer));
    const yExpr =
      c.family === "cox"
        ? `survival::Surv(yb[1:n], yb[(n + 1):(2 * n)])`
        : `yb`;
    const script = `suppressMessages(library(glmnet))
n <- ${c.n}; p <- ${c.p}; dir <- "${dir}"
x <- matrix(readBin(file.path(dir, "x.bin"), "double", n * p), n, p)
yb <- readBin(file.path(dir, "y.bin"), "double", ${cols.length} * n)
foldid <- readBin(file.path(dir, "f.bin"), "double", n)
y <- ${yExpr}
cpu <- function(st) st[["user.self"]] + st[["sys.self"]]
t <- min(sapply(1:${c.reps}, function(r) cpu(system.time(cv <<- cv.glmnet(x, y, family = "${c.family}", foldid = foldid)))))
writeLines(c(format(t, digits = 6), which(cv$lambda == cv$lambda.min), format(cv$cvm, digits = 17)), file.path(dir, "out.txt"))`;
    execFileSync("Rscript", ["-e", script], { stdio: ["ignore", "ignore", "inherit"] });
    const out = readFileSync(join(dir, "out.txt"), "utf8").trim().split("\n");
    return { seconds: Number(out[0]), indexMin: Number(out[1]) - 1, cvm: out.slice(2).map(Number) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function main(only: string[] = []): void {
  const cases: Array<() => Case> = [
    () => makeCase("cox", 78, 396, 78, 5),
    () => makeCase("cox", 1000, 396, 1000, 2),
    () => makeCase("binomial", 1000, 396, 1001, 2),
    () => makeCase("cox", 10000, 1000, 10000, 1),
  ];
  const r = haveGlmnet();
  if (!r) console.log("(Rscript with glmnet not found: radsurv timings only)");
  for (const make of cases) {
    const c = make();
    if (only.length && !only.some((o) => c.label.includes(o))) continue;
    let cv!: CvLassoResult;
    const t = timeIt(() => (cv = runRadsurv(c)), c.reps, c.n * c.p < 1e6);
    let line = `cvLasso ${c.label.padEnd(18)} ${cv.lambda.length} λ, lambda.min #${cv.indexMin + 1}: radsurv ${t.toFixed(3)} s`;
    if (r) {
      const g = runGlmnet(c);
      let dmax = 0;
      for (let l = 0; l < Math.min(g.cvm.length, cv.cvm.length); l++) dmax = Math.max(dmax, Math.abs(g.cvm[l] - cv.cvm[l]));
      if (process.env.DEBUG_CVM) console.log(cv.cvm.map((m, l) => `${l + 1}: ${m} ${g.cvm[l]}`).join("\n"));
      const ratio = t / g.seconds;
      line +=
        `   cv.glmnet ${g.seconds.toFixed(3)} s (lambda.min #${g.indexMin + 1})   ratio ${ratio.toFixed(2)}` +
        `${ratio <= 0.5 ? " ✓" : " ✗ (goal ≤ 0.5)"}   max|Δcvm| ${dmax.toExponential(1)}` +
        (g.cvm.length !== cv.cvm.length ? ` (λ counts differ: ${g.cvm.length} vs ${cv.cvm.length})` : "");
    }
    console.log(line);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
