// Log-rank and Peto–Peto tests against R 4.2.2 / survival 3.5.3 survdiff
// (test/fixtures/lung_logrank.json: 6 tests, rho = 0 and 1, 2 and 4 groups, stratified).
// Tolerance: obs, exp, var, chisq 1e-10 relative (1e-12 absolute for near-zero covariances);
// p 1e-8 relative or 1e-12 absolute; n and df exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logRank } from "../lib/survival/logRank.js";
import { InputError } from "../lib/errors.js";
import { numericColumn } from "../lib/table/index.js";
import { close, closeAll, dataset, fixture } from "./helpers.js";

const tol = { rel: 1e-10, abs: 1e-12 };
const ptol = { rel: 1e-8, abs: 1e-12 };
const ref = fixture("lung_logrank.json");
const lung = dataset("lung.csv");
const time = numericColumn(lung, "time");
const status = Array.from(numericColumn(lung, "status"), (s) => (s === 2 ? 1 : 0));

test("fixture has the 6 tests", () => {
  assert.equal(ref.tests.length, 6);
});

for (const t of ref.tests) {
  test(`survdiff ${t.formula}, rho = ${t.rho}`, () => {
    // "Surv(...) ~ group [+ strata(s)]"
    const m = /~\s*([\w.]+)(?:\s*\+\s*strata\(([\w.]+)\))?/.exec(t.formula);
    assert.ok(m, `formula ${t.formula}`);
    const g = m[1];
    const strata = m[2] ? numericColumn(lung, m[2]) : undefined;
    const r = logRank(time, status, numericColumn(lung, g), { rho: t.rho, strata });
    const l = `${t.formula} rho=${t.rho}`;
    assert.deepEqual(
      r.groups.map((v) => `${g}=${v}`),
      t.groups,
      `${l} groups`,
    );
    assert.deepEqual(r.n, t.n, `${l} n`);
    assert.equal(r.dropped, time.length - t.n.reduce((a: number, b: number) => a + b, 0), `${l} dropped`);
    closeAll(r.observed, t.obs, tol, `${l} obs`);
    closeAll(r.expected, t.exp, tol, `${l} exp`);
    assert.equal(r.variance.length, t.var.length);
    t.var.forEach((row: number[], i: number) => closeAll(r.variance[i], row, tol, `${l} var[${i}]`));
    close(r.chisq, t.chisq, tol, `${l} chisq`);
    assert.equal(r.df, t.df, `${l} df`);
    close(r.p, t.p, ptol, `${l} p`);
    assert.deepEqual(r.warnings, []);
  });
}

// test/fixtures/survival_edge.json (R script test/fixtures/r/survival_edge.R): string groups with
// NA (dropped), a group without events, rho = 0, 0.5, 1, with and without strata. Same tolerances.
const edge = fixture("survival_edge.json");
for (const t of edge.logrank) {
  test(`edge survdiff rho = ${t.rho}${t.stratified ? " + strata" : ""}`, () => {
    const d = edge.logrank_data;
    const r = logRank(d.time, d.status, d.group, { rho: t.rho, strata: t.stratified ? d.strat : undefined });
    const l = `edge rho=${t.rho} strata=${t.stratified}`;
    assert.deepEqual(r.groups, t.groups, `${l} groups`);
    assert.deepEqual(r.n, t.n, `${l} n`);
    assert.equal(r.dropped, 2);
    closeAll(r.observed, t.obs, tol, `${l} obs`);
    closeAll(r.expected, t.exp, tol, `${l} exp`);
    t.var.forEach((row: number[], i: number) => closeAll(r.variance[i], row, tol, `${l} var[${i}]`));
    close(r.chisq, t.chisq, tol, `${l} chisq`);
    assert.equal(r.df, t.df, `${l} df`);
    close(r.p, t.p, ptol, `${l} p`);
  });
}

test("no events at all: chisq 0, p undefined with a warning (as R's NaN)", () => {
  const r = logRank([1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 2, 2]);
  assert.equal(r.chisq, 0);
  assert.equal(r.df, -1);
  assert.ok(Number.isNaN(r.p));
  assert.match(r.warnings[0], /no events/);
});

test("bad input throws InputError naming the problem", () => {
  const bad = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));
  bad(() => logRank([1, 2, 3], [1, 0], [1, 2, 1]), /time has 3 values but status has 2/);
  bad(() => logRank([1, 2, 3], [1, 0, 1], [1, 2]), /group has 2 values/);
  bad(() => logRank([1, NaN, 3], [1, 0, 1], [1, 2, 1]), /time at row 2 is NaN/);
  bad(() => logRank([1, -2, 3], [1, 0, 1], [1, 2, 1]), /time at row 2 is negative/);
  bad(() => logRank([1, 2, 3], [2, 1, 2], [1, 2, 1]), /status at row 1 is 2.*status == 2/);
  bad(() => logRank([1, 2, 3], [1, 0, 1], [1, 1, 1]), /only one level/);
  bad(() => logRank([1, 2, 3], [1, 0, 1], [1, null, 1]), /only one level/);
  bad(() => logRank([1, 2, 3], [1, 0, 1], [1, 2, 1], { strata: [1, 2] }), /strata has 2 values/);
  bad(() => logRank([1, 2, 3], [1, 0, 1], [1, 2, 1], { rho: NaN }), /rho/);
});
