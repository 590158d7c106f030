/**
 * nomogram() and nomogramCalculator() against rms 6.5.0 (lung_rms_nomogram_calibration.json:
 * cph(Surv(time, event) ~ age + sex + ph.ecog), nomogram(fit, fun = S(365 | lp), fun.at, lp = TRUE)).
 * Tolerances: the closed-form quantities (sc, intercept, points per unit, axis points, xbeta,
 * ranges, lp axis, total-points grid, per-row lp / total points / S(t)) 1e-8 relative (1e-10
 * absolute near 0). The S(t) tick positions: rms places them by linear interpolation on a
 * 1000-point lp grid; inverse = "rms" reproduces that at 1e-8, inverse = "exact" (closed form)
 * differs from rms by the interpolation error, < 1e-3 points here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { coxph, survivalAt } from "../lib/survival/index.js";
import { modelFrame } from "../lib/table/index.js";
import { InputError } from "../lib/errors.js";
import { nomogram, nomogramScore, pretty } from "../lib/evaluate/nomogram.js";
import { nomogramCalculator, nomogramCalc, calculatorModel } from "../lib/report/nomogramCalculator.js";
import { nomogramPlot } from "../lib/plot/nomogramPlot.js";
import { close, closeAll, dataset, fixture, type Tol } from "./helpers.js";

const ref = fixture("lung_rms_nomogram_calibration.json");
const EXACT: Tol = { rel: 1e-8, abs: 1e-10 };

function lungFit() {
  const lung = dataset("lung.csv");
  lung.data.sex = Array.from(lung.data.sex as Float64Array, (v) => (v === 1 ? "male" : "female"));
  const mf = modelFrame(lung, { time: "time", status: "status", eventValue: 2, covariates: ["age", "sex", "ph.ecog"], factors: { sex: ["male", "female"] } });
  // rms's reference fit used eps = 1e-10 (cph's default stops early); so does ours.
  const fit = coxph({ time: mf.time, status: mf.status, x: mf.x }, { eps: 1e-10, maxIter: 100 });
  return { mf, fit };
}
const { mf, fit } = lungFit();
const opts = { t: [ref.t], assign: mf.assign, levels: { sex: ["male", "female"] }, funAt: ref.nomogram.fun_at };
/** rms names a factor column "sex=female"; modelFrame "sexfemale". */
const colName = (rmsName: string) => rmsName.replace("=", "");

test("the fit is rms's (coef, center, baseline S(t))", () => {
  assert.equal(mf.n, ref.n);
  for (const [name, b] of Object.entries(ref.coef)) close(fit.coef[fit.terms.indexOf(colName(name))], b as number, { rel: 1e-8 }, `coef ${name}`);
  const nom = nomogram(fit, opts);
  close(nom.center, ref.center, EXACT, "center");
  close(nom.survival[0].baseline, ref.baseline_surv_t, EXACT, "S0(t)");
});

for (const inverse of ["exact", "rms"] as const) {
  test(`nomogram matches rms::nomogram (inverse = "${inverse}")`, () => {
    const nom = nomogram(fit, { ...opts, inverse });
    const r = ref.nomogram;
    close(nom.sc, r.sc, EXACT, "sc");
    close(nom.maxscale, r.maxscale, EXACT, "maxscale");
    close(nom.intercept, r.intercept, EXACT, "intercept");
    for (const [name, v] of Object.entries(r.points_per_unit)) close(nom.pointsPerUnit[colName(name)], v as number, EXACT, `pointsPerUnit ${name}`);
    assert.deepEqual(nom.terms, r.axes.map((a: { predictor: string }) => a.predictor));
    r.axes.forEach((a: { predictor: string; values: (number | string)[]; xbeta: number[]; points: number[]; R: number[] }, i: number) => {
      const ax = nom.axes[i];
      assert.deepEqual(ax.values, a.values, `${a.predictor} axis values`);
      closeAll(ax.xbeta, a.xbeta, EXACT, `${a.predictor} xbeta`);
      closeAll(ax.points, a.points, EXACT, `${a.predictor} points`);
      closeAll(ax.range, a.R, EXACT, `${a.predictor} R`);
    });
    closeAll(nom.totalPoints, r.total_points_axis, EXACT, "total points axis");
    closeAll(nom.lp.lp, r.lp_axis.lp, { rel: 1e-12, abs: 1e-14 }, "lp axis values");
    closeAll(nom.lp.points, r.lp_axis.points, EXACT, "lp axis points");
    const s = nom.survival[0];
    closeAll(s.probability, r.fun_axis.surv, { abs: 0 }, "S(t) ticks kept");
    // "rms": rms's interpolation reproduced; "exact": closed form, off rms by its interpolation error.
    closeAll(s.totalPoints, r.fun_axis.points, inverse === "rms" ? EXACT : { abs: 1e-3 }, "S(t) tick points");
  });
}

