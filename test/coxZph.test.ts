/**
 * coxZph() against R survival 3.5.3's cox.zph(fit, transform, terms = TRUE)$table: all 10
 * lung models of lung_cox.json with transform "km" and "identity", plus the km tests of the
 * init, eps, 0/1-covariate, collinear (NA term dropped) and constant fits of cox_edge.json.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { coxph, type CoxphFit } from "../lib/survival/coxph.js";
import { coxZph, type CoxZphResult } from "../lib/survival/coxZph.js";
import { modelFrame } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";
import { close, dataset, fixture, type Tol } from "./helpers.js";

const lungCox = fixture("lung_cox.json");
const edge = fixture("cox_edge.json");
const lung = dataset("lung.csv");

// chisq and p: 1e-8 relative (or 1e-12 absolute for tiny p).
const TOL: Tol = { rel: 1e-8, abs: 1e-12 };

interface ZphTable {
  term: string[];
  chisq: number[];
  df: number[];
  p: number[];
}

function checkZph(z: CoxZphResult, expected: ZphTable, label: string) {
  const k = expected.term.length - 1; // last row is GLOBAL
  assert.deepEqual(
    z.terms.map((t) => t.name),
    expected.term.slice(0, k),
    `${label} terms`,
  );
  assert.equal(expected.term[k], "GLOBAL");
  z.terms.forEach((t, i) => {
    close(t.chisq, expected.chisq[i], TOL, `${label} ${t.name} chisq`);
    assert.equal(t.df, expected.df[i], `${label} ${t.name} df`);
    close(t.p, expected.p[i], TOL, `${label} ${t.name} p`);
  });
  close(z.global.chisq, expected.chisq[k], TOL, `${label} GLOBAL chisq`);
  assert.equal(z.global.df, expected.df[k], `${label} GLOBAL df`);
  close(z.global.p, expected.p[k], TOL, `${label} GLOBAL p`);
}

for (const m of lungCox.models) {
  test(`coxZph ${m.formula}, ties = ${m.ties} (lung_cox.json)`, () => {
    const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: m.term });
    assert.deepEqual(mf.rowsUsed, m.rows_used, "rows used (na.omit)");
    const fit = coxph({ time: mf.time, status: mf.status, x: mf.x }, { ties: m.ties });
    checkZph(coxZph(fit), m.zph.km, `${m.formula} ${m.ties} km (default)`);
    checkZph(coxZph(fit, { transform: "km" }), m.zph.km, `${m.formula} ${m.ties} km`);
    checkZph(coxZph(fit, { transform: "identity" }), m.zph.identity, `${m.formula} ${m.ties} identity`);
  });
}

const lf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: ["age", "sex", "ph.ecog"] });
const cols: Record<string, Float64Array> = {
  ...lf.x,
  female: lf.x.sex.map((v) => (v === 2 ? 1 : 0)),
  age2: lf.x.age.map((v) => 2 * v),
  const: lf.x.age.map(() => 1),
};
const data = (terms: string[]) => ({ time: lf.time, status: lf.status, x: Object.fromEntries(terms.map((t) => [t, cols[t]])) });
const edgeFits: Record<string, () => CoxphFit> = {
  init: () => coxph(data(["age", "sex"]), { init: [0.01, -0.4] }),
  eps: () => coxph(data(["age", "sex", "ph.ecog"]), { eps: 1e-3 }),
  binary: () => coxph(data(["age", "female", "ph.ecog"]), { ties: "efron" }),
  binary_breslow: () => coxph(data(["age", "female", "ph.ecog"]), { ties: "breslow" }),
  collinear: () => coxph(data(["age", "age2", "female"])),
  constant: () => coxph(data(["age", "const"])),
};

for (const c of edge.cases.filter((c: { zph_km?: unknown }) => c.zph_km)) {
  test(`coxZph edge case ${c.label} (cox_edge.json)`, () => {
    checkZph(coxZph(edgeFits[c.label]()), c.zph_km, `${c.label} km`);
  });
}

test("coxZph: bad input is refused with an InputError", () => {
  const fit = edgeFits.init();
  assert.throws(() => coxZph(fit, { transform: "rank" as "km" }), (e: unknown) => e instanceof InputError && /transform must be/.test(e.message));
  const noEvents = coxph({ time: [1, 2, 3], status: [0, 0, 0], x: { a: [1, 2, 3] } });
  assert.throws(() => coxZph(noEvents), (e: unknown) => e instanceof InputError && /no events/.test(e.message));
});
