// roc() against R. lung_roc.json (given; Hmisc somers2/rcorr.cens AUC, hand DeLong, pROC 1.18 CI and
// coords "best"): every case, every curve point, the DeLong var/se/CI and the Youden point.
// roc_proc.json (test/fixtures/r/roc_proc.R, pROC 1.18 directly): pROC's thresholds (±Inf, midpoints,
// near-tie rule), direction "auto"/">", forced "<" with AUC < 0.5, conf.level 0.9, exact Youden ties.
// Tolerance: 1e-10 relative on every number (closed forms); an exact 0 in R must be within 1e-15;
// pROC's thresholds (roc_proc.json) are compared exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { roc } from "../lib/stats/roc.js";
import { InputError } from "../lib/errors.js";
import { fixture, close, closeAll } from "./helpers.js";

const tol = { rel: 1e-10, abs: 1e-15 };
const num = (v: number | string): number => (v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : (v as number));

test("roc matches lung_roc.json: AUC, DeLong se/var/CI, every curve point, Youden (pROC coords best)", () => {
  const fx = fixture("lung_roc.json");
  assert.equal(fx.cases.length, 4);
  for (const c of fx.cases) {
    const L = c.label;
    const r = roc(c.y, c.score); // direction "auto" picks "<" here, as the fixture's direction
    assert.equal(r.direction, "<", L);
    assert.equal(r.n, c.n);
    assert.equal(r.nCases, c.n_pos);
    assert.equal(r.nControls, c.n_neg);
    close(r.auc, c.auc, tol, `${L} auc`);
    close(r.auc, c.auc_mann_whitney, tol, `${L} auc (Mann-Whitney)`);
    close(r.auc, c.rcorr_cens.c_index, tol, `${L} C index`);
    close(2 * r.auc - 1, c.dxy, tol, `${L} Dxy`);
    close(r.se, c.delong.se, tol, `${L} DeLong se`);
    close(r.se * r.se, c.delong.var, tol, `${L} DeLong var`);
    close(r.lower, c.delong.ci_lower, tol, `${L} lower`);
    close(r.upper, c.delong.ci_upper, tol, `${L} upper`);
    closeAll([r.lower, r.upper], c.proc_delong_ci, tol, `${L} pROC CI`);
    // Curve: the fixture lists c = sorted distinct scores with "positive iff s >= c"; pROC's point i
    // (threshold between c[i-1] and c[i], -Inf for i = 0) has those counts; +Inf ends at (0, 1).
    const cs: number[] = c.roc.threshold;
    const m = cs.length;
    assert.equal(r.thresholds.length, m + 1, `${L} thresholds length`);
    assert.equal(r.thresholds[0], -Infinity);
    assert.equal(r.thresholds[m], Infinity);
    closeAll(
      Array.from(r.thresholds.subarray(1, m)),
      cs.slice(1).map((v, i) => (v + cs[i]) / 2),
      tol,
      `${L} thresholds`,
    );
    closeAll(Array.from(r.sensitivity.subarray(0, m)), c.roc.sens, tol, `${L} sensitivity`);
    closeAll(Array.from(r.specificity.subarray(0, m)), c.roc.spec, tol, `${L} specificity`);
    for (let i = 0; i < m; i++) {
      assert.equal(Math.round(r.sensitivity[i] * r.nCases), c.roc.tp[i], `${L} tp[${i}]`);
      assert.equal(Math.round((1 - r.specificity[i]) * r.nControls), c.roc.fp[i], `${L} fp[${i}]`);
      close(r.sensitivity[i] + r.specificity[i] - 1, c.roc.youden[i], { rel: 1e-10, abs: 1e-14 }, `${L} youden[${i}]`);
    }
    assert.equal(r.sensitivity[m], 0);
    assert.equal(r.specificity[m], 1);
    // Youden: pROC's best threshold (a midpoint) and the fixture's smallest maximising c.
    close(r.youden.threshold, c.youden_threshold_midpoint, tol, `${L} youden threshold`);
    closeAll(r.youden.ties, c.proc_best.threshold, tol, `${L} youden ties (pROC coords best)`);
    assert.equal(c.youden_thresholds.length, 1);
    close(r.youden.sensitivity, c.youden_sens, tol, `${L} youden sens`);
    close(r.youden.specificity, c.youden_spec, tol, `${L} youden spec`);
    close(r.youden.sensitivity, c.proc_best.sens[0], tol, `${L} pROC best sens`);
    close(r.youden.specificity, c.proc_best.spec[0], tol, `${L} pROC best spec`);
    close(r.youden.j, c.youden, tol, `${L} youden J`);
    assert.deepEqual(r.warnings, [], L);
  }
});

