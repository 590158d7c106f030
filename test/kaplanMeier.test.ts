// Kaplan–Meier against R 4.2.2 / survival 3.5.3 (test/fixtures/lung_km.json: survfit curves,
// summary table, quantile(), summary(times =, extend = TRUE) for 9 fits).
// Tolerance: 1e-10 relative (1e-13 absolute for values that are 0 in R); counts and times exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  kaplanMeier,
  quantileKM,
  restrictedMean,
  survfitSummary,
  type ConfType,
} from "../lib/survival/kaplanMeier.js";
import { InputError } from "../lib/errors.js";
import { numericColumn } from "../lib/table/index.js";
import { close, closeAll, dataset, fixture } from "./helpers.js";

const tol = { rel: 1e-10, abs: 1e-13 };
const ref = fixture("lung_km.json");
const lung = dataset("lung.csv");
const time = numericColumn(lung, "time");
const status = Array.from(numericColumn(lung, "status"), (s) => (s === 2 ? 1 : 0));

/** The grouping column named in the fit's formula (`~ 1` = none). */
function groupOf(formula: string): string | undefined {
  const m = /~\s*([\w.]+)/.exec(formula);
  return m && m[1] !== "1" ? m[1] : undefined;
}

function fitFor(f: { formula: string; conf_type: ConfType }) {
  const g = groupOf(f.formula);
  return {
    g,
    km: kaplanMeier(time, status, {
      group: g ? numericColumn(lung, g) : undefined,
      confType: f.conf_type,
    }),
  };
}

/** survfit's stratum label: "all" with no group, else "var=level". */
const label = (g: string | undefined, level: string | number) => (g ? `${g}=${level}` : "all");

test("fixture has the 9 fits", () => {
  assert.equal(ref.fits.length, 9);
});

for (const f of ref.fits) {
  const name = `${f.label} (${f.conf_type})`;

  test(`survfit curves: ${name}`, () => {
    const { g, km } = fitFor(f);
    assert.equal(km.strata.length, f.curves.length, "number of strata");
    const total = km.strata.reduce((a, s) => a + s.n, 0);
    assert.equal(km.dropped, time.length - total, "dropped rows");
    f.curves.forEach((c: Record<string, number[] & string & number>, i: number) => {
      const s = km.strata[i];
      const l = `${name} ${c.stratum}`;
      assert.equal(label(g, s.group), c.stratum, `${l} label`);
      assert.equal(s.n, c.n, `${l} n`);
      assert.equal(s.confType, f.conf_type);
      assert.equal(s.confLevel, 0.95);
      assert.deepEqual(Array.from(s.time), c.time, `${l} time`);
      assert.deepEqual(Array.from(s.nRisk), c.n_risk, `${l} n.risk`);
      assert.deepEqual(Array.from(s.nEvent), c.n_event, `${l} n.event`);
      assert.deepEqual(Array.from(s.nCensor), c.n_censor, `${l} n.censor`);
      closeAll(s.surv, c.surv, tol, `${l} surv`);
      closeAll(s.stdErr, c.std_err, tol, `${l} std.err`);
      closeAll(
        Array.from(s.surv, (v, j) => v * s.stdErr[j]),
        c.se_surv,
        tol,
        `${l} se of S`,
      );
      closeAll(s.lower, c.lower, tol, `${l} lower`);
      closeAll(s.upper, c.upper, tol, `${l} upper`);
      closeAll(s.cumhaz, c.cumhaz, tol, `${l} cumhaz`);
      closeAll(s.stdChaz, c.std_chaz, tol, `${l} std.chaz`);
    });
  });

  test(`summary table (median, CI, rmean): ${name}`, () => {
    const { g, km } = fitFor(f);
    const t = f.table;
    const rm730 = restrictedMean(km, 730);
    km.strata.forEach((s, i) => {
      const l = `${name} ${t.stratum[i]}`;
      assert.equal(label(g, s.group), t.stratum[i]);
      assert.equal(s.n, t.records[i], `${l} records`);
      assert.equal(s.nRisk[0], t.n_start[i], `${l} n.start`);
      assert.equal(s.events, t.events[i], `${l} events`);
      close(s.median, t.median[i], tol, `${l} median`);
      close(s.medianLower, t.median_lcl[i], tol, `${l} median LCL`);
      close(s.medianUpper, t.median_ucl[i], tol, `${l} median UCL`);
      close(s.rmean, t.rmean[i], tol, `${l} rmean`);
      close(s.seRmean, t.se_rmean[i], tol, `${l} se(rmean)`);
      close(rm730[i].rmean, t.rmean_730[i], tol, `${l} rmean 730`);
      close(rm730[i].se, t.se_rmean_730[i], tol, `${l} se(rmean 730)`);
    });
  });

  test(`quantile(fit): ${name}`, () => {
    const { km } = fitFor(f);
    const q = quantileKM(km, f.quantiles.probs);
    assert.deepEqual(q.probs, f.quantiles.probs);
    q.strata.forEach((s, i) => {
      closeAll(s.quantile, f.quantiles.quantile[i], tol, `${name} stratum ${i} quantile`);
      closeAll(s.lower, f.quantiles.lower[i], tol, `${name} stratum ${i} lower`);
      closeAll(s.upper, f.quantiles.upper[i], tol, `${name} stratum ${i} upper`);
    });
  });

  test(`summary(fit, times, extend = TRUE): ${name}`, () => {
    const { g, km } = fitFor(f);
    const a = f.at_times;
    const sm = survfitSummary(km, ref.at_times);
    // The fixture lists stratum after stratum, each at every time.
    const flat = (k: "nRisk" | "nEvent" | "surv" | "stdErr" | "lower" | "upper" | "time") =>
      sm.strata.flatMap((s) => Array.from(s[k]));
    assert.deepEqual(
      sm.strata.flatMap((s) => Array.from(s.time, () => label(g, s.group))),
      a.stratum,
    );
    assert.deepEqual(flat("time"), a.time);
    assert.deepEqual(flat("nRisk"), a.n_risk, `${name} n.risk`);
    assert.deepEqual(flat("nEvent"), a.n_event, `${name} n.event`);
    closeAll(flat("surv"), a.surv, tol, `${name} surv`);
    closeAll(flat("stdErr"), a.std_err, tol, `${name} std.err`);
    closeAll(flat("lower"), a.lower, tol, `${name} lower`);
    closeAll(flat("upper"), a.upper, tol, `${name} upper`);
  });
}

