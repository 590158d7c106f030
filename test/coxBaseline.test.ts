/**
 * baseHazard(), survfitCox(), survivalSummary()/survivalAt() against R survival 3.5.3
 * (basehaz and survfit.coxph, ctype 2 for efron fits and 1 for breslow fits): all 10 lung
 * models of lung_cox.json, plus the 0/1-covariate, init, eps, collinear and constant fits of
 * cox_edge.json (test/fixtures/r/cox_edge.R).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coxph, type CoxphFit } from "../lib/survival/coxph.js";
import { baseHazard, survfitCox, survivalAt, survivalSummary } from "../lib/survival/coxBaseline.js";
import { modelFrame } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";
import { closeAll, dataset, fixture, type Tol } from "./helpers.js";

const lungCox = fixture("lung_cox.json");
const edge = fixture("cox_edge.json");
const lung = dataset("lung.csv");

// Tolerance for every baseline/survival quantity (hazard, S, std.err, limits): 1e-8 relative
// (or 1e-12 absolute for values near 0, e.g. std.err at the first times).
const TOL: Tol = { rel: 1e-8, abs: 1e-12 };

function lungFit(terms: string[], ties: "efron" | "breslow", rowsUsed?: number[]): CoxphFit {
  const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: terms });
  if (rowsUsed) assert.deepEqual(mf.rowsUsed, rowsUsed, "rows used (na.omit)");
  return coxph({ time: mf.time, status: mf.status, x: mf.x }, { ties });
}

function checkMatrix(actual: number[][], expected: number[][], label: string) {
  assert.equal(actual.length, expected.length, `${label} rows`);
  expected.forEach((row, i) => closeAll(actual[i], row, TOL, `${label}[${i}]`));
}

for (const m of lungCox.models) {
  const label = `${m.formula} ${m.ties}`;
  test(`baseline hazard and survival curves: ${label} (lung_cox.json)`, () => {
    const fit = lungFit(m.term, m.ties, m.rows_used);
    const bc = baseHazard(fit);
    assert.deepEqual(bc.time, m.basehaz_centered.time);
    closeAll(bc.hazard, m.basehaz_centered.hazard, TOL, `${label} basehaz centered`);
    const bu = baseHazard(fit, { centered: false });
    assert.deepEqual(bu.time, m.basehaz_uncentered.time);
    closeAll(bu.hazard, m.basehaz_uncentered.hazard, TOL, `${label} basehaz uncentered`);

    const curves = survfitCox(fit, m.newdata);
    assert.deepEqual(curves.time, m.newdata_curve.time);
    checkMatrix(curves.surv, m.newdata_curve.surv, `${label} curve surv`);
    checkMatrix(curves.stdErr, m.newdata_curve.std_err, `${label} curve std.err`);
    // cumhaz is -log S, and the risk-set counts add up.
    curves.cumhaz.forEach((row, i) => closeAll(row.map((h) => Math.exp(-h)), curves.surv[i], { rel: 1e-14 }, "S = exp(-H)"));
    assert.equal(curves.nRisk[0], fit.n);
    assert.equal(curves.nEvent.reduce((a, b) => a + b, 0), fit.nEvent);
    assert.equal(curves.nEvent.reduce((a, b) => a + b, 0) + curves.nCensor.reduce((a, b) => a + b, 0), fit.n);

    const s = m.newdata_surv;
    const summary = survivalSummary(fit, m.newdata, s.times);
    assert.deepEqual(summary.times, s.times);
    checkMatrix(summary.surv, s.surv, `${label} summary surv`);
    checkMatrix(summary.stdErr, s.std_err, `${label} summary std.err`);
    checkMatrix(summary.lower, s.lower, `${label} summary lower`);
    checkMatrix(summary.upper, s.upper, `${label} summary upper`);
    checkMatrix(survivalAt(fit, m.newdata, s.times), s.surv, `${label} survivalAt`);
  });
}

// ---------- cox_edge.json ----------

const lf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: ["age", "sex", "ph.ecog"] });
const cols: Record<string, Float64Array> = {
  ...lf.x,
  female: lf.x.sex.map((v) => (v === 2 ? 1 : 0)),
  age2: lf.x.age.map((v) => 2 * v),
  const: lf.x.age.map(() => 1),
};
const data = (terms: string[]) => ({ time: lf.time, status: lf.status, x: Object.fromEntries(terms.map((t) => [t, cols[t]])) });
const edgeFits: Record<string, () => CoxphFit> = {
  init: () => coxph(data(["age", "sex"]), { init: [0.01, -0.4] }),
  eps: () => coxph(data(["age", "sex", "ph.ecog"]), { eps: 1e-3 }),
  binary: () => coxph(data(["age", "female", "ph.ecog"]), { ties: "efron" }),
  binary_breslow: () => coxph(data(["age", "female", "ph.ecog"]), { ties: "breslow" }),
  collinear: () => coxph(data(["age", "age2", "female"])),
  constant: () => coxph(data(["age", "const"])),
};
const newdata = { age: [50, 70], sex: [1, 2], female: [0, 1], "ph.ecog": [0, 2], age2: [100, 140], const: [1, 1] };

for (const c of edge.cases.filter((c: { basehaz_centered?: unknown }) => c.basehaz_centered)) {
  test(`baseline hazard and survival curves: edge case ${c.label} (cox_edge.json)`, () => {
    const fit = edgeFits[c.label]();
    const bc = baseHazard(fit);
    assert.deepEqual(bc.time, c.basehaz_centered.time);
    closeAll(bc.hazard, c.basehaz_centered.hazard, TOL, `${c.label} basehaz centered`);
    closeAll(baseHazard(fit, { centered: false }).hazard, c.basehaz_uncentered.hazard, TOL, `${c.label} basehaz uncentered`);
    const curves = survfitCox(fit, newdata);
    assert.deepEqual(curves.time, c.newdata_curve.time);
    checkMatrix(curves.surv, c.newdata_curve.surv, `${c.label} curve surv`);
    checkMatrix(curves.stdErr, c.newdata_curve.std_err, `${c.label} curve std.err`);
  });
}

test("edge fixture cases with curves are all covered", () => {
  const withCurves = edge.cases.filter((c: { basehaz_centered?: unknown }) => c.basehaz_centered).map((c: { label: string }) => c.label);
  assert.deepEqual(withCurves.sort(), Object.keys(edgeFits).sort());
});

test("survivalSummary: before the first time S = 1 (se 0); after the last, the last value (extend = TRUE)", () => {
  const fit = lungFit(["age"], "efron");
  const curves = survfitCox(fit, { age: [60] });
  const last = curves.time.length - 1;
  const s = survivalSummary(fit, { age: [60] }, [0, curves.time[last], 5000]);
  assert.deepEqual(s.surv[0][0], 1);
  assert.deepEqual(s.stdErr[0][0], 0);
  assert.equal(s.surv[0][1], curves.surv[0][last]);
  assert.equal(s.surv[0][2], curves.surv[0][last]);
});

test("baseline: bad input is refused with an InputError", () => {
  const fit = lungFit(["age", "sex"], "efron");
  const throwsWith = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.message));
  throwsWith(() => survivalAt(fit, { age: [50] }, [100]), /no column "sex"/);
  throwsWith(() => survivalAt(fit, { age: [50, 60], sex: [1] }, [100]), /"sex" has 1 values but "age" has 2/);
  throwsWith(() => survivalAt(fit, { age: [50, NaN], sex: [1, 2] }, [100]), /"age" is NaN at row 2/);
  throwsWith(() => survivalAt(fit, { age: [50], sex: [1] }, [NaN]), /times\[0\]/);
  const noEvents = coxph({ time: [1, 2, 3], status: [0, 0, 0], x: { a: [1, 2, 3] } });
  throwsWith(() => baseHazard(noEvents), /no events/);
});
