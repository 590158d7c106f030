/**
 * kaplanMeier() with case weights and (start, stop] rows against R survival 3.5.3's survfit
 * (test/fixtures/km_extended.json, made by test/fixtures/r/km_extended.R): integer weights
 * (Greenwood, equal to the expanded data), non-integer weights (R's default robust IJ variance),
 * explicit robust = TRUE, the veteran data split into (start, stop] rows (equal to the unsplit
 * curves) and a small hand-checkable data set with late entry. Plus bad input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { kaplanMeier, type KaplanMeierOptions } from "../lib/survival/kaplanMeier.js";
import { InputError } from "../lib/errors.js";
import { close, closeAll, fixture, type Tol } from "./helpers.js";

const ref = fixture("km_extended.json");
// Curves, SEs and limits: 1e-8 relative or 1e-12 absolute (values near 0); counts and times exact
// up to 1e-12 relative (weighted sums); table values (rmean, its SE, median and limits) 1e-8.
const TOL: Tol = { rel: 1e-8, abs: 1e-12 };
const COUNT: Tol = { rel: 1e-12 };
const arr = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fitCase(c: any) {
  const d = c.data;
  const opts: KaplanMeierOptions = {};
  const status = d.event ?? d.status;
  if (d.wi && c.label !== "lung_expanded") opts.weights = d.wi;
  if (d.wf) opts.weights = d.wf;
  if (d.w) opts.weights = d.w;
  if (d.tstart) opts.start = d.tstart;
  if (d.start) opts.start = d.start;
  if (d.sex) opts.group = d.sex;
  if (d.trt) opts.group = d.trt;
  if (/loglog/.test(c.label)) opts.confType = "log-log";
  if (c.label === "lung_robust_unweighted") opts.robust = true;
  return kaplanMeier(d.time, status, opts);
}

for (const c of ref.cases) {
  test(`kaplanMeier ${c.label}: ${c.formula} (km_extended.json)`, () => {
    const km = fitCase(c);
    assert.equal(km.strata.length, c.strata.length);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    c.strata.forEach((e: any, k: number) => {
      const s = km.strata[k];
      const L = `${c.label}[${k}]`;
      closeAll(s.time, arr(e.time), COUNT, `${L} time`);
      closeAll(s.nRisk, arr(e.n_risk), COUNT, `${L} n.risk`);
      closeAll(s.nEvent, arr(e.n_event), COUNT, `${L} n.event`);
      closeAll(s.nCensor, arr(e.n_censor), COUNT, `${L} n.censor`);
      closeAll(s.surv, arr(e.surv), TOL, `${L} surv`);
      closeAll(s.stdErr, arr(e.std_err), TOL, `${L} std.err`);
      closeAll(s.lower, arr(e.lower), TOL, `${L} lower`);
      closeAll(s.upper, arr(e.upper), TOL, `${L} upper`);
      closeAll(s.cumhaz, arr(e.cumhaz), TOL, `${L} cumhaz`);
      closeAll(s.stdChaz, arr(e.std_chaz), TOL, `${L} std.chaz`);
      assert.equal(s.n, e.records, `${L} records`);
      close(s.events, e.events, COUNT, `${L} events`);
      close(s.rmean, e.rmean, TOL, `${L} rmean`);
      close(s.seRmean, e.se_rmean, TOL, `${L} se(rmean)`);
      close(s.median, e.median, TOL, `${L} median`);
      close(s.medianLower, e.lcl, TOL, `${L} median LCL`);
      close(s.medianUpper, e.ucl, TOL, `${L} median UCL`);
    });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const byLabel = (label: string): any => ref.cases.find((c: { label: string }) => c.label === label);

test("integer weights give the curve of the expanded data; the split veteran data the unsplit curves (1e-8)", () => {
  const x = fitCase(byLabel("lung_int_weights")).strata[0];
  const y = fitCase(byLabel("lung_expanded")).strata[0];
  closeAll(x.time, Array.from(y.time), COUNT, "time");
  closeAll(x.surv, Array.from(y.surv), TOL, "surv");
  closeAll(x.stdErr, Array.from(y.stdErr), TOL, "std.err");
  closeAll(x.nRisk, Array.from(y.nRisk), COUNT, "n.risk");
  // The split adds time points at the cuts (rows "censored" there and re-entering); at the
  // unsplit curve's times the two agree.
  const split = fitCase(byLabel("veteran_split"));
  const unsplit = fitCase(byLabel("veteran_unsplit"));
  unsplit.strata.forEach((u, k) => {
    const s = split.strata[k];
    u.time.forEach((t, j) => {
      const i = s.time.indexOf(t);
      assert.ok(i >= 0, `time ${t} in the split curve`);
      close(s.surv[i], u.surv[j], TOL, `surv at ${t}`);
      if (Number.isFinite(u.stdErr[j])) close(s.stdErr[i], u.stdErr[j], TOL, `std.err at ${t}`);
      else assert.equal(s.stdErr[i], u.stdErr[j], `std.err at ${t} (S = 0)`);
      close(s.nRisk[i], u.nRisk[j], COUNT, `n.risk at ${t}`);
    });
  });
});

test("kaplanMeier bad input: start >= stop, negative or zero weights, NaN start", () => {
  const time = [2, 3, 5];
  const status = [1, 0, 1];
  assert.throws(() => kaplanMeier(time, status, { start: [0, 3, 1] }), (e: Error) => e instanceof InputError && /row 2/.test(e.message));
  assert.throws(() => kaplanMeier(time, status, { start: [0, NaN, 1] }), /start at row 2/);
  assert.throws(() => kaplanMeier(time, status, { weights: [1, -2, 1] }), (e: Error) => e instanceof InputError && /negative/.test(e.message));
  assert.throws(() => kaplanMeier(time, status, { weights: [1, 0, 1] }), /must be > 0/);
  assert.throws(() => kaplanMeier(time, status, { weights: [1, 1] }), /weights has 2 values/);
});