// Edge cases from test/fixtures/survival_edge.json (R script: test/fixtures/r/survival_edge.R):
// curves flat at exactly 0.5 (median/quantile midpoint rules), events at time 0 and ties,
// string groups with NA and a group without events. Same tolerance (the JSON has 15 digits).
const edge = fixture("survival_edge.json");
for (const f of edge.km) {
  const name = `edge ${f.label} (${f.conf_type})`;
  test(name, () => {
    const km = kaplanMeier(f.data.time, f.data.status, { group: f.data.group ?? undefined, confType: f.conf_type });
    assert.equal(km.strata.length, f.curves.length, `${name} strata`);
    const q = quantileKM(km, f.quantiles.probs);
    const sm = survfitSummary(km, [0, 0.5, 2, 3, 10, 40]);
    const flat = (k: "nRisk" | "nEvent" | "nCensor" | "surv" | "stdErr" | "lower" | "upper" | "time") =>
      sm.strata.flatMap((x) => Array.from(x[k]));
    f.curves.forEach((c: Record<string, number[] & string>, i: number) => {
      const s = km.strata[i];
      const l = `${name} ${c.stratum}`;
      assert.equal(String(s.group), c.stratum, `${l} label`);
      assert.deepEqual(Array.from(s.time), c.time, `${l} time`);
      assert.deepEqual(Array.from(s.nRisk), c.n_risk, `${l} n.risk`);
      assert.deepEqual(Array.from(s.nEvent), c.n_event, `${l} n.event`);
      assert.deepEqual(Array.from(s.nCensor), c.n_censor, `${l} n.censor`);
      closeAll(s.surv, c.surv, tol, `${l} surv`);
      closeAll(s.stdErr, c.std_err, tol, `${l} std.err`);
      closeAll(s.lower, c.lower, tol, `${l} lower`);
      closeAll(s.upper, c.upper, tol, `${l} upper`);
      closeAll(s.cumhaz, c.cumhaz, tol, `${l} cumhaz`);
      closeAll(s.stdChaz, c.std_chaz, tol, `${l} std.chaz`);
      close(s.median, f.table.median[i], tol, `${l} median`);
      close(s.medianLower, f.table.median_lcl[i], tol, `${l} median LCL`);
      close(s.medianUpper, f.table.median_ucl[i], tol, `${l} median UCL`);
      close(s.rmean, f.table.rmean[i], tol, `${l} rmean`);
      close(s.seRmean, f.table.se_rmean[i], tol, `${l} se(rmean)`);
      closeAll(q.strata[i].quantile, f.quantiles.quantile[i], tol, `${l} quantile`);
      closeAll(q.strata[i].lower, f.quantiles.lower[i], tol, `${l} quantile lower`);
      closeAll(q.strata[i].upper, f.quantiles.upper[i], tol, `${l} quantile upper`);
    });
    const a = f.at_times;
    assert.deepEqual(flat("time"), a.time, `${name} summary time`);
    assert.deepEqual(flat("nRisk"), a.n_risk, `${name} summary n.risk`);
    assert.deepEqual(flat("nEvent"), a.n_event, `${name} summary n.event`);
    assert.deepEqual(flat("nCensor"), a.n_censor, `${name} summary n.censor`);
    closeAll(flat("surv"), a.surv, tol, `${name} summary surv`);
    closeAll(flat("stdErr"), a.std_err, tol, `${name} summary std.err`);
    closeAll(flat("lower"), a.lower, tol, `${name} summary lower`);
    closeAll(flat("upper"), a.upper, tol, `${name} summary upper`);
  });
}

