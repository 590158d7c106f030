/**
 * decisionCurve, netBenefitDifference and decisionCurvePlot.
 *
 * References (every threshold, every model, every array):
 * - test/fixtures/lung_dca.json (R 4.2.2, survival 3.5.3; stdca's survival method written out with
 *   survfit): lung, 227 rows, one Cox model, t = 365, pt = 0.01..0.99. Plain arrays use risk > pt
 *   (strict: true), *_ge arrays risk >= pt (the default, dcurves). Tolerance: absolute 1e-10 for net
 *   benefit, treat all, TP/FP rates, KM of the high-risk group, fraction high risk; counts and flags
 *   exact; interventions avoided per 100 (scaled by 100 (1 − pt) / pt, up to 9900) absolute 1e-10 plus
 *   relative 1e-10. Rows the fixture leaves null (nobody high risk) must have nHighRisk = 0 and net
 *   benefit 0 (dcurves' rule, documented in decisionCurve.ts).
 * - test/fixtures/lung_dca_models.json (dcurves 0.5.1 dca(), script test/fixtures/r/lung_dca_models.R):
 *   three named models (one with risks rounded to 0.01, so risks tie with thresholds), t = 365 and
 *   730, plus dcurves' treat all / treat none. Absolute 1e-10. dcurves gives NA where the high-risk
 *   group's follow-up ends before t; exactly there decisionCurve must flag kmExtended (and carry the
 *   KM forward, as lung_dca.json checks).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decisionCurve, netBenefitDifference } from "../lib/evaluate/decisionCurve.js";
import { decisionCurvePlot } from "../lib/plot/decisionCurvePlot.js";
import { InputError } from "../lib/errors.js";
import { close, closeAll, fixture } from "./helpers.js";

const ref = fixture("lung_dca.json");
const multi = fixture("lung_dca_models.json");
const ABS = { abs: 1e-10 };

const base = { time: ref.rows.time, status: ref.rows.event, risk: ref.rows.risk as number[], t: ref.t, thresholds: ref.threshold };

for (const strict of [true, false]) {
  const sfx = strict ? "" : "_ge";
  test(`lung_dca.json: every threshold, risk ${strict ? ">" : ">="} pt`, () => {
    const dc = decisionCurve({ ...base, strict });
    const m = dc.models[0];
    assert.equal(dc.threshold.length, ref.threshold.length);
    closeAll(dc.threshold, ref.threshold, { abs: 0 }, "threshold");
    close(dc.eventProbability, ref.event_prob_all, ABS, "event probability by t");
    closeAll(dc.treatAll, ref.nb_all, ABS, "treat all");
    closeAll(dc.treatNone, ref.nb_none, { abs: 0 }, "treat none");
    assert.equal(dc.n, ref.n);
    for (let k = 0; k < ref.threshold.length; k++) {
      const label = `pt = ${ref.threshold[k]}`;
      assert.equal(m.nHighRisk[k], ref[`n_high${sfx}`][k], `${label} n high`);
      if (strict) close(m.pHighRisk[k], ref.p_high[k], ABS, `${label} p high`);
      const nb = ref[`net_benefit${sfx}`][k];
      if (nb === null) {
        // stdca stops the curve where nobody is high risk; dcurves (and we) give 0 there.
        assert.equal(m.nHighRisk[k], 0, `${label}: null only where nobody is high risk`);
        assert.equal(m.netBenefit[k], 0, `${label} net benefit`);
        assert.ok(Number.isNaN(m.survHighRisk[k]), `${label} KM of an empty group`);
        continue;
      }
      close(m.netBenefit[k], nb, ABS, `${label} net benefit`);
      close(dc.netBenefit[k], nb, ABS, `${label} top-level net benefit`);
      close(m.survHighRisk[k], ref[`s_high${sfx}`][k], ABS, `${label} KM of the high-risk group`);
      if (strict) {
        assert.equal(m.kmExtended[k], ref.km_extended[k], `${label} km extended`);
        close(m.tpRate[k], ref.tp_rate[k], ABS, `${label} TP/n`);
        close(m.fpRate[k], ref.fp_rate[k], ABS, `${label} FP/n`);
        close(m.interventionsAvoided[k], ref.interventions_avoided_per_100[k], { abs: 1e-10, rel: 1e-10 }, `${label} interventions avoided`);
      }
    }
    // The fixture's extended KM rows are named in a warning.
    assert.equal(dc.warnings.length, 1);
    assert.match(dc.warnings[0], /no high-risk patient is followed to t = 365/);
  });
}

test("lung_dca_models.json: named models against dcurves at t = 365 and 730", () => {
  for (const h of multi.horizons) {
    const dc = decisionCurve({ time: multi.time, status: multi.event, risk: h.risk as Record<string, number[]>, t: h.t, thresholds: multi.thresholds });
    assert.deepEqual(Object.keys(dc.netBenefit), ["full", "ecog", "coarse"]);
    close(dc.eventProbability, h.prevalence, ABS, `t = ${h.t} prevalence`);
    closeAll(dc.treatAll, h.all.net_benefit, ABS, `t = ${h.t} treat all`);
    closeAll(dc.treatNone, h.none.net_benefit, { abs: 0 }, `t = ${h.t} treat none`);
    for (const m of dc.models) {
      const r = h.models[m.model];
      closeAll(m.threshold, r.threshold, { abs: 0 }, "thresholds");
      assert.equal(dc.netBenefit[m.model], m.netBenefit);
      for (let k = 0; k < r.threshold.length; k++) {
        const label = `t = ${h.t} ${m.model} pt = ${r.threshold[k]}`;
        assert.equal(m.kmExtended[k], r.net_benefit[k] === null, `${label}: dcurves NA exactly where the KM is carried forward`);
        if (r.net_benefit[k] === null) continue;
        close(m.netBenefit[k], r.net_benefit[k], ABS, `${label} net benefit`);
        close(m.tpRate[k], r.tp_rate[k], ABS, `${label} TP/n`);
        close(m.fpRate[k], r.fp_rate[k], ABS, `${label} FP/n`);
      }
    }
  }
});

test("risk >= pt versus risk > pt where risks tie with the thresholds", () => {
  const h = multi.horizons[0];
  const coarse = h.risk.coarse as number[];
  const thresholds = multi.thresholds as number[];
  const ge = decisionCurve({ time: multi.time, status: multi.event, risk: coarse, t: h.t, thresholds });
  const gt = decisionCurve({ time: multi.time, status: multi.event, risk: coarse, t: h.t, thresholds, strict: true });
  let differ = 0;
  thresholds.forEach((pt, k) => {
    assert.equal(ge.models[0].nHighRisk[k], coarse.filter((r) => r >= pt).length, `>= count at ${pt}`);
    assert.equal(gt.models[0].nHighRisk[k], coarse.filter((r) => r > pt).length, `> count at ${pt}`);
    if (ge.models[0].nHighRisk[k] !== gt.models[0].nHighRisk[k]) differ++;
  });
  assert.ok(differ > 10, "the coarse model has risks equal to many thresholds");
});

test("netBenefitDifference: model a minus model b (dcurves values, abs 1e-10)", () => {
  const h = multi.horizons[0];
  const dc = decisionCurve({ time: multi.time, status: multi.event, risk: h.risk as Record<string, number[]>, t: h.t, thresholds: multi.thresholds });
  const [full, ecog] = dc.models;
  const d = netBenefitDifference(full, ecog);
  assert.equal(d.a, "full");
  assert.equal(d.b, "ecog");
  let checked = 0;
  for (let k = 0; k < multi.thresholds.length; k++) {
    const a = h.models.full.net_benefit[k];
    const b = h.models.ecog.net_benefit[k];
    if (a === null || b === null) continue;
    close(d.difference[k], a - b, ABS, `difference at ${multi.thresholds[k]}`);
    checked++;
  }
  assert.ok(checked >= 80, `${checked} thresholds compared`);
  // Single-model results work too, and must share thresholds and horizon.
  const one = decisionCurve({ ...base });
  const other = decisionCurve({ ...base, thresholds: [0.1, 0.2] });
  assert.throws(() => netBenefitDifference(one, other), InputError);
  assert.throws(() => netBenefitDifference(dc, one), /holds 3 models/);
  const later = decisionCurve({ ...base, t: 500 });
  assert.throws(() => netBenefitDifference(one, later), /different horizons/);
});

test("bad input: InputError naming the problem", () => {
  for (const pt of [0, 1, -0.1, 1.5, NaN]) {
    assert.throws(() => decisionCurve({ ...base, thresholds: [0.1, pt] }), (e: Error) => e instanceof InputError && /thresholds\[1\]/.test(e.message), `threshold ${pt}`);
  }
  const bad = base.risk.slice();
  bad[4] = 1.2;
  assert.throws(() => decisionCurve({ ...base, risk: bad }), (e: Error) => e instanceof InputError && /risk at row 5 is 1.2/.test(e.message));
  const neg = base.risk.slice();
  neg[9] = -0.01;
  assert.throws(() => decisionCurve({ ...base, risk: { a: base.risk, b: neg } }), (e: Error) => e instanceof InputError && /risk "b" at row 10/.test(e.message));
  const nan = base.risk.slice();
  nan[0] = NaN;
  assert.throws(() => decisionCurve({ ...base, risk: nan }), /row 1 is NaN/);
  const last = Math.max(...base.time);
  assert.throws(() => decisionCurve({ ...base, t: last + 1 }), (e: Error) => e instanceof InputError && new RegExp(`beyond the last follow-up time \\(${last}\\)`).test(e.message));
  const first = Math.min(...base.time.filter((_: number, i: number) => base.status[i] === 1));
  assert.throws(() => decisionCurve({ ...base, t: first - 1 }), (e: Error) => e instanceof InputError && /no events at or before t/.test(e.message));
  assert.throws(() => decisionCurve({ ...base, risk: base.risk.slice(1) }), (e: Error) => e instanceof InputError && /risk has 226 values but time has 227/.test(e.message));
  assert.throws(() => decisionCurve({ ...base, status: base.status.slice(1) }), (e: Error) => e instanceof InputError && /time has 227 values but status has 226/.test(e.message));
  assert.throws(() => decisionCurve({ ...base, t: -1 }), InputError);
  assert.throws(() => decisionCurve({ ...base, risk: {} }), /no models/);
});

test("decisionCurvePlot: one line per model, treat all and treat none, y cut below at -10% of p", () => {
  const h = multi.horizons[0];
  const dc = decisionCurve({ time: multi.time, status: multi.event, risk: h.risk as Record<string, number[]>, t: h.t, thresholds: multi.thresholds });
  const fig = decisionCurvePlot(dc, { models: ["ecog", "full"], labels: { full: "Full model" } });
  const role = (r: string) => fig.data.filter((t) => (t.meta as { role: string }).role === r);
  const models = role("model");
  assert.deepEqual(models.map((t) => (t.meta as { model: string }).model), ["ecog", "full"]);
  assert.deepEqual(models.map((t) => t.name), ["ecog", "Full model"]);
  assert.deepEqual(models[1].y, Array.from(dc.models[0].netBenefit), "the plotted net benefit is the computed one");
  assert.deepEqual(models[1].x, multi.thresholds);
  const all = role("treatAll")[0];
  assert.deepEqual(all.y, Array.from(dc.treatAll));
  assert.equal((all.line as { color: string }).color, "#808080", "treat all in grey");
  assert.ok((role("treatNone")[0].y as number[]).every((v) => v === 0));
  const yaxis = fig.layout.yaxis as { range: number[] };
  close(yaxis.range[0], -0.1 * dc.eventProbability, { abs: 1e-15 }, "y lower bound");
  assert.equal(role("costBenefitAxis").length, 0);
  const cb = decisionCurvePlot(dc, { costBenefit: true });
  assert.equal(cb.data.filter((t) => (t.meta as { role: string }).role === "costBenefitAxis").length, 1);
  assert.throws(() => decisionCurvePlot(dc, { models: ["nope"] }), /no model "nope"/);
});
