/**
 * coxTable: the paper's univariate-screen → multivariable Cox table, checked on lung against R.
 *
 * References: test/fixtures/lung_cox.json (survival::coxph 3.5.3, each model with its own na.omit).
 * - Univariate rows equal the fixture's one-term models (hr, hr_lower, hr_upper, p, n, nevent) when
 *   the rows used coincide — always for the per-model na.omit of raw columns, and for complete-case
 *   columns only where modelFrame's rows equal the fixture's rows_used. Tolerance: rel 1e-8.
 * - The multivariable fit equals every multi-term fixture model when its terms are the candidates
 *   and all enter (screenP = 1), rel 1e-8; with the default screen (p < 0.05) it equals coxph on the
 *   selected set over that set's complete cases (same code path: rel 1e-12).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coxTable, formatHrCi, formatP } from "../lib/survival/coxTable.js";
import { coxph } from "../lib/survival/coxph.js";
import { modelFrame, numericColumn } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";
import { close, closeAll, dataset, fixture } from "./helpers.js";

const lung = dataset("lung.csv");
const ref = fixture("lung_cox.json");
const CANDIDATES = ["age", "sex", "ph.ecog", "ph.karno", "wt.loss"];
const REL = { rel: 1e-8 };

const rawTime = numericColumn(lung, "time");
const rawEvent = Float64Array.from(numericColumn(lung, "status"), (s) => (s === 2 ? 1 : 0));
const rawColumns = (names: string[]) => Object.fromEntries(names.map((n) => [n, numericColumn(lung, n)]));

// biome-ignore lint: fixture JSON
type Model = any;
const termsOf = (m: Model): string[] => [].concat(m.term);
const univariateRefs = (ties: string): Model[] => ref.models.filter((m: Model) => m.ties === ties && termsOf(m).length === 1);

for (const ties of ["efron", "breslow"] as const) {
  test(`lung, per-model na.omit (${ties}): univariate rows equal R's one-term coxph fits`, () => {
    const table = coxTable({ time: rawTime, status: rawEvent, candidates: rawColumns(CANDIDATES) }, { ties });
    const refs = univariateRefs(ties);
    assert.ok(refs.length >= 3, "fixture has the univariate models");
    for (const m of refs) {
      const name = termsOf(m)[0];
      const row = table.rows.find((r) => r.factor === name);
      assert.ok(row, `row for ${name}`);
      const u = row.univariate;
      close(u.hr, m.hr[0], REL, `${name} hr`);
      close(u.lower, m.hr_lower[0], REL, `${name} lower`);
      close(u.upper, m.hr_upper[0], REL, `${name} upper`);
      close(u.p, m.p[0], REL, `${name} p`);
      close(u.coef, m.coef[0], REL, `${name} coef`);
      close(u.se, m.se[0], REL, `${name} se`);
      assert.equal(u.n, m.n, `${name} n`);
      assert.equal(u.nEvent, m.nevent, `${name} nevent`);
    }
  });
}

test("lung, per-model na.omit: screening at p < 0.05 and the multivariable fit", () => {
  const table = coxTable({ time: rawTime, status: rawEvent, candidates: rawColumns(CANDIDATES) });
  // Selection is whatever the univariate p values say (computed here from the fits, not assumed).
  const expected = CANDIDATES.filter((c) => table.univariateFits[c].p[0] < 0.05);
  assert.deepEqual(table.selected, expected);
  assert.ok(expected.length >= 2 && !expected.includes("wt.loss"), "lung screens out wt.loss");
  // Multivariable model = coxph on the selected set over the rows complete for that set.
  const rows: number[] = [];
  for (let i = 0; i < rawTime.length; i++) if (expected.every((c) => !Number.isNaN(numericColumn(lung, c)[i]))) rows.push(i);
  assert.deepEqual(table.multivariateRows, rows.map((i) => i + 1));
  const direct = coxph({
    time: rows.map((i) => rawTime[i]),
    status: rows.map((i) => rawEvent[i]),
    x: Object.fromEntries(expected.map((c) => [c, rows.map((i) => numericColumn(lung, c)[i])])),
  });
  const mv = table.multivariateFit;
  assert.ok(mv);
  // Same code path, so rel 1e-12.
  closeAll(mv.coef, direct.coef, { rel: 1e-12 }, "multivariable coef");
  closeAll(mv.se, direct.se, { rel: 1e-12 }, "multivariable se");
  expected.forEach((c, j) => {
    const r = table.rows.find((row) => row.factor === c)!;
    assert.ok(r.multivariate);
    close(r.multivariate.hr, direct.hr[j], { rel: 1e-12 }, `${c} mv hr`);
    close(r.multivariate.lower, direct.hrLower[j], { rel: 1e-12 }, `${c} mv lower`);
    close(r.multivariate.upper, direct.hrUpper[j], { rel: 1e-12 }, `${c} mv upper`);
    close(r.multivariate.p, direct.p[j], { rel: 1e-12 }, `${c} mv p`);
  });
  for (const c of CANDIDATES.filter((c) => !expected.includes(c))) {
    assert.equal(table.rows.find((r) => r.factor === c)!.multivariate, null, `${c} not in the multivariable model`);
  }
  assert.deepEqual(table.retained, expected.filter((c) => table.rows.find((r) => r.factor === c)!.multivariate!.p < 0.05));
});

test("lung, modelFrame complete cases: univariate fits and multivariable fit equal coxph on the same rows", () => {
  const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: CANDIDATES });
  const table = coxTable({ time: mf.time, status: mf.status, candidates: mf.x });
  for (const c of CANDIDATES) {
    const direct = coxph({ time: mf.time, status: mf.status, x: { [c]: mf.x[c] } });
    const u = table.rows.find((r) => r.factor === c)!.univariate;
    assert.equal(u.n, mf.n);
    close(u.hr, direct.hr[0], { rel: 1e-12 }, `${c} hr`);
    close(u.lower, direct.hrLower[0], { rel: 1e-12 }, `${c} lower`);
    close(u.upper, direct.hrUpper[0], { rel: 1e-12 }, `${c} upper`);
    close(u.p, direct.p[0], { rel: 1e-12 }, `${c} p`);
  }
  const selected = CANDIDATES.filter((c) => table.rows.find((r) => r.factor === c)!.univariate.p < 0.05);
  assert.deepEqual(table.selected, selected);
  const direct = coxph({ time: mf.time, status: mf.status, x: Object.fromEntries(selected.map((c) => [c, mf.x[c]])) });
  closeAll(table.multivariateFit!.hr, direct.hr, { rel: 1e-12 }, "multivariable hr");
  closeAll(table.multivariateFit!.p, direct.p, { rel: 1e-12 }, "multivariable p");
  // Rows are numbered within the (already complete) input: all of them.
  assert.deepEqual(table.multivariateRows, Array.from({ length: mf.n }, (_, i) => i + 1));
});

test("every multi-term fixture model is the multivariable fit of its own terms (screenP = 1), rel 1e-8", () => {
  const multi = ref.models.filter((m: Model) => termsOf(m).length > 1);
  assert.ok(multi.length >= 4);
  for (const m of multi) {
    const terms = termsOf(m);
    const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: terms });
    assert.deepEqual(mf.rowsUsed, m.rows_used, `${m.formula}: rows`);
    const table = coxTable({ time: mf.time, status: mf.status, candidates: mf.x }, { ties: m.ties, screenP: 1 });
    assert.deepEqual(table.selected, terms);
    const label = `${m.formula} (${m.ties})`;
    terms.forEach((t, j) => {
      const e = table.rows[j].multivariate!;
      close(e.hr, m.hr[j], REL, `${label} ${t} hr`);
      close(e.lower, m.hr_lower[j], REL, `${label} ${t} lower`);
      close(e.upper, m.hr_upper[j], REL, `${label} ${t} upper`);
      close(e.p, m.p[j], REL, `${label} ${t} p`);
      assert.equal(e.n, m.n);
      assert.equal(e.nEvent, m.nevent);
    });
    // Univariate rows on these complete cases equal R's one-term models where the rows coincide.
    let compared = 0;
    for (const u of univariateRefs(m.ties)) {
      const t = termsOf(u)[0];
      if (!terms.includes(t) || JSON.stringify(u.rows_used) !== JSON.stringify(mf.rowsUsed)) continue;
      const e = table.rows.find((r) => r.factor === t)!.univariate;
      close(e.hr, u.hr[0], REL, `${label} univariate ${t} hr`);
      close(e.lower, u.hr_lower[0], REL, `${label} univariate ${t} lower`);
      close(e.upper, u.hr_upper[0], REL, `${label} univariate ${t} upper`);
      close(e.p, u.p[0], REL, `${label} univariate ${t} p`);
      compared++;
    }
    // age + sex + ph.ecog uses ph.ecog's 227 rows, so its ph.ecog row must have been compared.
    if (terms.length === 3) assert.ok(compared >= 1, `${label}: a univariate row coincided with R's`);
  }
});

test("formatted columns follow the paper: 'HR (lower–upper)' and p to 3 decimals or '< 0.001'", () => {
  // The paper's own printed values.
  assert.equal(formatHrCi(2.52, 1.42, 4.47), "2.52 (1.42–4.47)");
  assert.equal(formatHrCi(0.48, 0.26, 0.87), "0.48 (0.26–0.87)");
  assert.equal(formatP(0.0016), "0.002");
  assert.equal(formatP(0.046), "0.046");
  assert.equal(formatP(0.00099), "< 0.001");
  assert.equal(formatP(0.001), "0.001");
  assert.equal(formatHrCi(1.5, 0.2, Infinity), "1.50 (0.20–Inf)");

  const labels = { age: "Age (years)", sex: "Sex (female vs male)", "ph.ecog": "ECOG", "ph.karno": "Karnofsky", "wt.loss": "Weight loss" };
  const table = coxTable({ time: rawTime, status: rawEvent, candidates: rawColumns(CANDIDATES), labels }, { digits: 3 });
  assert.deepEqual(table.formatted.map((f) => f.Factor), CANDIDATES.map((c) => labels[c as keyof typeof labels]));
  table.rows.forEach((r, i) => {
    const f = table.formatted[i];
    const u = r.univariate;
    assert.equal(f["HR (95% CI)"], `${u.hr.toFixed(3)} (${u.lower.toFixed(3)}–${u.upper.toFixed(3)})`);
    assert.equal(f.P, u.p < 0.001 ? "< 0.001" : u.p.toFixed(3));
    if (r.multivariate) {
      const m = r.multivariate;
      assert.equal(f["HR (95% CI) multivariate"], `${m.hr.toFixed(3)} (${m.lower.toFixed(3)}–${m.upper.toFixed(3)})`);
      assert.equal(f["P multivariate"], m.p < 0.001 ? "< 0.001" : m.p.toFixed(3));
    } else {
      assert.equal(f["HR (95% CI) multivariate"], "");
      assert.equal(f["P multivariate"], "");
    }
  });
  // ph.ecog: R's univariate p is 2.7e-05.
  assert.equal(table.formatted[2].P, "< 0.001");
});

test("forceInclude, keepP, empty selection and input errors", () => {
  const forced = coxTable(
    { time: rawTime, status: rawEvent, candidates: rawColumns(CANDIDATES) },
    { forceInclude: ["wt.loss"] },
  );
  assert.ok(forced.selected.includes("wt.loss"));
  assert.equal(forced.selected.length, forced.multivariateFit!.terms.length);
  const strict = coxTable({ time: rawTime, status: rawEvent, candidates: rawColumns(["age", "wt.loss"]) }, { screenP: 1e-6 });
  assert.deepEqual(strict.selected, []);
  assert.equal(strict.multivariateFit, null);
  assert.ok(strict.rows.every((r) => r.multivariate === null));
  const keepAll = coxTable({ time: rawTime, status: rawEvent, candidates: rawColumns(CANDIDATES) }, { keepP: 1 });
  assert.deepEqual(keepAll.retained, keepAll.selected);

  assert.throws(() => coxTable({ time: rawTime, status: rawEvent, candidates: {} }), InputError);
  assert.throws(
    () => coxTable({ time: rawTime, status: rawEvent, candidates: { age: [1, 2, 3] } }),
    (e: Error) => e instanceof InputError && /candidate "age" has 3 values/.test(e.message),
  );
  assert.throws(
    () => coxTable({ time: rawTime, status: rawEvent, candidates: rawColumns(["age"]) }, { forceInclude: ["bmi"] }),
    (e: Error) => e instanceof InputError && /bmi/.test(e.message),
  );
});