test("string groups use R's factor order and drop missing groups", () => {
  const g = ["b", "a", null, "b", "a", "c"];
  const km = kaplanMeier([5, 3, 2, 8, 1, 4], [1, 1, 1, 0, 0, 1], { group: g });
  assert.deepEqual(
    km.strata.map((s) => s.group),
    ["a", "b", "c"],
  );
  assert.equal(km.dropped, 1);
  assert.deepEqual(
    km.strata.map((s) => s.n),
    [2, 2, 1],
  );
});

test("a group with no events: surv stays 1, median not reached", () => {
  const km = kaplanMeier([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], { group: [1, 1, 1, 2, 2, 2] });
  const s = km.strata[1];
  assert.deepEqual(Array.from(s.surv), [1, 1, 1]);
  assert.deepEqual(Array.from(s.stdErr), [0, 0, 0]);
  assert.deepEqual(Array.from(s.lower), [1, 1, 1]);
  assert.equal(s.events, 0);
  assert.equal(s.median, null);
  assert.equal(s.medianLower, null);
  assert.equal(s.medianUpper, null);
  assert.deepEqual(quantileKM(km).strata[1].quantile, [null, null, null]);
});

test("all censored: a flat curve, nothing reached", () => {
  const km = kaplanMeier([3, 1, 2], [0, 0, 0]);
  const s = km.strata[0];
  assert.deepEqual(Array.from(s.surv), [1, 1, 1]);
  assert.deepEqual(Array.from(s.cumhaz), [0, 0, 0]);
  assert.equal(s.median, null);
  assert.equal(s.rmean, 3);
  assert.equal(s.seRmean, 0);
});

test("bad input throws InputError naming the problem", () => {
  const bad = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));
  bad(() => kaplanMeier([1, 2, 3], [1, 0]), /time has 3 values but status has 2/);
  bad(() => kaplanMeier([1, NaN, 3], [1, 0, 1]), /time at row 2 is NaN/);
  bad(() => kaplanMeier([1, -2, 3], [1, 0, 1]), /time at row 2 is negative/);
  bad(() => kaplanMeier([1, 2, 3], [1, 2, 1]), /status at row 2 is 2.*status == 2/);
  bad(() => kaplanMeier([1, 2, 3], [1, 0.5, 1]), /status at row 2 is 0.5/);
  bad(() => kaplanMeier([1, 2, 3], [1, 0, 1], { group: [1, 2] }), /group has 2 values/);
  // row numbers refer to the caller's rows even after rows with a missing group are dropped
  bad(() => kaplanMeier([1, 2, -3], [1, 0, 1], { group: [null, 1, 2] }), /time at row 3 is negative/);
  bad(() => kaplanMeier([1, 2], [1, 0], { confType: "logit" as ConfType }), /confType "logit"/);
  bad(() => kaplanMeier([1, 2], [1, 0], { confLevel: 1 }), /confLevel/);
  bad(() => kaplanMeier([1, 2], [1, 0], { confLevel: 0 }), /confLevel/);
  bad(() => kaplanMeier([1, 2], [1, 0], { confLevel: 95 }), /confLevel/);
  bad(() => quantileKM(kaplanMeier([1, 2], [1, 0]), [1.5]), /probs\[0\]/);
  bad(() => survfitSummary(kaplanMeier([1, 2], [1, 0]), [NaN]), /times\[0\]/);
});
