/**
 * concordance() against survival 3.5.3 (test/fixtures/lung_cindex.json): every predictor, every
 * concordance row (timewt n, S, S/G, n/G2, with and without ymax), and Hmisc::rcorr.cens's Dxy/S.D.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { concordance, type ConcordanceTimewt } from "../lib/survival/concordance.js";
import { InputError } from "../lib/errors.js";
import { numericColumn } from "../lib/table/index.js";
import { close, dataset, fixture } from "./helpers.js";

const ref = fixture("lung_cindex.json");
const lung = dataset("lung.csv");
const allTime = numericColumn(lung, "time");
const allStatus = numericColumn(lung, "status");

interface Predictor {
  label: string;
  reverse: boolean;
  rows_used: number[];
  x: number[];
  concordance: Array<{
    timewt: ConcordanceTimewt;
    ymax: number | null;
    concordance: number;
    var: number;
    std: number;
    concordant: number;
    discordant: number;
    tied_x: number;
    tied_y: number;
    tied_xy: number;
  }>;
  rcorr_cens: Array<{ outx: boolean; c_index: number; dxy: number; sd: number; relevant_pairs: number; concordant: number }>;
}

function inputs(p: Predictor) {
  const time = p.rows_used.map((r) => allTime[r - 1]);
  const status = p.rows_used.map((r) => (allStatus[r - 1] === 2 ? 1 : 0));
  // reverse = FALSE in R means larger x = longer survival: our API takes its negative.
  const risk = p.x.map((v) => (p.reverse ? v : -v));
  return { time, status, risk };
}

for (const p of ref.predictors as Predictor[]) {
  test(`concordance: lung ${p.label}, every timewt/ymax row of survival::concordance`, () => {
    const { time, status, risk } = inputs(p);
    assert.ok(p.concordance.length >= 6);
    for (const row of p.concordance) {
      const label = `${p.label} timewt=${row.timewt} ymax=${row.ymax}`;
      const fit = concordance(time, status, risk, { timewt: row.timewt, ymax: row.ymax });
      assert.deepEqual(fit.warnings, []);
      assert.equal(fit.n, time.length);
      if (row.timewt === "n") {
        // Unweighted counts are integers: exact.
        assert.equal(fit.concordant, row.concordant, `${label} concordant`);
        assert.equal(fit.discordant, row.discordant, `${label} discordant`);
        assert.equal(fit.tiedRisk, row.tied_x, `${label} tied.x`);
        assert.equal(fit.tiedTime, row.tied_y, `${label} tied.y`);
        assert.equal(fit.tiedBoth, row.tied_xy, `${label} tied.xy`);
      } else {
        // Time-weighted counts are sums of KM ratios: 1e-10 relative (absolute 1e-9 for R's exact 0s).
        const tol = { rel: 1e-10, abs: 1e-9 };
        close(fit.concordant, row.concordant, tol, `${label} concordant`);
        close(fit.discordant, row.discordant, tol, `${label} discordant`);
        close(fit.tiedRisk, row.tied_x, tol, `${label} tied.x`);
        close(fit.tiedTime, row.tied_y, tol, `${label} tied.y`);
        close(fit.tiedBoth, row.tied_xy, tol, `${label} tied.xy`);
      }
      // c, IJ variance and se are closed forms of the counts: 1e-10 relative.
      close(fit.c, row.concordance, { rel: 1e-10 }, `${label} c`);
      close(fit.variance, row.var, { rel: 1e-10 }, `${label} var`);
      close(fit.se, row.std, { rel: 1e-10 }, `${label} std`);
    }
  });

  test(`concordance: lung ${p.label}, Dxy and S.D. equal Hmisc::rcorr.cens (outx = FALSE)`, () => {
    const { time, status, risk } = inputs(p);
    const fit = concordance(time, status, risk);
    const hm = p.rcorr_cens.find((r) => !r.outx);
    assert.ok(hm !== undefined);
    // Same closed forms (Hmisc's S.D. is 2x survival's IJ se): 1e-10 relative.
    close(fit.c, hm.c_index, { rel: 1e-10 }, `${p.label} C Index`);
    close(fit.dxy, hm.dxy, { rel: 1e-10 }, `${p.label} Dxy`);
    close(fit.dxySd, hm.sd, { rel: 1e-10 }, `${p.label} S.D.`);
    // Hmisc counts ordered pairs (each comparable pair twice, a risk tie as half concordant): exact.
    assert.equal(2 * (fit.concordant + fit.discordant + fit.tiedRisk), hm.relevant_pairs, `${p.label} relevant pairs`);
    assert.equal(2 * fit.concordant + fit.tiedRisk, hm.concordant, `${p.label} Hmisc concordant`);
    // outx = TRUE (pairs tied on risk dropped) is a different estimator, not provided.
  });
}

test("concordance: a predictor where larger = longer survival is passed negated (R's reverse = FALSE)", () => {
  const p = (ref.predictors as Predictor[]).find((q) => !q.reverse);
  assert.ok(p !== undefined);
  const { time, status, risk } = inputs(p);
  const neg = concordance(time, status, risk);
  const raw = concordance(time, status, p.x);
  // Exact mirror image: counts swap, c -> 1 - c, same variance (1e-12 absolute for rounding).
  assert.equal(raw.concordant, neg.discordant);
  assert.equal(raw.discordant, neg.concordant);
  close(raw.c, 1 - neg.c, { abs: 1e-12 }, "1 - c");
  close(raw.variance, neg.variance, { rel: 1e-12 }, "variance");
});

test("concordance: bad input throws InputError naming the problem", () => {
  assert.throws(() => concordance([1, 2, 3], [1, 0, 1], [1, 2]), (e: Error) => e instanceof InputError && /risk has 2 values/.test(e.message));
  assert.throws(() => concordance([1, 2], [1, 0, 1], [1, 2]), InputError);
  assert.throws(
    () => concordance([1, 2, 3], [1, 0, 1], [0.5, NaN, 1]),
    (e: Error) => e instanceof InputError && /risk at row 2/.test(e.message),
  );
  assert.throws(() => concordance([1, 2, 3], [1, 2, 1], [1, 2, 3]), (e: Error) => e instanceof InputError && /status at row 2/.test(e.message));
  assert.throws(() => concordance([1, 2, 3], [1, 0, 1], [1, 2, 3], { timewt: "I" as ConcordanceTimewt }), InputError);
  assert.throws(() => concordance([1, 2, 3], [1, 0, 1], [1, 2, 3], { ymax: NaN }), InputError);
});

test("concordance: all censored gives NaN with a warning (R: concordance NaN, var NaN)", () => {
  const fit = concordance([1, 2, 3], [0, 0, 0], [3, 2, 1]);
  assert.ok(Number.isNaN(fit.c) && Number.isNaN(fit.se));
  assert.equal(fit.concordant + fit.discordant + fit.tiedRisk, 0);
  assert.equal(fit.warnings.length, 1);
  assert.match(fit.warnings[0], /no comparable pairs/i);
  // Events only tied with each other: R counts 6 tied.y and returns NaN.
  const tied = concordance([1, 1, 1, 1], [1, 1, 1, 1], [1, 2, 3, 4]);
  assert.ok(Number.isNaN(tied.c));
  assert.equal(tied.tiedTime, 6);
  assert.equal(tied.warnings.length, 1);
});

test("concordance: constant risk gives c = 0.5, variance 0 (as R)", () => {
  // R: concordance(Surv(1:4, c(1,0,1,1)) ~ rep(1,4)) -> 0.5, tied.x 4, var 0.
  const fit = concordance([1, 2, 3, 4], [1, 0, 1, 1], [1, 1, 1, 1]);
  assert.equal(fit.c, 0.5);
  assert.equal(fit.tiedRisk, 4);
  assert.equal(fit.variance, 0);
  assert.deepEqual(fit.warnings, []);
});

test("concordance: times equal up to rounding are tied, as survival's timefix", () => {
  // 0.1 + 0.2 and 0.3 differ by 5.6e-17: R treats them as one time (aeqSurv).
  const a = concordance([0.1 + 0.2, 0.3, 1], [1, 1, 0], [2, 1, 0]);
  assert.equal(a.tiedTime, 1);
  assert.equal(a.concordant, 2);
});