test("total points → lp → S(t) and per-row points equal rms's", () => {
  const nom = nomogram(fit, opts);
  const g = ref.total_points_grid;
  g.points.forEach((p: number, i: number) => {
    const lp = nom.intercept + p / nom.sc;
    close(lp, g.lp[i], EXACT, `grid lp[${i}]`);
    close(Math.pow(nom.survival[0].baseline, Math.exp(lp)), g.surv_t[i], EXACT, `grid S(t)[${i}]`);
  });
  const rows = ref.rows;
  for (let i = 0; i < mf.n; i++) {
    const score = nomogramScore(nom, { age: mf.x.age[i], sex: mf.x.sexfemale[i] === 1 ? "female" : "male", "ph.ecog": mf.x["ph.ecog"][i] });
    close(score.lp, rows.lp[i], EXACT, `row ${i + 1} lp`);
    close(score.totalPoints, rows.total_points[i], EXACT, `row ${i + 1} total points`);
    close(score.survival[0], rows.surv_t[i], EXACT, `row ${i + 1} S(t)`);
  }
});

test("default S(t) ticks are pretty() over the lp axis; several horizons", () => {
  const nom = nomogram(fit, { t: [180, 365, 730], assign: mf.assign, levels: { sex: ["male", "female"] } });
  assert.equal(nom.survival.length, 3);
  for (const s of nom.survival) {
    assert.ok(s.probability.length >= 3, `t = ${s.t}: ticks ${s.probability}`);
    // every tick sits where S0^exp(lp) equals it
    s.totalPoints.forEach((p, i) => close(Math.pow(s.baseline, Math.exp(nom.intercept + p / nom.sc)), s.probability[i], { rel: 1e-12 }, `t ${s.t} tick ${i}`));
  }
});

test("pretty() is R's pretty()", () => {
  // Values printed by R 4.2.2 (dput(pretty(...))); 1e-15 absolute for the decimal fractions.
  assert.deepEqual(pretty([39, 82], 10), [35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85]);
  assert.deepEqual(pretty([0, 178.17], 10), [0, 20, 40, 60, 80, 100, 120, 140, 160, 180]);
  closeAll(pretty([0.028, 0.723], 10), [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75], { abs: 1e-15 }, "pretty probs");
  assert.deepEqual(pretty([5, 5]), [0, 5]);
  closeAll(pretty([-0.0123, 0.0456], 5), [-0.02, -0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05], { abs: 1e-15 }, "pretty small");
});

