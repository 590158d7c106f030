/**
 * clinicalImpact and clinicalImpactPlot.
 *
 * Reference: test/fixtures/lung_dca.json (R 4.2.2, survival 3.5.3), its clinical impact arrays:
 * high_risk_per_1000 = 1000 · p_high and high_risk_with_event_per_1000 = 1000 · p_high · (1 − S_high(t)),
 * S_high the KM at t of the high-risk rows (carried forward past their last follow-up). Plain arrays
 * use risk > pt (strict: true), *_ge arrays risk >= pt (the default). Every threshold; tolerance
 * absolute 1e-10 on the per-1000 counts (values up to 1000) plus relative 1e-12; rows with nobody high
 * risk are 0 in both.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { clinicalImpact } from "../lib/evaluate/clinicalImpact.js";
import { clinicalImpactPlot, costBenefitTicks } from "../lib/plot/clinicalImpactPlot.js";
import { InputError } from "../lib/errors.js";
import { close, closeAll, fixture } from "./helpers.js";

const ref = fixture("lung_dca.json");
const base = { time: ref.rows.time, status: ref.rows.event, risk: ref.rows.risk as number[], t: ref.t, thresholds: ref.threshold };
const TOL = { abs: 1e-10, rel: 1e-12 };

for (const strict of [true, false]) {
  const sfx = strict ? "" : "_ge";
  test(`lung_dca.json clinical impact per 1000, risk ${strict ? ">" : ">="} pt`, () => {
    const ci = clinicalImpact({ ...base, strict });
    assert.equal(ci.population, 1000);
    closeAll(ci.threshold, ref.threshold, { abs: 0 }, "threshold");
    closeAll(ci.nHighRisk, ref[`high_risk_per_1000${sfx}`], TOL, "number high risk");
    closeAll(ci.nHighRiskWithEvent, ref[`high_risk_with_event_per_1000${sfx}`], TOL, "number high risk with event");
    if (strict) assert.deepEqual(ci.kmExtended, ref.km_extended.map((v: boolean | null) => v === true));
    assert.equal(ci.warnings.length, 1, "the carried-forward KM is reported");
    for (let k = 0; k < ref.threshold.length; k++) {
      const pt = ref.threshold[k];
      close(ci.costBenefit[k], pt / (1 - pt), { rel: 1e-15 }, "cost:benefit");
    }
  });
}

test("population scales both counts", () => {
  const ci = clinicalImpact({ ...base, population: 100 });
  closeAll(ci.nHighRisk, ref.high_risk_per_1000_ge.map((v: number) => v / 10), TOL, "per 100 high risk");
  closeAll(ci.nHighRiskWithEvent, ref.high_risk_with_event_per_1000_ge.map((v: number) => v / 10), TOL, "per 100 with event");
});

test("bad input: InputError naming the problem", () => {
  for (const pt of [0, 1, -0.5, 2]) {
    assert.throws(() => clinicalImpact({ ...base, thresholds: [pt] }), (e: Error) => e instanceof InputError && /thresholds\[0\]/.test(e.message));
  }
  const bad = base.risk.slice();
  bad[6] = 7;
  assert.throws(() => clinicalImpact({ ...base, risk: bad }), (e: Error) => e instanceof InputError && /risk at row 7 is 7/.test(e.message));
  assert.throws(() => clinicalImpact({ ...base, t: 5000 }), (e: Error) => e instanceof InputError && /beyond the last follow-up time/.test(e.message));
  assert.throws(() => clinicalImpact({ ...base, t: 1 }), (e: Error) => e instanceof InputError && /no events at or before t = 1/.test(e.message));
  assert.throws(() => clinicalImpact({ ...base, risk: base.risk.slice(0, 10) }), (e: Error) => e instanceof InputError && /risk has 10 values/.test(e.message));
  assert.throws(() => clinicalImpact({ ...base, population: 0 }), InputError);
});

test("clinicalImpactPlot: rmda's two lines and a cost:benefit axis", () => {
  const ci = clinicalImpact(base);
  const fig = clinicalImpactPlot(ci, { costBenefit: true });
  const role = (r: string) => fig.data.filter((t) => (t.meta as { role: string }).role === r);
  const high = role("nHighRisk")[0];
  const withEvent = role("nHighRiskWithEvent")[0];
  assert.equal(high.name, "Number high risk");
  assert.equal(withEvent.name, "Number high risk with event");
  assert.deepEqual(high.y, Array.from(ci.nHighRisk));
  assert.deepEqual(withEvent.y, Array.from(ci.nHighRiskWithEvent));
  assert.equal((high.line as { color: string }).color, "#FF0000");
  assert.equal((withEvent.line as { dash: string }).dash, "dash");
  assert.equal((withEvent.line as { color: string }).color, "#0000FF");
  assert.match(((fig.layout.yaxis as { title: { text: string } }).title.text), /out of 1000/);
  const axis = fig.layout.xaxis2 as { tickvals: number[]; ticktext: string[] };
  assert.ok(axis.ticktext.length >= 4);
  // Each label c:b sits at the threshold c / (c + b).
  axis.ticktext.forEach((label, k) => {
    const [c, b] = label.split(":").map(Number);
    close(axis.tickvals[k], c / (c + b), { rel: 1e-15 }, label);
  });
  assert.deepEqual(costBenefitTicks(0, 1, 6).text, ["1:100", "1:4", "2:3", "3:2", "4:1", "100:1"]);
  const plain = clinicalImpactPlot(ci, { costBenefit: false });
  assert.equal(plain.layout.xaxis2, undefined);
});
