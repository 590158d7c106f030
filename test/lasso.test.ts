/**
 * lassoPath against glmnet 4.1.6 (fixtures *_glmnet_*.json, glmnet_default_path.json; see their
 * `method`). The references were fitted with thresh = 1e-14, i.e. at the converged optimum, and
 * so is radsurv here.
 * Tolerances: coefficients, intercepts and dev.ratio |diff| <= 1e-6 absolute or 1e-6 relative;
 * lambda 1e-9 relative; nulldev 1e-9 relative; df exact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { close, closeAll, fixture, dataset } from "./helpers.js";
import { lassoCase } from "./lassoData.js";
import { lassoPath, coxDeviance } from "../lib/penalized/index.js";
import { numericColumn } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";

const COEF = { abs: 1e-6, rel: 1e-6 };

for (const name of ["lung_glmnet_cox.json", "coxexample_glmnet_cox.json", "binomialexample_glmnet_binomial.json"]) {
  const c = lassoCase(fixture(name));
  const family = name.includes("binomial") ? "binomial" : "cox";
  test(`${name}: scale(x) reproduces R's centre and scale`, () => {
    closeAll(c.center, c.fx.x_center, { abs: 1e-12, rel: 1e-12 }, "x_center");
    closeAll(c.scale, c.fx.x_scale, { abs: 1e-12, rel: 1e-12 }, "x_scale");
  });
  for (const ref of c.fx.paths) {
    test(`${name}: path with standardize = ${ref.standardize} matches glmnet at every lambda`, () => {
      const fit = lassoPath(c.x, c.y as never, {
        family,
        lambda: ref.lambda,
        standardize: ref.standardize,
        thresh: 1e-14,
        maxit: 1e7,
      });
      assert.equal(fit.family, family);
      closeAll(fit.lambda, ref.lambda, { rel: 1e-12 }, "lambda");
      assert.equal(fit.beta.length, ref.beta.length);
      for (let l = 0; l < ref.beta.length; l++) closeAll(fit.beta[l], ref.beta[l], COEF, `beta[${l}]`);
      assert.deepEqual(fit.df, ref.df);
      closeAll(fit.devRatio, ref.dev_ratio, COEF, "devRatio");
      close(fit.nullDev, ref.nulldev, { rel: 1e-9 }, "nullDev");
      if (ref.a0) closeAll(fit.a0!, ref.a0, COEF, "a0");
      else assert.equal(fit.a0, undefined);
      assert.deepEqual(fit.warnings, []);
    });
  }
}

test("default lambda sequences, lambda.min.ratio rule and early end of the path match glmnet", () => {
  const fx = fixture("glmnet_default_path.json");
  const cox = dataset("glmnet_CoxExample.csv");
  const bin = dataset("glmnet_BinomialExample.csv");
  for (const ref of fx.fits) {
    const t = ref.family === "cox" ? cox : bin;
    const cols = Array.from({ length: 30 }, (_, j) => numericColumn(t, `x${j + 1}`));
    const rows: number[] = ref.rows.map((r: number) => r - 1);
    const x = rows.map((i) => cols.map((col) => col[i]));
    const y =
      ref.family === "cox"
        ? { time: rows.map((i) => numericColumn(t, "time")[i]), status: rows.map((i) => numericColumn(t, "status")[i]) }
        : rows.map((i) => numericColumn(t, "y")[i]);
    const fit = lassoPath(x, y as never, { family: ref.family, standardize: ref.standardize, thresh: 1e-14, maxit: 1e7 });
    const label = ref.label;
    assert.equal(fit.lambda.length, ref.lambda.length, `${label}: path length`);
    closeAll(fit.lambda, ref.lambda, { rel: 1e-9 }, `${label}: lambda`);
    for (let l = 0; l < ref.beta.length; l++) closeAll(fit.beta[l], ref.beta[l], COEF, `${label}: beta[${l}]`);
    assert.deepEqual(fit.df, ref.df, `${label}: df`);
    closeAll(fit.devRatio, ref.dev_ratio, COEF, `${label}: devRatio`);
    close(fit.nullDev, ref.nulldev, { rel: 1e-9 }, `${label}: nullDev`);
    if (ref.a0) closeAll(fit.a0!, ref.a0, COEF, `${label}: a0`);
  }
});

test("Cox deviance reproduces glmnet's handling of censored times tied with events (lung, t > 256)", () => {
  // Tolerance 1e-9 relative.
  const ref = fixture("glmnet_default_path.json").cox_deviance;
  const lung = dataset("lung.csv");
  const time = numericColumn(lung, "time");
  const status = numericColumn(lung, "status");
  const rows: number[] = ref.rows.map((r: number) => r - 1);
  const t = rows.map((i) => time[i]);
  const s = rows.map((i) => (status[i] === 2 ? 1 : 0));
  close(coxDeviance(t, s, ref.eta), ref.deviance, { rel: 1e-9 }, "deviance");
  close(coxDeviance(t.slice(0, 100), s.slice(0, 100), ref.eta.slice(0, 100)), ref.deviance_first100, { rel: 1e-9 }, "deviance, 100 rows");
});

test("a constant column keeps a zero coefficient (glmnet's chkvars)", () => {
  const c = lassoCase(fixture("binomialexample_glmnet_binomial.json"));
  const x = c.x.map((r) => [...r, 3]);
  const fit = lassoPath(x, c.y as number[], { family: "binomial", lambda: c.fx.lambda, thresh: 1e-14, maxit: 1e7 });
  const ref = c.fx.paths[0];
  for (let l = 0; l < ref.beta.length; l++) {
    assert.equal(fit.beta[l][30], 0);
    closeAll(fit.beta[l].slice(0, 30), ref.beta[l], COEF, `beta[${l}]`);
  }
});

test("bad input is refused with a message naming the problem", () => {
  const c = lassoCase(fixture("lung_glmnet_cox.json"));
  const y = c.y as { time: number[]; status: number[] };
  const bad = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));
  const ragged = c.x.map((r, i) => (i === 4 ? r.slice(0, 6) : r));
  bad(() => lassoPath(ragged, y, { family: "cox" }), /row 5 of x has 6 values but row 1 has 7/);
  const withNaN = c.x.map((r, i) => (i === 2 ? r.map((v, j) => (j === 3 ? NaN : v)) : r));
  bad(() => lassoPath(withNaN, y, { family: "cox" }), /row 3, column 4/);
  bad(() => lassoPath(withNaN, y, { family: "cox", featureNames: c.fx.features }), /column 4 \(ph\.karno\)/);
  bad(() => lassoPath(c.x, { time: y.time.slice(1), status: y.status.slice(1) }, { family: "cox" }), /y has 167 observations but x has 168 rows/);
  bad(() => lassoPath(c.x, { time: y.time, status: y.status.map(() => 0) }, { family: "cox" }), /no events/);
  bad(() => lassoPath(c.x, y, { family: "cox", alpha: 1.5 }), /alpha must lie in \[0, 1\]/);
  bad(() => lassoPath(c.x, y, { family: "cox", alpha: -0.1 }), /alpha/);
  const b = lassoCase(fixture("binomialexample_glmnet_binomial.json"));
  const yb = b.y as number[];
  bad(() => lassoPath(b.x, yb.map((v, i) => (i === 7 ? 2 : v)), { family: "binomial" }), /y at row 8 is 2; binomial y must be 0 or 1/);
  bad(() => lassoPath(b.x, yb.slice(0, 99), { family: "binomial" }), /y has 99 values but x has 100 rows/);
  bad(() => lassoPath(b.x, yb.map(() => 0), { family: "binomial" }), /1 or 0 observations/);
  bad(() => lassoPath(b.x, yb, { family: "binomial", lambda: [0.1, -1] }), /non-negative/);
  bad(() => lassoPath(b.x.map((r) => r.map(() => 1)), yb, { family: "binomial" }), /zero variance/);
});

test("maxit reached ends the path with glmnet's warning instead of looping", () => {
  const c = lassoCase(fixture("coxexample_glmnet_cox.json"));
  const fit = lassoPath(c.x, c.y as never, { family: "cox", lambda: c.fx.lambda, thresh: 1e-14, maxit: 50 });
  assert.ok(fit.lambda.length < c.fx.lambda.length);
  assert.match(fit.warnings[0], /Convergence for \d+th lambda value not reached after maxit=50 iterations/);
});
