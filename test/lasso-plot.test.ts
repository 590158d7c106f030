/** Structure of the lasso figures: plotted numbers equal the fit's (exact), lines at log λ.min / λ.1se. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./helpers.js";
import { lassoCase } from "./lassoData.js";
import { cvLasso, lassoPath } from "../lib/penalized/index.js";
import { cvLassoPlot, lassoPathPlot } from "../lib/plot/lassoPlot.js";

const c = lassoCase(fixture("lung_glmnet_cox.json"));

test("cvLassoPlot: red points at cvm with cvlo..cvup bars and dashed lines at log lambdaMin / lambda1se", () => {
  const cv = cvLasso(c.x, c.y as never, { family: "cox", lambda: c.fx.lambda, foldid: c.fx.foldid });
  const fig = cvLassoPlot(cv);
  const pts = fig.data.find((t) => (t.meta as { role: string }).role === "cvm")!;
  assert.deepEqual(pts.y, cv.cvm);
  assert.deepEqual(pts.x, cv.lambda.map(Math.log));
  const err = pts.error_y as { array: number[]; arrayminus: number[] };
  (pts.y as number[]).forEach((m, l) => {
    assert.ok(Math.abs(m + err.array[l] - cv.cvup[l]) < 1e-12);
    assert.ok(Math.abs(m - err.arrayminus[l] - cv.cvlo[l]) < 1e-12);
  });
  const shapes = fig.layout.shapes as { name: string; x0: number; line: { dash: string } }[];
  assert.equal(shapes.find((s) => s.name === "lambdaMin")!.x0, Math.log(cv.lambdaMin));
  assert.equal(shapes.find((s) => s.name === "lambda1se")!.x0, Math.log(cv.lambda1se));
  assert.ok(shapes.every((s) => s.line.dash === "dash"));
  const top = fig.layout.xaxis2 as { ticktext: string[]; side: string };
  assert.equal(top.side, "top");
  assert.ok(top.ticktext.every((t) => cv.nzero.map(String).includes(t)));
});

test("lassoPathPlot: one line per feature against log lambda, selected lambda dashed", () => {
  const fit = lassoPath(c.x, c.y as never, { family: "cox", lambda: c.fx.lambda, featureNames: c.fx.features });
  const fig = lassoPathPlot(fit, { label: true, selectedLambda: c.fx.lambda[10] });
  const lines = fig.data.filter((t) => (t.meta as { role: string }).role === "coef");
  assert.equal(lines.length, 7);
  lines.forEach((t, j) => {
    assert.equal(t.name, c.fx.features[j]);
    assert.deepEqual(t.y, fit.beta.map((b) => b[j]));
  });
  const shapes = fig.layout.shapes as { name: string; x0: number }[];
  assert.equal(shapes[0].x0, Math.log(c.fx.lambda[10]));
});
