/**
 * calibration() / externalCalibration() against rms 6.5.0:
 *  - lung_rms_nomogram_calibration.json: predicted S(365) per row, rms's groups (cuts, n,
 *    events, mean predicted, KM, std.err) and equal-size groups (KM from summary(survfit)),
 *    tolerance 1e-8 relative (1e-12 absolute);
 *  - lung_rms_validate.json (test/fixtures/r/lung_rms_validate.R): rms::calibrate(fit, "KM",
 *    u = 365, m = 50, B = 4) with the 4 bootstrap samples fixed — index.orig, training, test,
 *    mean.optimism, mean.corrected, n, mean.predicted, KM, KM.corrected, std.err, tolerance 1e-8
 *    relative (1e-10 absolute; the bootstrap refits stop at cph's eps = 1e-4 as rms's do, so the
 *    iterations are the same and agreement is to rounding);
 *  - the seeded bootstrap: same seed → identical result, B = 0 → apparent only, optimism =
 *    training - test, corrected = original - optimism;
 *  - bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coxph, kaplanMeier, survfitSummary, survivalAt } from "../lib/survival/index.js";
import { modelFrame } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";
import { calibration, externalCalibration, predictSurvival } from "../lib/evaluate/calibration.js";
import { calibrationPlot } from "../lib/plot/calibrationPlot.js";
import { close, closeAll, dataset, fixture, type Tol } from "./helpers.js";

const ref = fixture("lung_rms_nomogram_calibration.json");
const boot = fixture("lung_rms_validate.json");
const TOL: Tol = { rel: 1e-8, abs: 1e-12 };

const lung = dataset("lung.csv");
const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: ["age", "sex", "ph.ecog"], factors: { sex: [1, 2] } });
const data = { time: mf.time, status: mf.status, x: mf.x };
const fit = coxph(data, { eps: 1e-10, maxIter: 100 });
const resamples = boot.resamples.map((s: number[]) => s.map((i) => i - 1));

test("predicted S(t) per row = rms's survest (and survivalAt)", () => {
  const cal = calibration(fit, data, { t: 365, m: 50, B: 0 });
  closeAll(cal.predicted, ref.rows.surv_t, TOL, "predicted S(365)");
  closeAll(predictSurvival(fit, data, 365), ref.rows.surv_t, TOL, "predictSurvival");
  const viaSurvival = survivalAt(fit, data.x, [365]).map((r) => r[0]);
  closeAll(cal.predicted, viaSurvival, { rel: 1e-9 }, "vs survivalAt");
});

test("rms's grouping (m = 50): cuts, n, events, mean predicted, KM, std.err", () => {
  const cal = calibration(fit, data, { t: 365, m: 50, B: 0 });
  const r = ref.calibration.rms_groups;
  assert.equal(cal.g, ref.calibration.g);
  closeAll(cal.cuts as number[], r.cuts, TOL, "cuts");
  closeAll(cal.nObs, r.n, { abs: 0 }, "n");
  closeAll(cal.nEvents, r.events, { abs: 0 }, "events");
  closeAll(cal.meanPredicted, r.mean_predicted, TOL, "mean predicted");
  closeAll(cal.km, r.km, TOL, "KM");
  closeAll(cal.stdErr, r.std_err, TOL, "std.err");
  closeAll(cal.indexOrig, r.km.map((k: number, i: number) => k - r.mean_predicted[i]), TOL, "index.orig");
  assert.equal(cal.bootstrap, null, "B = 0: apparent only");
  // every row in exactly one group, group sizes as counted
  const counts = [0, 0, 0, 0];
  cal.group.forEach((g) => counts[g - 1]++);
  assert.deepEqual(counts, r.n);
});

test("equal-size groups (groups = 4): n, events, mean/min/max predicted, KM and its SEs", () => {
  const cal = calibration(fit, data, { t: 365, groups: 4, B: 0 });
  ref.calibration.equal_groups.forEach((e: Record<string, number>, k: number) => {
    const l = `group ${e.group}`;
    assert.equal(cal.nObs[k], e.n, `${l} n`);
    assert.equal(cal.nEvents[k], e.events, `${l} events`);
    close(cal.meanPredicted[k], e.mean_predicted, TOL, `${l} mean`);
    close(cal.minPredicted[k], e.min_predicted, TOL, `${l} min`);
    close(cal.maxPredicted[k], e.max_predicted, TOL, `${l} max`);
    close(cal.km[k], e.km, TOL, `${l} km`);
    close(cal.kmSe[k], e.km_se, TOL, `${l} km_se`);
    close(cal.stdErr[k], e.km_se_log, TOL, `${l} km_se_log`);
  });
});

test("bootstrap with rms's resamples reproduces rms::calibrate (B = 4)", () => {
  const cal = calibration(fit, data, { t: 365, m: 50, resamples });
  const b = cal.bootstrap;
  assert.ok(b);
  const col = (name: string) => boot.calibrate.values.map((row: number[]) => row[boot.calibrate.cols.indexOf(name)]);
  closeAll(cal.indexOrig, col("index.orig"), TOL, "index.orig");
  closeAll(b.training, col("training"), TOL, "training");
  closeAll(b.test, col("test"), TOL, "test");
  closeAll(b.optimism, col("mean.optimism"), TOL, "mean.optimism");
  closeAll(b.indexCorrected, col("mean.corrected"), TOL, "mean.corrected");
  closeAll(b.n, col("n"), { abs: 0 }, "n");
  closeAll(cal.meanPredicted, col("mean.predicted"), TOL, "mean.predicted");
  closeAll(cal.km, col("KM"), TOL, "KM");
  closeAll(b.kmCorrected, col("KM.corrected"), TOL, "KM.corrected");
  closeAll(cal.stdErr, col("std.err"), TOL, "std.err");
  closeAll(cal.predicted, boot.calibrate_predicted, TOL, "attr predicted");
});

test("seeded bootstrap: same seed → identical; optimism as documented", () => {
  const a = calibration(fit, data, { t: 365, m: 50, B: 25, seed: 7 });
  const b = calibration(fit, data, { t: 365, m: 50, B: 25, seed: 7 });
  const c = calibration(fit, data, { t: 365, m: 50, B: 25, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.bootstrap?.optimism, c.bootstrap?.optimism);
  const bs = a.bootstrap;
  assert.ok(bs);
  assert.equal(bs.B, 25);
  for (let k = 0; k < a.g; k++) {
    close(bs.optimism[k], bs.training[k] - bs.test[k], { abs: 1e-15 }, `optimism ${k}`);
    close(bs.indexCorrected[k], a.indexOrig[k] - bs.optimism[k], { abs: 1e-15 }, `corrected ${k}`);
    close(bs.kmCorrected[k], a.km[k] - bs.optimism[k], { abs: 1e-15 }, `KM corrected ${k}`);
    assert.ok(bs.n[k] > 0 && bs.n[k] <= 25);
  }
  // apparent part does not depend on B
  const app = calibration(fit, data, { t: 365, m: 50, B: 0 });
  assert.deepEqual(a.km, app.km);
  assert.deepEqual(a.meanPredicted, app.meanPredicted);
});

test("external calibration: training fit's predictions, KM in validation groups", () => {
  // Validation cohort = the 2nd half of the rows; training fit on the 1st half.
  const half = Math.floor(mf.n / 2);
  const pick = (from: number, to: number) => ({
    time: mf.time.slice(from, to),
    status: mf.status.slice(from, to),
    x: Object.fromEntries(Object.entries(mf.x).map(([k, v]) => [k, v.slice(from, to)])),
  });
  const train = pick(0, half);
  const valid = pick(half, mf.n);
  const f = coxph(train);
  const ext = externalCalibration(f, valid, { t: 365, groups: 3 });
  assert.equal(ext.cohort, "external");
  assert.equal(ext.bootstrap, null);
  closeAll(ext.predicted, survivalAt(f, valid.x, [365]).map((r) => r[0]), { rel: 1e-9 }, "validation predictions");
  for (let k = 1; k <= 3; k++) {
    const idx = ext.group.flatMap((g, i) => (g === k ? [i] : []));
    const km = kaplanMeier(idx.map((i) => valid.time[i]), idx.map((i) => valid.status[i]));
    close(ext.km[k - 1], survfitSummary(km, [365]).strata[0].surv[0], { rel: 1e-12 }, `group ${k} KM`);
  }
  const fig = calibrationPlot([calibration(f, train, { t: 365, groups: 3, B: 5, seed: 1 }), ext]);
  const roles = fig.data.map((d) => (d.meta as { role: string }).role);
  assert.deepEqual(roles, ["ideal", "apparent", "corrected", "apparent"]);
  assert.throws(() => calibration(f, valid, { t: 365, groups: 3 }), /externalCalibration/);
});

test("bad input: clear InputErrors", () => {
  const bad = (o: Parameters<typeof calibration>[2], re: RegExp) =>
    assert.throws(() => calibration(fit, data, o), (e: Error) => e instanceof InputError && re.test(e.message), String(re));
  bad({ t: 2000, m: 50, B: 0 }, /t = 2000 is beyond the last follow-up time \(1022\).*subscript out of bounds.*Possible t: 0 < t <= 1022/);
  bad({ t: 4, m: 50, B: 0 }, /no events at or before t = 4 \(the first event is at 5\)/);
  bad({ t: 365, m: 50, B: -1 }, /B must be a whole number/);
  bad({ t: 365, m: 50, B: 2.5 }, /B must be a whole number/);
  bad({ t: 365, groups: 500, B: 0 }, /size 0/);
  bad({ t: 365, cuts: [0, 0.01, 0.02, 1], B: 0 }, /group 1 .* has no patients/);
  bad({ t: 365, m: 50, groups: 4, B: 0 }, /one of m, groups or cuts/);
  bad({ t: 365, m: 50, B: 0, confLevel: 1.5 }, /confLevel/);
  bad({ t: 365, m: 0, B: 0 }, /m \(patients per group\)/);
});
