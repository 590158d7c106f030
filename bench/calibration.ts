/**
 * Benchmark (not a test): B = 1000 bootstrap calibration (rms::calibrate's KM method) and
 * validate() on n = 113 (the first 113 lung patients with ph.ecog; goal < 2 s on one core) and on
 * a synthetic n = 10,000 cohort (3 covariates, ~70% events).
 *
 *   node --import tsx bench/calibration.ts
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { coxph, type CoxphData } from "../lib/survival/index.js";
import { modelFrame, readCsv } from "../lib/table/index.js";
import { createRng } from "../lib/random/index.js";
import { calibration } from "../lib/evaluate/calibration.js";
import { validate } from "../lib/evaluate/validate.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function lung113(): CoxphData {
  const mf = modelFrame(readCsv(join(root, "data", "public", "lung.csv")), {
    time: "time",
    status: "status",
    eventValue: 2,
    covariates: ["age", "sex", "ph.ecog"],
    factors: { sex: [1, 2] },
  });
  const n = 113;
  return { time: mf.time.slice(0, n), status: mf.status.slice(0, n), x: Object.fromEntries(Object.entries(mf.x).map(([k, v]) => [k, v.slice(0, n)])) };
}

function synthetic(n: number): CoxphData {
  const rng = createRng(2024);
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const c = Float64Array.from({ length: n }, () => rng.int(4));
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ev = rng.exponential() / (0.002 * Math.exp(0.5 * a[i] - 0.4 * b[i] + 0.3 * c[i]));
    const cens = rng.uniform() * 1500;
    time[i] = Math.max(1, Math.round(Math.min(ev, cens)));
    status[i] = ev <= cens ? 1 : 0;
  }
  return { time, status, x: { a, b, c } };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

export function main(): void {
  for (const [label, data, t] of [
    ["lung, n = 113", lung113(), 365],
    ["synthetic, n = 10,000", synthetic(10000), 365],
  ] as const) {
    const fit = coxph(data);
    const [cal, sCal] = timed(() => calibration(fit, data, { t, m: 50, B: 1000, seed: 1 }));
    console.log(`${label}: calibration B = 1000 (${cal.g} groups): ${sCal.toFixed(2)} s${label.includes("113") ? " (goal < 2 s)" : ""}`);
    const [, sVal] = timed(() => validate(fit, data, { B: 1000, seed: 1 }));
    console.log(`${label}: validate B = 1000: ${sVal.toFixed(2)} s`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
