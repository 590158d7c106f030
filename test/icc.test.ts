// icc() against psych::ICC(x, lmer = FALSE) (psych 2.2.9, R 4.2.2): every number of every results
// table in icc_30x2.json (given) and icc_psych.json (test/fixtures/r/icc_psych.R: other confidence
// levels, 3 raters, 113 × 2, a negative ICC), plus the ANOVA mean squares.
// Tolerance: 1e-10 relative on every value (closed forms; F tails and quantiles agree with R to ~1e-14).
// pfUpper/qfUpper against R's pf/qf (fdist.json, test/fixtures/r/fdist.R): 1e-12 relative.
import { test } from "node:test";
import assert from "node:assert/strict";
import { icc, iccByFeature, ICC_FORMS, type IccForm } from "../lib/stats/icc.js";
import { pfUpper, qfUpper } from "../lib/stats/fDistribution.js";
import { InputError } from "../lib/errors.js";
import { createRng } from "../lib/random/index.js";
import { fixture, close, closeAll } from "./helpers.js";

const tol = { rel: 1e-10 };
const KEYS = ["icc", "F", "df1", "df2", "p", "lower", "upper"] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function checkCase(c: any, confLevel: number, file: string): void {
  const r = icc(c.x, { confLevel });
  assert.deepEqual(r.type, ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]);
  if (c.results.type) assert.deepEqual(r.type, c.results.type);
  for (const key of KEYS) closeAll(r[key], c.results[key], tol, `${file} ${c.label} ${key}`);
  for (const m of ["MSB", "MSJ", "MSE", "MSW"] as const) close(r.ms[m], c.ms[m], tol, `${file} ${c.label} ${m}`);
  assert.equal(r.nSubjects, c.n);
  assert.equal(r.nRaters, c.k);
  assert.equal(r.nDropped, 0);
  assert.deepEqual(r.warnings, []);
}

test("icc matches psych::ICC on every value of icc_30x2.json", () => {
  const fx = fixture("icc_30x2.json");
  assert.equal(fx.cases.length, 2);
  for (const c of fx.cases) checkCase(c, 0.95, "icc_30x2");
});

test("icc matches psych::ICC for other alpha, 3 raters, 113 x 2 and a negative ICC (icc_psych.json)", () => {
  const fx = fixture("icc_psych.json");
  assert.equal(fx.cases.length, 4);
  for (const c of fx.cases) checkCase(c, 1 - c.alpha, "icc_psych");
});

test("F upper tail and quantile match R's pf/qf (fdist.json), including non-integer and large df", () => {
  const fx = fixture("fdist.json");
  for (const [f, d1, d2, p] of fx.pf) close(pfUpper(f, d1, d2), p, { rel: 1e-12 }, `pf(${f}, ${d1}, ${d2})`);
  for (const [q, d1, d2, x] of fx.qf) close(qfUpper(q, d1, d2), x, { rel: 1e-12 }, `qf(${q}, ${d1}, ${d2})`);
  assert.equal(pfUpper(0, 3, 4), 1);
  assert.equal(pfUpper(Infinity, 3, 4), 0);
  assert.ok(Number.isNaN(pfUpper(1, 0, 4)));
});

test("missing ratings (null) drop the subject: same table as the complete rows, with a count", () => {
  // Exact equality: the complete-case path runs the same arithmetic on the same rows.
  const x: number[][] = fixture("icc_30x2.json").cases[0].x;
  const withNa: (number | null)[][] = x.map((row) => [...row]);
  withNa[2][1] = null;
  withNa[10][0] = null;
  const complete = x.filter((_, i) => i !== 2 && i !== 10);
  const a = icc(withNa);
  const b = icc(complete);
  for (const key of KEYS) assert.deepEqual(a[key], b[key], key);
  assert.equal(a.nSubjects, 28);
  assert.equal(a.nDropped, 2);
  assert.deepEqual(a.droppedRows, [3, 11]);
  assert.match(a.warnings.join("\n"), /2 subject\(s\) \(rows 3, 11\).*28 of 30/);
});

