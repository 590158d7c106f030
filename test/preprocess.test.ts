/**
 * fitScaler / applyScaler (lib/stats/preprocess.ts): z-scores with training means and SDs (R's
 * scale(), n − 1), abnormal values (|z| > 3 or missing) replaced by the training median in z
 * units, and proof that nothing is fitted on the validation cohort.
 * Reference: test/fixtures/radscore_preprocess.json (test/fixtures/r/radscore_preprocess.R; lung.csv
 * rows 1–150 = training, 151–228 = validation, five features with missing values and outliers).
 * Tolerances: means, SDs, medians and z-scores 1e-12 relative or absolute (same arithmetic as R);
 * counts and rows exact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyScaler, fitScaler } from "../lib/stats/preprocess.js";
import { InputError } from "../lib/errors.js";
import { numericColumn } from "../lib/table/index.js";
import { closeAll, close, dataset, fixture } from "./helpers.js";

const fx = fixture("radscore_preprocess.json");
const TOL = { rel: 1e-12, abs: 1e-12 };

function lungMatrix(): { train: number[][]; valid: number[][] } {
  const t = dataset("lung.csv");
  const cols = (fx.features as string[]).map((f) => numericColumn(t, f));
  const rows = Array.from({ length: t.nRows }, (_, i) => cols.map((c) => c[i]));
  return { train: rows.slice(0, 150), valid: rows.slice(150) };
}

test("training means, SDs (n − 1) and medians equal R's colMeans / sd / median with na.rm = TRUE", () => {
  const { train } = lungMatrix();
  const s = fitScaler(train, { names: fx.features });
  assert.equal(s.outlierZ, 3, "default outlierZ is 3");
  closeAll(s.mean, fx.center, TOL, "mean");
  closeAll(s.sd, fx.scale, TOL, "sd");
  closeAll(s.median, fx.median, TOL, "median");
  closeAll(s.medianZ, fx.medianZ, TOL, "medianZ");
  assert.ok(s.warnings.some((w) => /meal\.cal: \d+ missing/.test(w)), "missing training values are reported");
});

test("applyScaler reproduces R's z-scores with |z| > 3 or NA replaced by the training median, on both cohorts", () => {
  const { train, valid } = lungMatrix();
  const s = fitScaler(train, { names: fx.features });
  for (const [label, m, z, replaced, rows] of [
    ["training", train, fx.train_z, fx.train_replaced, fx.train_rows],
    ["validation", valid, fx.valid_z, fx.valid_replaced, fx.valid_rows],
  ] as const) {
    const out = applyScaler(s, m);
    assert.equal(out.x.length, z.length, `${label}: rows`);
    for (let i = 0; i < z.length; i++) closeAll(out.x[i], z[i], TOL, `${label} z row ${i + 1}`);
    assert.deepEqual(out.replaced, replaced, `${label}: replaced per feature`);
    // jsonlite writes a length-1 which() as a scalar.
    const r = (rows as unknown[]).map((v) => (Array.isArray(v) ? v : [v]));
    assert.deepEqual(out.replacedRows, r, `${label}: replaced rows (1-based)`);
    assert.equal(out.nReplaced, (replaced as number[]).reduce((a, b) => a + b, 0), `${label}: total`);
  }
});

test("without the outlier rule (outlierZ = Infinity) the z-scores are R's scale() on complete rows", () => {
  const { train } = lungMatrix();
  const complete = (fx.complete_rows as number[]).map((r) => train[r - 1]);
  const s = fitScaler(complete, { outlierZ: Infinity });
  closeAll(s.mean, fx.complete_scale.center, TOL, "center");
  closeAll(s.sd, fx.complete_scale.scale, TOL, "scale");
  const out = applyScaler(s, complete);
  assert.equal(out.nReplaced, 0);
  for (let i = 0; i < complete.length; i++) closeAll(out.x[i], fx.complete_scale.z[i], TOL, `scale() row ${i + 1}`);
});

test("hand-checkable: outlier, missing value and a constant feature", () => {
  // Feature a: 1, 2, 3, 4, 100 → mean 22, SD sqrt(7610 / 4), median 3; with outlierZ = 1.5 the 100
  // (z = 78 / 43.617 = 1.788) is abnormal and becomes (3 − 22) / SD. Feature b: constant 5 → all 0.
  const x = [
    [1, 5],
    [2, 5],
    [3, 5],
    [4, 5],
    [100, 5],
  ];
  const s = fitScaler(x, { outlierZ: 1.5, names: ["a", "b"] });
  const sd = Math.sqrt(7610 / 4);
  close(s.mean[0], 22, TOL, "mean a");
  close(s.sd[0], sd, TOL, "sd a");
  assert.equal(s.median[0], 3);
  assert.equal(s.sd[1], 0);
  assert.ok(s.warnings.some((w) => /feature b is constant/.test(w)));
  const out = applyScaler(s, [...x, [NaN, 6]]);
  closeAll(
    out.x.map((r) => r[0]),
    [-21 / sd, -20 / sd, -19 / sd, -18 / sd, -19 / sd, -19 / sd],
    TOL,
    "a",
  );
  assert.deepEqual(out.x.map((r) => r[1]), [0, 0, 0, 0, 0, 0], "constant feature");
  assert.deepEqual(out.replaced, [2, 1]);
  assert.deepEqual(out.replacedRows, [[5, 6], [6]]);
  assert.deepEqual(out.nonFinite, [1, 0]);
});

test("nothing is fitted on validation data", () => {
  const { train, valid } = lungMatrix();
  const s = fitScaler(train, { names: fx.features });
  const frozen = JSON.stringify(s);
  const base = applyScaler(s, valid);
  // Appending arbitrary rows (wild values, missing values) does not change the existing rows' results.
  const wild = [
    [1e6, -1e6, NaN, 0, 5],
    [0, 0, 0, 0, 0],
    [Infinity, 50, 60, 70, 80],
  ];
  const more = applyScaler(s, [...valid, ...wild]);
  assert.deepEqual(more.x.slice(0, valid.length), base.x, "appended rows leave the others unchanged");
  // Permuting the validation rows permutes the results and nothing else.
  const perm = valid.map((_, i) => (i * 7 + 3) % valid.length);
  assert.equal(new Set(perm).size, valid.length);
  const permuted = applyScaler(s, perm.map((i) => valid[i]));
  perm.forEach((i, k) => assert.deepEqual(permuted.x[k], base.x[i], `permuted row ${k + 1}`));
  // Changing validation values changes only that row, and never the scaler.
  const changed = valid.map((r) => r.slice());
  changed[0] = changed[0].map((v) => v * 10 + 1);
  const out = applyScaler(s, changed);
  assert.deepEqual(out.x.slice(1), base.x.slice(1));
  assert.equal(JSON.stringify(s), frozen, "the scaler is never modified by applying it");
  // The scaler is a function of the training rows only: refitting gives the identical object.
  assert.equal(JSON.stringify(fitScaler(train, { names: fx.features })), frozen);
});

test("bad input is refused with a message naming the problem", () => {
  const bad = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));
  bad(() => fitScaler([[1, 2]]), /at least 2 rows/);
  bad(() => fitScaler([[1, 2], [3]]), /row 2 of x has 1 values/);
  bad(() => fitScaler([[1, NaN], [2, NaN], [3, 4]], { names: ["a", "b"] }), /feature b has 1 finite/);
  bad(() => fitScaler([[1], [2]], { outlierZ: 0 }), /outlierZ/);
  bad(() => fitScaler([[1], [2]], { names: ["a", "b"] }), /names has 2/);
  const s = fitScaler([[1, 2], [3, 5], [4, 4]]);
  bad(() => applyScaler(s, [[1, 2, 3]]), /row 1 of x has 3 values but the scaler has 2/);
});
