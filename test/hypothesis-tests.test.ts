/**
 * chisqTest, fisherTest, tTest and wilcoxTest against R 4.2.2's chisq.test, fisher.test, t.test and
 * wilcox.test (test/fixtures/hypothesis_tests.json, made by test/fixtures/r/hypothesis_tests.R).
 * Every record of the fixture is checked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, close, closeAll } from "./helpers.js";
import { chisqTest, fisherTest, tTest, wilcoxTest } from "../lib/stats/tests/index.js";
import { pt, qt } from "../lib/stats/tDistribution.js";
import { InputError } from "../lib/errors.js";

const ref = fixture("hypothesis_tests.json");
// Tolerances: statistics, df, estimates, intervals 1e-10 relative; p-values 1e-10 relative or 1e-14 absolute.
const REL = { rel: 1e-10 };
const PTOL = { rel: 1e-10, abs: 1e-14 };

test("chisqTest matches chisq.test (with and without correct) on every table", () => {
  assert.ok(ref.chisq.length >= 20);
  for (const r of ref.chisq) {
    const label = r.call;
    const fit = chisqTest(r.table, { correct: r.correct });
    close(fit.statistic, r.statistic, REL, `${label} statistic`);
    assert.equal(fit.parameter, r.parameter, `${label} df`);
    close(fit.p, r.p, PTOL, `${label} p`);
    r.expected.forEach((row: number[], i: number) => closeAll(fit.expected[i], row, REL, `${label} expected[${i}]`));
    assert.equal(fit.method, r.method, `${label} method`);
    assert.deepEqual(fit.warnings, r.warnings, `${label} warnings`);
  }
});

test("fisherTest matches fisher.test: p for 2×2 and r×c, odds ratio and 95% CI for 2×2", () => {
  assert.ok(ref.fisher.length >= 10);
  for (const r of ref.fisher) {
    const label = r.call;
    const fit = fisherTest(r.table);
    close(fit.p, r.p, PTOL, `${label} p`);
    assert.equal(fit.method, r.method, `${label} method`);
    if (r.table.length === 2 && r.table[0].length === 2) {
      // Conditional MLE and CI: R's uniroot iteration reproduced; tolerance 1e-10 relative (the brief asked 1e-8).
      if (r.estimateInfinite) assert.equal(fit.estimate, Infinity, `${label} estimate`);
      else close(fit.estimate, r.estimate, REL, `${label} estimate`);
      assert.ok(fit.confInt, `${label} confInt`);
      for (let k = 0; k < 2; k++) {
        if (r.confInt[k] === null) assert.equal(fit.confInt![k], Infinity, `${label} confInt[${k}]`);
        else close(fit.confInt![k], r.confInt[k], REL, `${label} confInt[${k}]`);
      }
    } else {
      assert.equal(fit.estimate, undefined);
    }
  }
});

test("tTest matches t.test (Welch and Student)", () => {
  assert.ok(ref.ttest.length >= 14);
  for (const r of ref.ttest) {
    const label = `${r.name}: ${r.call}`;
    const fit = tTest(r.x, r.y, { varEqual: r.varEqual });
    close(fit.statistic, r.statistic, REL, `${label} statistic`);
    close(fit.df, r.df, REL, `${label} df`);
    close(fit.p, r.p, PTOL, `${label} p`);
    closeAll(fit.confInt, r.confInt, REL, `${label} confInt`);
    closeAll(fit.estimate, r.estimate, REL, `${label} estimate`);
    close(fit.stderr, r.stderr, REL, `${label} stderr`);
    assert.equal(fit.method, r.method, `${label} method`);
  }
});

test("wilcoxTest matches wilcox.test (exact, normal approximation, with and without continuity correction)", () => {
  assert.ok(ref.wilcox.length >= 30);
  for (const r of ref.wilcox) {
    const label = `${r.name}: ${r.call}`;
    const fit = wilcoxTest(r.x, r.y, { exact: r.exact ?? undefined, correct: r.correct });
    close(fit.statistic, r.statistic, REL, `${label} W`);
    close(fit.p, r.p, PTOL, `${label} p`);
    assert.equal(fit.method, r.method, `${label} method`);
    assert.deepEqual(fit.warnings, r.warnings, `${label} warnings`);
  }
});

test("pt and qt round-trip in far tails (self-consistency, 1e-12 relative)", () => {
  for (const df of [1, 2.5, 7, 30.3, 250]) {
    for (const p of [1e-12, 1e-6, 0.025, 0.3]) {
      const q = qt(p, df);
      close(pt(q, df), p, { rel: 1e-12 }, `pt(qt(${p}, ${df}))`);
    }
  }
});

test("bad input: InputError naming the problem", () => {
  assert.throws(() => chisqTest([[1, 2]]), InputError);
  assert.throws(() => chisqTest([[1, 2], [3]]), /row 2/);
  assert.throws(() => chisqTest([[1, -2], [3, 4]]), /cell \[1, 2\]/);
  assert.throws(() => chisqTest([[0, 0], [3, 4]]), /row 1 has no counts/);
  assert.throws(() => fisherTest([[1.5, 2], [3, 4]]), /whole counts/);
  assert.throws(() => fisherTest([[0, 0], [0, 0]]), /positive/);
  // r × c enumeration guard
  assert.throws(
    () => fisherTest([[60, 50, 40, 45, 30], [40, 55, 60, 35, 50], [50, 45, 40, 55, 60]], { maxTables: 1e5 }),
    /chisqTest, or a simulated/,
  );
  assert.throws(() => tTest([1], [2, 3]), /not enough 'x'/);
  assert.throws(() => tTest([1, 2, NaN], [2, 3]), /x\[3\]/);
  assert.throws(() => tTest([5, 5, 5], [5, 5]), /essentially constant/);
  assert.throws(() => wilcoxTest([], [1]), /'x'/);
  assert.throws(() => wilcoxTest([2, 2], [2, 2, 2]), /all observations are tied/);
});

test("wilcoxTest exact refuses sizes it cannot tabulate, instead of exhausting memory", () => {
  const x = Array.from({ length: 400 }, (_, i) => i + 0.5);
  const y = Array.from({ length: 400 }, (_, i) => i + 0.25);
  assert.throws(() => wilcoxTest(x, y, { exact: true }), /exact: false/);
  // the default rule (n >= 50) uses the normal approximation and is fine
  assert.equal(wilcoxTest(x, y).exact, false);
});
