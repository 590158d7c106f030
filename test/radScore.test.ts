/**
 * Rad-score (lib/penalized/radScore.ts), binary outcome at a horizon (lib/stats/binaryOutcome.ts),
 * Youden cut-off and risk groups.
 * Reference: test/fixtures/radscore_preprocess.json (test/fixtures/r/radscore_preprocess.R): lung.csv
 * rows 1–150 training / 151–228 validation, the five features z-scored with the training scaler,
 * coxph(Surv(time, status == 2) ~ age + ph.karno + wt.loss) refit, predict(type = "lp") on both
 * cohorts, y = death by day 365, pROC::roc(y, lp, direction = "<") with coords(best, youden).
 * Tolerances: Cox coefficients and SEs 1e-8 relative; linear predictors 1e-9 absolute; AUC 1e-12,
 * cut-off 1e-9 absolute (a midpoint of two linear predictors); sensitivity, specificity 1e-12;
 * counts exact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyScaler, fitScaler } from "../lib/stats/preprocess.js";
import { binaryAtHorizon } from "../lib/stats/binaryOutcome.js";
import { radScoreCox, radScoreCutoff, radScoreLasso, riskGroup, selectedFeatures } from "../lib/penalized/radScore.js";
import { cvLasso } from "../lib/penalized/cvLasso.js";
import { InputError } from "../lib/errors.js";
import { numericColumn } from "../lib/table/index.js";
import { close, closeAll, dataset, fixture } from "./helpers.js";

const fx = fixture("radscore_preprocess.json");

function lung() {
  const t = dataset("lung.csv");
  const cols = (fx.features as string[]).map((f) => numericColumn(t, f));
  const rows = Array.from({ length: t.nRows }, (_, i) => cols.map((c) => c[i]));
  const time = Array.from(numericColumn(t, "time"));
  const status = Array.from(numericColumn(t, "status"), (s) => (s === 2 ? 1 : 0));
  const scaler = fitScaler(rows.slice(0, 150), { names: fx.features });
  return {
    rawTrain: rows.slice(0, 150),
    rawValid: rows.slice(150),
    scaler,
    zTrain: applyScaler(scaler, rows.slice(0, 150)).x,
    train: { time: time.slice(0, 150), status: status.slice(0, 150) },
  };
}

test("radScoreCox: coefficients of the refit and linear predictors of both cohorts equal coxph's", () => {
  const d = lung();
  const rs = radScoreCox(d.zTrain, d.train, fx.cox.selected, { scaler: d.scaler });
  assert.equal(rs.method, "cox");
  assert.deepEqual(rs.terms.map((t) => t.feature), fx.cox.selected);
  closeAll(rs.terms.map((t) => t.coef), fx.cox.coef, { rel: 1e-8 }, "coef");
  closeAll(rs.terms.map((t) => t.se!), fx.cox.se, { rel: 1e-8 }, "se");
  closeAll(rs.trainScore, fx.cox.lp_train, { abs: 1e-9 }, "training lp");
  // Raw validation values go through the training scaler inside score().
  closeAll(rs.score(d.rawValid), fx.cox.lp_valid, { abs: 1e-9 }, "validation lp");
  closeAll(rs.score(d.rawTrain), fx.cox.lp_train, { abs: 1e-9 }, "training lp from raw values");
  // Selection by column index gives the same model.
  const byIndex = radScoreCox(d.zTrain, d.train, [0, 4, 1], { scaler: d.scaler });
  assert.deepEqual(byIndex.terms.map((t) => t.feature), ["age", "wt.loss", "ph.karno"]);
  closeAll(byIndex.trainScore, fx.cox.lp_train, { abs: 1e-9 }, "lp, selected by index");
});

test("binaryAtHorizon: 1 = event by the horizon, 0 = beyond it, excluded = censored before (as the R script)", () => {
  const d = lung();
  const b = binaryAtHorizon(d.train.time, d.train.status, fx.binary.horizon);
  assert.deepEqual(b.outcome, fx.binary.y);
  assert.equal(b.nEvent, fx.binary.n_event);
  assert.equal(b.nEventFree, fx.binary.n_event_free);
  assert.equal(b.nExcluded, fx.binary.n_excluded);
  assert.equal(b.rows.length + b.nExcluded, 150);
  // Hand-checkable edge cases at horizon 10: event at 10 → 1; censored at 10 → 0; censored at 9 → excluded;
  // event at 11 → 0; censored at 12 → 0.
  const h = binaryAtHorizon([10, 10, 9, 11, 12], [1, 0, 0, 1, 0], 10, { ids: ["a", "b", "c", "d", "e"] });
  assert.deepEqual(h.outcome, [1, 0, null, 0, 0]);
  assert.deepEqual(h.rows, [0, 1, 3, 4]);
  assert.deepEqual(h.y, [1, 0, 0, 0]);
  assert.deepEqual(h.excludedIds, ["c"]);
  assert.throws(() => binaryAtHorizon([1, 2], [1, 0], 0), InputError);
  assert.throws(() => binaryAtHorizon([1, 2], [1, 0], 5, { ids: ["x"] }), /ids has 1/);
});

test("radScoreCutoff: pROC's Youden threshold on the training cohort, applied unchanged to validation", () => {
  const d = lung();
  const rs = radScoreCox(d.zTrain, d.train, fx.cox.selected, { scaler: d.scaler });
  const b = binaryAtHorizon(d.train.time, d.train.status, fx.binary.horizon);
  const cut = radScoreCutoff(rs.trainScore, b);
  assert.equal(fx.roc.n_best, 1, "R found a single best threshold");
  close(cut.roc.auc, fx.roc.auc, { abs: 1e-12 }, "auc");
  close(cut.cutoff, fx.roc.cutoff, { abs: 1e-9 }, "cutoff");
  close(cut.sensitivity, fx.roc.sensitivity, { abs: 1e-12 }, "sensitivity");
  close(cut.specificity, fx.roc.specificity, { abs: 1e-12 }, "specificity");
  assert.equal(cut.n, fx.binary.n_event + fx.binary.n_event_free);
  // The same cut-off from a plain 0/1/null array.
  assert.equal(radScoreCutoff(rs.trainScore, b.outcome).cutoff, cut.cutoff);
  const gTrain = riskGroup(rs.trainScore, cut);
  const gValid = riskGroup(rs.score(d.rawValid), cut);
  assert.equal(gTrain.filter((g) => g === "high").length, fx.roc.high_train);
  assert.equal(gValid.filter((g) => g === "high").length, fx.roc.high_valid);
});

test("riskGroup by hand: at or above the cut-off is high (pROC's positive side); direction '>' reverses", () => {
  assert.deepEqual(riskGroup([1, 2, 3], 2), ["low", "high", "high"]);
  assert.deepEqual(riskGroup([1, 2, 3], { cutoff: 2, direction: ">" }), ["high", "high", "low"]);
  assert.throws(() => riskGroup([1, NaN], 2), /row 2/);
});

test("radScoreLasso: the LASSO's linear combination at lambda.min / lambda.1se, training scaling kept", () => {
  const d = lung();
  const cv = cvLasso(d.zTrain, d.train, { family: "cox", seed: 5, featureNames: fx.features });
  for (const which of ["lambda.min", "lambda.1se"] as const) {
    const sel = selectedFeatures(cv, which);
    const l = cv.path.lambda.indexOf(which === "lambda.min" ? cv.lambdaMin : cv.lambda1se);
    assert.ok(l >= 0);
    const rs = radScoreLasso(cv, which, d.zTrain, { scaler: d.scaler });
    assert.deepEqual(rs.terms.map((t) => t.column), sel.columns);
    assert.equal(rs.constant, 0, "Cox LASSO has no intercept");
    // Exactly Σ β_j z_j with the path's coefficients (tolerance 1e-12 absolute: same sums, same order).
    const manual = d.zTrain.map((r) => cv.path.beta[l].reduce((s, b, j) => s + (b === 0 ? 0 : b * r[j]), 0));
    closeAll(rs.trainScore, manual, { abs: 1e-12 }, `${which} training score`);
    const zValid = applyScaler(d.scaler, d.rawValid).x;
    const manualValid = zValid.map((r) => cv.path.beta[l].reduce((s, b, j) => s + (b === 0 ? 0 : b * r[j]), 0));
    closeAll(rs.score(d.rawValid), manualValid, { abs: 1e-12 }, `${which} validation score`);
  }
  // Binomial: the intercept is part of the score (log-odds).
  const b = binaryAtHorizon(d.train.time, d.train.status, 365);
  const xb = b.rows.map((i) => d.zTrain[i]);
  const cvb = cvLasso(xb, b.y, { family: "binomial", seed: 5 });
  const rb = radScoreLasso(cvb, "lambda.min", xb);
  const lb = cvb.path.lambda.indexOf(cvb.lambdaMin);
  assert.equal(rb.constant, cvb.path.a0![lb]);
  const manual = xb.map((r) => cvb.path.beta[lb].reduce((s, v, j) => s + v * r[j], cvb.path.a0![lb]));
  closeAll(rb.trainScore, manual, { abs: 1e-12 }, "binomial score");
});

test("bad input is refused", () => {
  const d = lung();
  assert.throws(() => radScoreCox(d.zTrain, d.train, []), /no features selected/);
  assert.throws(() => radScoreCox(d.zTrain, d.train, ["nope"]), /nope is not a column/);
  assert.throws(() => radScoreCox(d.zTrain, d.train, [0, 0]), /selected twice/);
  const rs = radScoreCox(d.zTrain, d.train, [0, 1]);
  assert.throws(() => rs.score([[1, 2]]), /row 1 has 2 values but the model has 5/);
  assert.throws(() => rs.score([[NaN, 1, 1, 1, 1]]), /row 1, feature column 1 is NaN/);
  assert.throws(() => radScoreCutoff([1, 2, 3], [1, 0]), /outcome has 2 values/);
});
