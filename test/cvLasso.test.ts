/**
 * cvLasso against cv.glmnet 4.1.6 with the fixtures' fixed lambda and foldid (see `method`).
 * Tolerances: cvm, cvsd, cvup, cvlo |diff| <= 1e-6 absolute or relative (the brief asks 1e-4;
 * radsurv agrees to ~1e-13); lambdaMin/lambda1se exact indices; nzero exact; coef at
 * lambda.min/1se 1e-6.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closeAll, close, fixture } from "./helpers.js";
import { lassoCase } from "./lassoData.js";
import { cvLasso } from "../lib/penalized/index.js";
import { InputError } from "../lib/errors.js";

const TOL = { abs: 1e-6, rel: 1e-6 };

for (const name of ["lung_glmnet_cox.json", "coxexample_glmnet_cox.json", "binomialexample_glmnet_binomial.json"]) {
  const c = lassoCase(fixture(name));
  const family = name.includes("binomial") ? "binomial" : "cox";
  for (const ref of c.fx.cv) {
    test(`${name}: cv.glmnet type.measure = "${ref.type_measure}"`, () => {
      const cv = cvLasso(c.x, c.y as never, {
        family,
        lambda: c.fx.lambda,
        foldid: c.fx.foldid,
        typeMeasure: ref.type_measure,
        thresh: 1e-14,
        maxit: 1e7,
        featureNames: c.fx.features,
      });
      assert.equal(cv.name, ref.name);
      closeAll(cv.lambda, c.fx.lambda, { rel: 1e-12 }, "lambda");
      closeAll(cv.cvm, ref.cvm, TOL, "cvm");
      closeAll(cv.cvsd, ref.cvsd, TOL, "cvsd");
      closeAll(cv.cvup, ref.cvup, TOL, "cvup");
      closeAll(cv.cvlo, ref.cvlo, TOL, "cvlo");
      assert.deepEqual(cv.nzero, ref.nzero);
      assert.equal(cv.indexMin, ref.index_min - 1, "index of lambda.min (0-based)");
      assert.equal(cv.index1se, ref.index_1se - 1, "index of lambda.1se (0-based)");
      close(cv.lambdaMin, ref.lambda_min, { rel: 1e-12 }, "lambdaMin");
      close(cv.lambda1se, ref.lambda_1se, { rel: 1e-12 }, "lambda1se");
      assert.deepEqual(cv.foldid, c.fx.foldid);
      // coef(cv_fit, s = "lambda.min" / "lambda.1se"): the non-zero coefficients of the full fit.
      for (const [which, idx] of [
        ["coef_min", cv.indexMin],
        ["coef_1se", cv.index1se],
      ] as const) {
        const names: string[] = [];
        const values: number[] = [];
        if (cv.path.a0) {
          names.push("(Intercept)");
          values.push(cv.path.a0[idx]);
        }
        cv.path.beta[idx].forEach((b, j) => {
          if (b !== 0) {
            names.push(c.fx.features[j]);
            values.push(b);
          }
        });
        assert.deepEqual(names, ref[which].names, which);
        closeAll(values, ref[which].values, TOL, which);
      }
    });
  }
}

test("seeded folds are reproducible and use radsurv's generator", () => {
  const c = lassoCase(fixture("binomialexample_glmnet_binomial.json"));
  const a = cvLasso(c.x, c.y as number[], { family: "binomial", seed: 7, nfolds: 5, lambda: c.fx.lambda.slice(0, 10) });
  const b = cvLasso(c.x, c.y as number[], { family: "binomial", seed: 7, nfolds: 5, lambda: c.fx.lambda.slice(0, 10) });
  assert.deepEqual(a.foldid, b.foldid);
  assert.deepEqual(a.cvm, b.cvm);
  assert.equal(Math.max(...a.foldid), 5);
});

test("cvLasso refuses measures of the other family and bad foldid", () => {
  const c = lassoCase(fixture("lung_glmnet_cox.json"));
  assert.throws(() => cvLasso(c.x, c.y as never, { family: "cox", typeMeasure: "auc" }), InputError);
  assert.throws(() => cvLasso(c.x, c.y as never, { family: "cox", foldid: c.fx.foldid.slice(1) }), /foldid has 167 values/);
});