test("icc rejects bad input with messages naming the row and rater", () => {
  const x = [
    [1, 2],
    [3, 4],
    [5, NaN],
  ];
  assert.throws(() => icc(x), (e: Error) => e instanceof InputError && /row 3, rater 2 is NaN/.test(e.message));
  assert.throws(() => icc([[1, 2]]), (e: Error) => e instanceof InputError && /at least 2 subjects/.test(e.message));
  assert.throws(
    () => icc([[1, 2], [3, null], [4, 5]].slice(0, 2)),
    (e: Error) => e instanceof InputError && /1 subject\(s\) with complete ratings \(1 dropped/.test(e.message),
  );
  assert.throws(() => icc([[1], [2], [3]]), (e: Error) => e instanceof InputError && /at least 2 raters/.test(e.message));
  assert.throws(() => icc([[1, 2], [3]]), (e: Error) => e instanceof InputError && /row 2 of ratings has 1 raters/.test(e.message));
  assert.throws(() => icc([]), InputError);
  assert.throws(() => icc([[1, 2], [3, 4]], { confLevel: 1.2 }), InputError);
});

test("icc reports exact agreement with a warning rather than a silent NaN", () => {
  const r = icc([
    [1, 1],
    [2, 2],
    [3, 3],
  ]);
  assert.equal(r.icc[1], 1);
  assert.equal(r.p[1], 0);
  assert.ok(r.warnings.some((w) => /raters agree exactly/.test(w)));
});

/** Feature-major layout [feature][reading][patient] with per-feature reader bias and noise. */
function simulate(nFeatures: number, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const v = new Float64Array(nFeatures * 4 * n);
  for (let f = 0; f < nFeatures; f++) {
    const noise = 0.1 + 1.5 * rng.uniform(); // some features reproducible, some not
    const scale = 10 ** (4 * rng.uniform() - 2);
    const truth = Array.from({ length: n }, () => rng.normal());
    for (let r = 0; r < 4; r++) {
      const bias = r >= 2 ? 0.3 * rng.normal() : 0;
      for (let i = 0; i < n; i++) v[(f * 4 + r) * n + i] = scale * (100 + truth[i] + bias + noise * rng.normal());
    }
  }
  return v;
}

test("iccByFeature equals icc() on each feature's two-column matrices, for every form (1e-12 relative)", () => {
  // Tolerance 1e-12 relative (the shared code gives identical doubles; the tolerance is the brief's).
  const nF = 25;
  const n = 30;
  const v = simulate(nF, n, 11);
  v[(3 * 4 + 2) * n + 7] = NaN; // feature 4: reader 2 missing for patient 8 → inter uses 29 patients
  const col = (f: number, r: number) => Array.from(v.subarray((f * 4 + r) * n, (f * 4 + r + 1) * n));
  for (const form of ICC_FORMS) {
    const res = iccByFeature(v, { nPatients: n, form });
    assert.equal(res.nFeatures, nF);
    assert.equal(res.form, form);
    let kept = 0;
    for (let f = 0; f < nF; f++) {
      const r1 = col(f, 0);
      const interRows = r1.map((a, i) => [a, col(f, 2)[i]]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
      const intraRows = r1.map((a, i) => [a, col(f, 1)[i]]);
      const k = ICC_FORMS.indexOf(form as IccForm);
      close(res.inter[f], icc(interRows).icc[k], { rel: 1e-12 }, `${form} inter feature ${f + 1}`);
      close(res.intra[f], icc(intraRows).icc[k], { rel: 1e-12 }, `${form} intra feature ${f + 1}`);
      assert.equal(res.nInter[f], interRows.length);
      assert.equal(res.keep[f], res.inter[f] > 0.75 && res.intra[f] > 0.75 ? 1 : 0);
      kept += res.keep[f];
    }
    if (form === "ICC2") assert.ok(kept > 0 && kept < nF, `ICC2 keeps some but not all features (${kept})`);
    assert.equal(res.nInter[3], n - 1);
    assert.ok(res.warnings.some((w) => /feature 4: 1 patient\(s\) with a missing value dropped from the inter-observer/.test(w)));
  }
});

test("iccByFeature: default form ICC2 and threshold 0.75; threshold option; layout errors", () => {
  const n = 12;
  const v = simulate(6, n, 5);
  const res = iccByFeature(v, { nPatients: n, names: ["a", "b", "c", "d", "e", "f"] });
  assert.equal(res.form, "ICC2");
  assert.equal(res.threshold, 0.75);
  const strict = iccByFeature(v, { nPatients: n, threshold: 0.99 });
  for (let f = 0; f < 6; f++) {
    assert.equal(strict.inter[f], res.inter[f]);
    assert.equal(strict.keep[f], strict.inter[f] > 0.99 && strict.intra[f] > 0.99 ? 1 : 0);
  }
  assert.throws(() => iccByFeature(v.subarray(1), { nPatients: n }), (e: Error) => e instanceof InputError && /not a multiple/.test(e.message));
  assert.throws(() => iccByFeature(v, { nPatients: n, names: ["a"] }), InputError);
  assert.throws(() => iccByFeature(v, { nPatients: n, form: "ICC4" as IccForm }), InputError);
  const constant = new Float64Array(4 * n).fill(2);
  const c = iccByFeature(constant, { nPatients: n });
  assert.equal(c.keep[0], 0);
  assert.ok(c.warnings.some((w) => /undefined/.test(w)));
});
