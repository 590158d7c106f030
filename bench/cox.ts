/**
 * Benchmark (not a test): time coxph() on pbc-sized data and on a 10,000 × 20 synthetic design,
 * and, when Rscript is on PATH, survival::coxph on the same data for a ratio.
 *
 *   node --import tsx bench/cox.ts
 *
 * Each timing is the median of several runs of a full fit (Efron ties, as R's default),
 * including what the fit computes besides Newton–Raphson (concordance, martingale residuals);
 * R's system.time likewise covers model.frame, the fit, residuals and concordance.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { coxph } from "../lib/survival/coxph.js";
import { modelFrame, readCsv } from "../lib/table/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface BenchData {
  label: string;
  time: Float64Array;
  status: Uint8Array;
  x: Record<string, Float64Array>;
}

/** Small seeded PRNG (mulberry32); lib/random will replace it. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pbcData(): BenchData {
  const table = readCsv(join(root, "data", "public", "pbc.csv"));
  const mf = modelFrame(table, {
    time: "time",
    status: "status",
    eventValue: 2,
    covariates: ["age", "edema", "bili", "albumin", "protime"],
  });
  return {
    label: `pbc (${mf.n} complete rows × 5: age, edema, log(bili), log(albumin), log(protime))`,
    time: mf.time,
    status: mf.status,
    x: {
      age: mf.x.age,
      edema: mf.x.edema,
      logBili: mf.x.bili.map(Math.log),
      logAlbumin: mf.x.albumin.map(Math.log),
      logProtime: mf.x.protime.map(Math.log),
    },
  };
}

/** n × p standard-normal covariates, exponential event times with log-hazard x·beta, ~30% censored, times rounded (ties). */
function syntheticData(n: number, p: number, seed: number): BenchData {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x: Record<string, Float64Array> = {};
  const beta = Array.from({ length: p }, (_, k) => (k % 2 === 0 ? 0.2 : -0.1) * (k < 10 ? 1 : 0.5));
  for (let k = 0; k < p; k++) x[`x${k + 1}`] = Float64Array.from({ length: n }, normal);
  const cols = Object.values(x);
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let k = 0; k < p; k++) eta += cols[k][i] * beta[k];
    const tEvent = -Math.log(1 - rand()) / (0.1 * Math.exp(eta));
    const tCens = -Math.log(1 - rand()) / 0.04;
    time[i] = Math.max(0.01, Math.round(Math.min(tEvent, tCens) * 100) / 100);
    status[i] = tEvent <= tCens ? 1 : 0;
  }
  return { label: `synthetic ${n} × ${p} (seed ${seed})`, time, status, x };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeRadsurv(d: BenchData, runs: number, warmup: number): { ms: number; coldMs: number; iterations: number } {
  let iterations = 0;
  // The first fits run before V8 has optimised the loops; report the first one separately
  // and time the steady state after `warmup` fits.
  const c0 = performance.now();
  coxph({ time: d.time, status: d.status, x: d.x });
  const coldMs = performance.now() - c0;
  for (let w = 1; w < warmup; w++) coxph({ time: d.time, status: d.status, x: d.x });
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const fit = coxph({ time: d.time, status: d.status, x: d.x });
    times.push(performance.now() - t0);
    iterations = fit.iterations;
  }
  return { ms: median(times), coldMs, iterations };
}

function hasRscript(): boolean {
  const r = spawnSync("Rscript", ["--version"], { encoding: "utf8" });
  return r.status === 0;
}

/** Median ms per survival::coxph fit on the same data (system.time over `reps` fits, `rounds` times). */
function timeR(d: BenchData, reps: number, rounds: number): number | null {
  const dir = mkdtempSync(join(tmpdir(), "radsurv-bench-"));
  try {
    const names = Object.keys(d.x);
    const lines = [["time", "status", ...names].join(",")];
    for (let i = 0; i < d.time.length; i++) {
      lines.push([d.time[i], d.status[i], ...names.map((k) => d.x[k][i])].join(","));
    }
    const csv = join(dir, "data.csv");
    writeFileSync(csv, lines.join("\n") + "\n");
    const script = [
      "suppressPackageStartupMessages(library(survival))",
      `d <- read.csv(${JSON.stringify(csv)})`,
      "invisible(coxph(Surv(time, status) ~ ., data = d))",
      `t <- replicate(${rounds}, system.time(for (i in 1:${reps}) coxph(Surv(time, status) ~ ., data = d))[["elapsed"]])`,
      `cat(median(t) / ${reps} * 1000)`,
    ].join("; ");
    const r = spawnSync("Rscript", ["-e", script], { encoding: "utf8" });
    if (r.status !== 0) {
      console.log(`  R failed: ${r.stderr.trim().split("\n").slice(-1)[0]}`);
      return null;
    }
    return Number(r.stdout.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function main(): void {
  const withR = hasRscript();
  const cases: { data: BenchData; runs: number; warmup: number; rReps: number }[] = [
    { data: pbcData(), runs: 51, warmup: 50, rReps: 20 },
    { data: syntheticData(10000, 20, 20240611), runs: 9, warmup: 3, rReps: 2 },
  ];
  for (const { data, runs, warmup, rReps } of cases) {
    const { ms, coldMs, iterations } = timeRadsurv(data, runs, warmup);
    console.log(
      `${data.label}: radsurv coxph ${ms.toFixed(2)} ms per fit (median of ${runs} after ${warmup} warm-up fits; ` +
        `first fit ${coldMs.toFixed(1)} ms; ${iterations} Newton iterations)`,
    );
    if (withR) {
      const rMs = timeR(data, rReps, 5);
      if (rMs !== null) console.log(`  R survival::coxph ${rMs.toFixed(2)} ms per fit; radsurv / R = ${(ms / rMs).toFixed(2)}`);
    } else {
      console.log("  (Rscript not on PATH: no R comparison)");
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