test("calculator: the page's own script reproduces survivalAt", () => {
  const nom = nomogram(fit, { ...opts, t: [365, 730] });
  const html = nomogramCalculator(nom, fit, { title: "Lung <model> & co" });
  assert.ok(!/<script[^>]+src=/i.test(html), "no external scripts");
  assert.ok(html.includes("Lung &lt;model&gt; &amp; co"), "title escaped");
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  assert.ok(script, "inline script");
  // A fake DOM: elements by id with value / textContent / addEventListener.
  const els: Record<string, { value: string; textContent: string; addEventListener: () => void }> = {};
  const getElementById = (id: string) => (els[id] ??= { value: "", textContent: "", addEventListener: () => undefined });
  const ctx = vm.createContext({ document: { getElementById } });
  vm.runInContext(script, ctx);
  const model = calculatorModel(nom, fit);
  const rows = [0, 5, 17, 100, 226];
  const newX = { age: rows.map((i) => mf.x.age[i]), sexfemale: rows.map((i) => mf.x.sexfemale[i]), "ph.ecog": rows.map((i) => mf.x["ph.ecog"][i]) };
  const expected = survivalAt(fit, newX, [365, 730]);
  rows.forEach((i, r) => {
    const input = { age: mf.x.age[i], sex: mf.x.sexfemale[i] === 1 ? "female" : "male", "ph.ecog": mf.x["ph.ecog"][i] };
    // the page's function, run inside the vm on the page's embedded MODEL
    const pageResult = vm.runInContext(`radsurvNomogramCalc(MODEL, ${JSON.stringify(input)})`, ctx);
    const tsResult = nomogramCalc(model, input);
    // 1e-9 relative: survivalAt centres at survival's means, the nomogram at rms's; same S(t).
    closeAll(pageResult.survival, expected[r], { rel: 1e-9 }, `page row ${i + 1}`);
    closeAll(tsResult.survival, expected[r], { rel: 1e-9 }, `calc row ${i + 1}`);
    // and the page's update writes the rounded numbers into the DOM
    getElementById("in0").value = String(input.age);
    getElementById("in1").value = input.sex;
    getElementById("in2").value = String(input["ph.ecog"]);
    vm.runInContext("radsurvUpdate()", ctx);
    assert.equal(getElementById("surv0").textContent, expected[r][0].toFixed(3));
  });
});

test("calculator escapes data strings", () => {
  const nom = nomogram(fit, { ...opts, funLabel: "</script><b>x</b>" });
  const html = nomogramCalculator(nom, fit);
  assert.ok(!html.includes("</script><b>"), "label cannot close the script");
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1);
});

test("nomogramPlot: rms's rows, every tick at its points", () => {
  const nom = nomogram(fit, opts);
  const fig = nomogramPlot(nom, { lp: true });
  const axes = fig.data.filter((d) => (d.meta as { role: string }).role === "predictor");
  assert.deepEqual(axes.map((d) => (d.meta as { axis: string }).axis), ["age", "sex", "ph.ecog"]);
  closeAll(axes[2].x as number[], nom.axes[2].points, { abs: 0 }, "ph.ecog tick positions");
  const surv = fig.data.find((d) => (d.meta as { role: string }).role === "survival");
  const scale = nom.maxscale / Math.max(...nom.totalPoints);
  closeAll(surv?.x as number[], nom.survival[0].totalPoints.map((p) => p * scale), { rel: 1e-12 }, "S(t) tick positions");
  assert.deepEqual(surv?.text, nom.survival[0].probability.map(String));
});

test("bad input: clear InputErrors", () => {
  assert.throws(() => nomogram(fit, { ...opts, t: [5000] }), (e: Error) => e instanceof InputError && /beyond the last follow-up time \(1022\).*Possible t/.test(e.message));
  assert.throws(() => nomogram(fit, { ...opts, t: [3] }), (e: Error) => e instanceof InputError && /no events at or before t = 3 \(the first event is at 5\)/.test(e.message));
  assert.throws(() => nomogram(fit, { ...opts, funAt: [0, 0.5] }), (e: Error) => e instanceof InputError && /strictly between 0 and 1/.test(e.message));
  assert.throws(() => nomogram(fit, { ...opts, funAt: [0.5, 1.2] }), InputError);
  assert.throws(() => nomogram(fit, { t: [365], assign: mf.assign }), (e: Error) => e instanceof InputError && /levels/.test(e.message));
  assert.throws(() => nomogram(fit, { ...opts, t: [] }), InputError);
});
