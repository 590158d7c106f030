/**
 * compareConcordance() against survival 3.5.3's concordance(fitA, fitB)
 * (test/fixtures/lung_compare_cindex.json, made by test/fixtures/r/lung_compare_cindex.R).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareConcordance } from "../lib/survival/compareConcordance.js";
import { InputError } from "../lib/errors.js";
import { numericColumn } from "../lib/table/index.js";
import type { ConcordanceResult, ConcordanceTimewt } from "../lib/survival/concordance.js";
import { close, dataset, fixture } from "./helpers.js";

const ref = fixture("lung_compare_cindex.json");
const lung = dataset("lung.csv");
const allTime = numericColumn(lung, "time");
const allStatus = numericColumn(lung, "status");

interface Pair {
  label: string;
  timewt: ConcordanceTimewt;
  ymax: number | null;
  rows_used: number[];
  x_a: number[];
  x_b: number[];
  concordance: [number, number];
  count: number[][];
  var: number[][];
  diff: number;
  se: number;
  z: number;
  p: number;
}

function checkCounts(fit: ConcordanceResult, row: number[], exact: boolean, label: string): void {
  const got = [fit.concordant, fit.discordant, fit.tiedRisk, fit.tiedTime, fit.tiedBoth];
  const names = ["concordant", "discordant", "tied.x", "tied.y", "tied.xy"];
  for (let k = 0; k < 5; k++) {
    // Integer counts exact; time-weighted ones 1e-10 relative (1e-9 absolute for R's exact zeros).
    if (exact) assert.equal(got[k], row[k], `${label} ${names[k]}`);
    else close(got[k], row[k], { rel: 1e-10, abs: 1e-9 }, `${label} ${names[k]}`);
  }
}

for (const pr of ref.pairs as Pair[]) {
  test(`compareConcordance: lung ${pr.label} matches concordance(fitA, fitB)`, () => {
    const time = pr.rows_used.map((r) => allTime[r - 1]);
    const status = pr.rows_used.map((r) => (allStatus[r - 1] === 2 ? 1 : 0));
    const res = compareConcordance(time, status, pr.x_a, pr.x_b, { timewt: pr.timewt, ymax: pr.ymax });
    assert.deepEqual(res.warnings, []);
    // The fixture's JSON carries 15 significant digits; all are closed forms: 1e-10 relative.
    const tol = { rel: 1e-10 };
    close(res.cA, pr.concordance[0], tol, `${pr.label} cA`);
    close(res.cB, pr.concordance[1], tol, `${pr.label} cB`);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) close(res.covariance[i][j], pr.var[i][j], tol, `${pr.label} var[${i}][${j}]`);
    }
    close(res.diff, pr.diff, tol, `${pr.label} diff (cB - cA)`);
    close(res.se, pr.se, tol, `${pr.label} se`);
    close(res.z, pr.z, tol, `${pr.label} z`);
    close(res.p, pr.p, tol, `${pr.label} p`);
    checkCounts(res.a, pr.count[0], pr.timewt === "n", `${pr.label} A`);
    checkCounts(res.b, pr.count[1], pr.timewt === "n", `${pr.label} B`);
  });
}

test("compareConcordance: karno's Cox lp ranks as -ph.karno, so passing -ph.karno gives the same comparison", () => {
  const pr = (ref.pairs as Pair[]).find((q) => q.label === "karno_vs_age");
  assert.ok(pr !== undefined);
  const karno = numericColumn(lung, "ph.karno");
  const time = pr.rows_used.map((r) => allTime[r - 1]);
  const status = pr.rows_used.map((r) => (allStatus[r - 1] === 2 ? 1 : 0));
  const res = compareConcordance(time, status, pr.rows_used.map((r) => -karno[r - 1]), pr.x_b);
  // Only ranks matter: same values up to rounding (1e-10 relative).
  close(res.diff, pr.diff, { rel: 1e-10 }, "diff");
  close(res.se, pr.se, { rel: 1e-10 }, "se");
  close(res.p, pr.p, { rel: 1e-10 }, "p");
});

test("compareConcordance: bad input", () => {
  assert.throws(() => compareConcordance([1, 2, 3], [1, 0, 1], [1, 2, 3], [1, 2]), (e: Error) => e instanceof InputError && /riskB has 2/.test(e.message));
  assert.throws(
    () => compareConcordance([1, 2, 3], [1, 0, 1], [1, NaN, 3], [1, 2, 3]),
    (e: Error) => e instanceof InputError && /riskA at row 2/.test(e.message),
  );
});

test("compareConcordance: identical scores give diff 0, se 0 and a warning instead of a silent NaN", () => {
  const res = compareConcordance([1, 2, 3, 4, 5], [1, 1, 0, 1, 0], [5, 3, 4, 1, 2], [5, 3, 4, 1, 2]);
  assert.equal(res.diff, 0);
  assert.equal(res.se, 0);
  assert.ok(Number.isNaN(res.z) && Number.isNaN(res.p));
  assert.equal(res.warnings.length, 1);
});

test("compareConcordance: no comparable pairs is reported for each score", () => {
  const res = compareConcordance([1, 2, 3], [0, 0, 0], [1, 2, 3], [3, 2, 1]);
  assert.ok(Number.isNaN(res.cA) && Number.isNaN(res.p));
  assert.equal(res.warnings.length, 2);
});