test("roc matches pROC directly (roc_proc.json): direction, thresholds, curve, var, CI, all Youden ties", () => {
  const fx = fixture("roc_proc.json");
  assert.equal(fx.cases.length, 7);
  for (const c of fx.cases) {
    const L = c.label;
    const dir = c.call.includes("direction = 'auto'") ? "auto" : c.direction;
    const r = roc(c.y, c.score, { direction: dir, confLevel: c.confLevel });
    assert.equal(r.direction, c.direction, `${L} direction`);
    close(r.auc, c.auc, tol, `${L} auc`);
    close(r.se * r.se, c.var, tol, `${L} var`);
    close(r.lower, c.ci[0], tol, `${L} lower`);
    close(r.upper, c.ci[2], tol, `${L} upper`);
    const thr = c.thresholds.map(num);
    assert.equal(r.thresholds.length, thr.length, `${L} thresholds length`);
    // Exact: the same (a + b) / 2 as pROC, and the near-tie rule must pick the same double
    // (adjacent_doubles: 1 and 1 + 2^-52, whose midpoint rounds onto 1).
    for (let i = 0; i < thr.length; i++) assert.equal(r.thresholds[i], thr[i], `${L} thresholds[${i}]`);
    closeAll(r.sensitivity, c.sensitivities, tol, `${L} sensitivity`);
    closeAll(r.specificity, c.specificities, tol, `${L} specificity`);
    const best = c.best.threshold.map(num);
    assert.equal(r.youden.ties.length, best.length, `${L} number of Youden ties`);
    for (let i = 0; i < best.length; i++) assert.equal(r.youden.ties[i], best[i], `${L} ties[${i}]`);
    assert.equal(r.youden.threshold, r.youden.ties[0]);
    close(r.youden.sensitivity, c.best.sensitivity[0], tol, `${L} best sens`);
    close(r.youden.specificity, c.best.specificity[0], tol, `${L} best spec`);
    if (best.length > 1) assert.ok(r.warnings.some((w) => /maximal at \d+ thresholds/.test(w)), L);
  }
});

test("roc: perfect separation gives AUC 1, CI 1-1 and pROC's warning; 1 case gives NaN se with a warning", () => {
  const r = roc([0, 0, 1, 1], [1, 2, 3, 4]);
  assert.equal(r.auc, 1);
  assert.equal(r.lower, 1);
  assert.equal(r.upper, 1);
  assert.ok(r.warnings.some((w) => /AUC == 1/.test(w)));
  const s = roc([0, 0, 1], [1, 2, 3]);
  assert.ok(Number.isNaN(s.se));
  assert.ok(s.warnings.some((w) => /at least 2 cases and 2 controls/.test(w)));
});

test("roc rejects bad input with messages naming the problem", () => {
  const err = (re: RegExp) => (e: Error) => e instanceof InputError && re.test(e.message);
  assert.throws(() => roc([0, 0, 0], [1, 2, 3]), err(/^roc: y has no cases \(all 0\)$/));
  assert.throws(() => roc([1, 1], [1, 2]), err(/^roc: y has no controls \(all 1\)$/));
  assert.throws(() => roc([0, 1, 2], [1, 2, 3]), err(/y at row 3 is 2/));
  assert.throws(() => roc([0, 1], [1, 2, 3]), err(/y has 2 values but score has 3/));
  assert.throws(() => roc([0, 1, 1], [1, NaN, 3]), err(/score at row 2 is NaN/));
  assert.throws(() => roc([0, 1], [1, 2], { confLevel: 0 }), err(/confLevel/));
  assert.throws(() => roc([0, 1], [1, 2], { direction: "<=" as "<" }), err(/direction/));
  assert.throws(() => roc([], []), err(/no observations/));
});
