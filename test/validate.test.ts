/**
 * validate() against rms 6.5.0 (lung_rms_validate.json, test/fixtures/r/lung_rms_validate.R):
 * rms::validate(fit, B = 4) for cph(Surv(time, event) ~ age + sex + ph.ecog) with the 4
 * bootstrap samples fixed. Every cell of the matrix (Dxy, R2, Slope, D, U, Q, g × index.orig,
 * training, test, optimism, index.corrected, n) at 1e-8 relative / 1e-10 absolute (the refits
 * use coxphFit's eps = 1e-4 as rms's do, so the Newton iterations are the same). index.orig is
 * deterministic: Dxy = 2(C - 0.5) of concordance(), slope 1. Seeded bootstrap: property tests.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coxph, concordance } from "../lib/survival/index.js";
import { modelFrame } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";
import { validate, giniMd } from "../lib/evaluate/validate.js";
import { close, dataset, fixture, type Tol } from "./helpers.js";

const ref = fixture("lung_rms_validate.json");
const TOL: Tol = { rel: 1e-8, abs: 1e-10 };
const lung = dataset("lung.csv");
const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: ["age", "sex", "ph.ecog"], factors: { sex: [1, 2] } });
const data = { time: mf.time, status: mf.status, x: mf.x };
const fit = coxph(data, { eps: 1e-10, maxIter: 100 });
const resamples = ref.resamples.map((s: number[]) => s.map((i) => i - 1));
const COLS = ["indexOrig", "training", "test", "optimism", "indexCorrected", "n"] as const;

test("rms::validate matrix with rms's resamples (all cells)", () => {
  const v = validate(fit, data, { resamples });
  assert.deepEqual(v.index, ref.validate.rows);
  ref.validate.rows.forEach((name: string, i: number) => {
    COLS.forEach((c, j) => close(v[c][i], ref.validate.values[i][j], TOL, `${name} ${ref.validate.cols[j]}`));
    assert.equal(v.rows[i].index, name);
    close(v.rows[i].indexCorrected, ref.validate.values[i][4], TOL, `${name} rows[].indexCorrected`);
  });
});

test("index.orig: Dxy from concordance, slope 1, g = GiniMd(lp)", () => {
  const v = validate(fit, data, { B: 0 });
  const c = concordance(mf.time, mf.status, fit.linearPredictors);
  close(v.indexOrig[0], 2 * (c.c - 0.5), { rel: 1e-12 }, "Dxy");
  assert.equal(v.indexOrig[2], 1);
  close(v.indexOrig[6], giniMd(fit.linearPredictors), { rel: 1e-12 }, "g");
  ref.validate.rows.forEach((name: string, i: number) => close(v.indexOrig[i], ref.validate.values[i][0], TOL, `${name} index.orig`));
  assert.equal(v.B, 0);
  assert.ok(v.warnings.some((w) => /B = 0/.test(w)));
});

test("seeded bootstrap: same seed → identical; optimism = training - test", () => {
  const a = validate(fit, data, { B: 20, seed: 3 });
  const b = validate(fit, data, { B: 20, seed: 3 });
  assert.deepEqual(a, b);
  const c = validate(fit, data, { B: 20, seed: 4 });
  assert.notDeepEqual(a.optimism, c.optimism);
  for (let i = 0; i < a.index.length; i++) {
    close(a.optimism[i], a.training[i] - a.test[i], { abs: 1e-15 }, `${a.index[i]} optimism`);
    close(a.indexCorrected[i], a.indexOrig[i] - a.optimism[i], { abs: 1e-15 }, `${a.index[i]} corrected`);
    assert.equal(a.n[i], 20);
  }
  assert.equal(a.training[2], 1, "training slope is 1 by construction");
  assert.ok(a.test[2] > 0.5 && a.test[2] < 1.5, `test slope ${a.test[2]}`);
});

test("bad input", () => {
  assert.throws(() => validate(fit, data, { B: -2 }), (e: Error) => e instanceof InputError && /B must be a whole number/.test(e.message));
  assert.throws(() => validate(fit, data, { B: 1.5 }), InputError);
  assert.throws(() => validate(fit, data, { resamples: [[1, 2, 3]] }), /has 3 indices/);
  const other = { ...data, time: mf.time.map((t) => t + 1) };
  assert.throws(() => validate(fit, other, { B: 1 }), /not the data the fit was made on/);
  assert.throws(() => validate(fit, data, { B: 1, fitControl: { maxIter: 0 } }), /maxIter/);
});
