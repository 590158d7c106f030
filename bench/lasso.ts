/**
 * Timing of lassoPath and cvLasso (Cox) — not a test. Designs: glmnet's CoxExample (1000 × 30) and
 * a 78 × 396 radiomics-like design (the study's training cohort size) drawn from radsurv's seeded
 * generator. When Rscript is on the PATH the same fits are timed with glmnet and the ratio printed.
 * Run: node --import tsx bench/lasso.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng } from "../lib/random/index.js";
import { cvLasso, lassoPath } from "../lib/penalized/index.js";
import { numericColumn, readCsv } from "../lib/table/index.js";

interface Case {
  label: string;
  x: number[][];
  time: number[];
  status: number[];
}

function coxExample(): Case {
  const t = readCsv(join(import.meta.dirname, "..", "data", "public", "glmnet_CoxExample.csv"));
  const cols = Array.from({ length: 30 }, (_, j) => numericColumn(t, `x${j + 1}`));
  const n = t.nRows;
  return {
    label: "CoxExample 1000×30",
    x: Array.from({ length: n }, (_, i) => cols.map((c) => c[i])),
    time: Array.from(numericColumn(t, "time")),
    status: Array.from(numericColumn(t, "status")),
  };
}

function radiomicsLike(): Case {
  // Correlated features (a few latent factors), a sparse true signal, exponential times, ~40% censoring.
  const rng = createRng(2024);
  const n = 78;
  const p = 396;
  const f = 8;
  const load = Array.from({ length: p }, () => Array.from({ length: f }, () => rng.normal()));
  const x: number[][] = [];
  const time: number[] = [];
  const status: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: f }, () => rng.normal());
    const row = load.map((l) => l.reduce((s, v, k) => s + v * z[k], 0) * 0.5 + rng.normal());
    const eta = 0.5 * row[0] - 0.4 * row[5] + 0.3 * row[17];
    const t = rng.exponential() / Math.exp(eta);
    const c = rng.exponential() * 1.5;
    x.push(row);
    time.push(Math.min(t, c));
    status.push(t <= c ? 1 : 0);
  }
  return { label: "radiomics-like 78×396", x, time, status };
}

function timeIt(fn: () => void, reps: number): number {
  fn(); // warm-up (JIT)
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) fn();
  return (performance.now() - t0) / reps / 1000;
}

function rTimes(c: Case, reps: number): { path: number; cv: number } | null {
  try {
    execFileSync("Rscript", ["--version"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "lasso-bench-"));
  const csv = join(dir, "d.csv");
  writeFileSync(csv, ["time,status," + c.x[0].map((_, j) => `x${j + 1}`).join(","), ...c.x.map((r, i) => [c.time[i], c.status[i], ...r].join(","))].join("\n"));
  const script = `suppressMessages({library(glmnet);library(survival)})
d <- read.csv("${csv}"); x <- as.matrix(d[,-(1:2)]); y <- Surv(d$time, d$status)
fit <- glmnet(x, y, family = "cox"); set.seed(1); foldid <- sample(rep(1:10, length.out = nrow(x)))
cv <- cv.glmnet(x, y, family = "cox", foldid = foldid)
tp <- system.time(for (r in 1:${reps}) glmnet(x, y, family = "cox"))[["elapsed"]] / ${reps}
tc <- system.time(for (r in 1:${reps}) cv.glmnet(x, y, family = "cox", foldid = foldid))[["elapsed"]] / ${reps}
cat(tp, tc)`;
  const out = execFileSync("Rscript", ["-e", script], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
  return { path: out[0], cv: out[1] };
}

for (const c of [coxExample(), radiomicsLike()]) {
  const reps = 3;
  const y = { time: c.time, status: c.status };
  const fit = lassoPath(c.x, y, { family: "cox" });
  const tPath = timeIt(() => lassoPath(c.x, y, { family: "cox" }), reps);
  const tCv = timeIt(() => cvLasso(c.x, y, { family: "cox", seed: 1 }), reps);
  const r = rTimes(c, reps);
  console.log(`${c.label}: path of ${fit.lambda.length} lambdas`);
  console.log(`  lassoPath ${tPath.toFixed(3)} s` + (r ? `   glmnet ${r.path.toFixed(3)} s   ratio ${(tPath / r.path).toFixed(1)}×` : ""));
  console.log(`  cvLasso   ${tCv.toFixed(3)} s` + (r ? `   cv.glmnet ${r.cv.toFixed(3)} s   ratio ${(tCv / r.cv).toFixed(1)}×` : ""));
}
