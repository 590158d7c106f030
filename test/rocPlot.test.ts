/**
 * Structure of the ROC figure: the plotted points ARE the roc result's sensitivities and (1 −)
 * specificities (exact equality, no tolerance: the figure copies the numbers), the legend carries the
 * AUC and its DeLong CI, the Youden point sits at roc.youden, the diagonal is the chance line.
 * Data: the cases of lung_roc.json (R reference inputs), analysed by roc().
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture } from "./helpers.js";
import { roc } from "../lib/stats/roc.js";
import { rocPlot, rocLegend } from "../lib/plot/rocPlot.js";
import type { PlotlyTrace } from "../lib/plot/figure.js";

const cases = fixture("lung_roc.json").cases as { label: string; y: number[]; score: number[] }[];
const role = (fig: { data: PlotlyTrace[] }, r: string) => fig.data.filter((t) => (t.meta as { role: string }).role === r);

test("rocPlot (one curve): points = sensitivity vs 1 − specificity, AUC (95% CI) in the legend, Youden point", () => {
  for (const c of cases) {
    const r = roc(c.y, c.score);
    const fig = rocPlot(r, { title: c.label });
    const [curve] = role(fig, "roc");
    assert.deepEqual(curve.y, Array.from(r.sensitivity), c.label);
    assert.deepEqual(curve.x, Array.from(r.specificity, (s) => 1 - s), c.label);
    const name = curve.name as string;
    assert.ok(name.includes(`AUC ${r.auc.toFixed(2)}`), `${c.label}: legend "${name}"`);
    assert.ok(name.includes(`95% CI ${r.lower.toFixed(2)}–${r.upper.toFixed(2)}`), `${c.label}: legend "${name}"`);
    const [y] = role(fig, "youden");
    assert.deepEqual(y.x, [1 - r.youden.specificity]);
    assert.deepEqual(y.y, [r.youden.sensitivity]);
    assert.ok((y.text as string[])[0].startsWith(r.youden.threshold.toFixed(3)));
    const [d] = role(fig, "diagonal");
    assert.deepEqual([d.x, d.y], [[0, 1], [0, 1]]);
    assert.equal((fig.layout.xaxis as { title: { text: string } }).title.text, "1 − Specificity");
  }
});

test("rocPlot (several curves, pROC's specificity axis): one curve and one Youden point per result, distinct colours", () => {
  const list = cases.map((c) => ({ name: c.label, roc: roc(c.y, c.score) }));
  const fig = rocPlot(list, { legacyAxes: false, youden: true });
  const curves = role(fig, "roc");
  assert.equal(curves.length, list.length);
  curves.forEach((t, i) => {
    assert.deepEqual(t.x, Array.from(list[i].roc.specificity));
    assert.equal(t.name, `${list[i].name}: ${rocLegend(list[i].roc)}`);
  });
  assert.equal(new Set(curves.map((t) => (t.line as { color: string }).color)).size, list.length);
  assert.equal(role(fig, "youden").length, list.length);
  const [d] = role(fig, "diagonal");
  assert.deepEqual(d.x, [1, 0]);
  // specificity runs from 1 (left) to 0 (right), as plot.roc draws it
  const range = (fig.layout.xaxis as { range: number[] }).range;
  assert.ok(range[0] > range[1]);
  assert.equal(role(rocPlot(list, { youden: false }), "youden").length, 0);
  // per-curve Youden marks and extra operating points in the curve's colour
  const per = rocPlot(list.slice(0, 2), { youden: [true, false], points: [{ curve: 1, sensitivity: 0.8, specificity: 0.6, label: "training cut-off" }] });
  assert.deepEqual(role(per, "youden").map((t) => (t.meta as { name: string }).name), [list[0].name]);
  const [pt] = role(per, "point");
  assert.deepEqual([pt.x, pt.y, pt.text], [[1 - 0.6], [0.8], ["training cut-off"]]);
  assert.equal((pt.marker as { color: string }).color, (role(per, "roc")[1].line as { color: string }).color);
  assert.throws(() => rocPlot(list, { points: [{ curve: 9, sensitivity: 1, specificity: 1, label: "x" }] }), /curve 9/);
  assert.throws(() => rocPlot([]), /no ROC curve/);
});
