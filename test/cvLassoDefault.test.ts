/**
 * cvLasso with glmnet's default lambda sequence, against cv.glmnet: each fold fits its own default
 * path and its coefficients are interpolated at the full data's lambdas (glmnet's lambda.interp).
 * Reference: test/fixtures/cvglmnet_default_lambda.json (test/fixtures/r/cvglmnet_default_lambda.R).
 * Tolerances: lambda 1e-9 relative; cvm and cvsd 1e-6 relative or absolute (the fold paths use
 * glmnet's default thresh 1e-7, so both programs stop at the same iterate); indices exact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cvLasso, type CvLassoResult } from "../lib/penalized/cvLasso.js";
import { numericColumn } from "../lib/table/index.js";
import { closeAll, dataset, fixture } from "./helpers.js";

const fx = fixture("cvglmnet_default_lambda.json");
const TOL = { rel: 1e-6, abs: 1e-6 };

function rowsOf(file: string, n: number) {
  const t = dataset(file);
  const cols = Array.from({ length: 30 }, (_, j) => numericColumn(t, `x${j + 1}`));
  return { t, x: Array.from({ length: n }, (_, i) => cols.map((c) => c[i])) };
}

const cases = [
  ["cox_deviance", "cox", "deviance"],
  ["cox_C", "cox", "C"],
  ["binomial_deviance", "binomial", "deviance"],
  ["binomial_auc", "binomial", "auc"],
] as const;

for (const [key, family, typeMeasure] of cases) {
  test(`default lambda: cvLasso ${family} ${typeMeasure} equals cv.glmnet`, () => {
    const ref = fx[key];
    let cv: CvLassoResult;
    if (family === "cox") {
      const n = 120;
      const { t, x } = rowsOf("glmnet_CoxExample.csv", n);
      const y = { time: Array.from(numericColumn(t, "time")).slice(0, n), status: Array.from(numericColumn(t, "status")).slice(0, n) };
      cv = cvLasso(x, y, { family, typeMeasure, foldid: Array.from({ length: n }, (_, i) => (i % 10) + 1) });
    } else {
      const n = 100;
      const { t, x } = rowsOf("glmnet_BinomialExample.csv", n);
      const y = Array.from(numericColumn(t, "y")).slice(0, n);
      cv = cvLasso(x, y, { family, typeMeasure, foldid: Array.from({ length: n }, (_, i) => (i % 10) + 1) });
    }
    closeAll(cv.lambda, ref.lambda, { rel: 1e-9 }, "lambda");
    closeAll(cv.cvm, ref.cvm, TOL, "cvm");
    closeAll(cv.cvsd, ref.cvsd, TOL, "cvsd");
    assert.equal(cv.indexMin + 1, ref.index_min, "lambda.min index");
    assert.equal(cv.index1se + 1, ref.index_1se, "lambda.1se index");
  });
}
