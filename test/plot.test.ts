/**
 * Structural tests of the survival figures: what each trace plots must be the numbers R reports.
 *
 * References:
 * - test/fixtures/lung_km.json, "by sex" fit with conf.type = "log" (survival::survfit 3.5.3): the
 *   curve (time, surv, lower, upper, n_censor) and at_times n_risk at 90/180/365/730. Values pass
 *   through kaplanMeier unchanged, so the figure must hold them to rel 1e-12.
 * - test/fixtures/lung_logrank.json (survdiff ~ sex): survminer prints its p as "p = 0.0013".
 * - test/fixtures/plot_scales.json (scales::hue_pal, scales::extended_breaks; script in
 *   test/fixtures/r/plot_scales.R): colours exactly, breaks to rel 1e-12.
 * - Forest plot: its points, whiskers and text columns equal the coxTable/coxph numbers they come from (exact).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { kaplanMeier } from "../lib/survival/kaplanMeier.js";
import { logRank } from "../lib/survival/logRank.js";
import { coxph } from "../lib/survival/coxph.js";
import { coxTable, formatHrCi, formatP } from "../lib/survival/coxTable.js";
import { axisBreaks, forestPlot, formatSurvminerP, huePalette, kmPlot, nRiskAt, type PlotlyTrace } from "../lib/plot/index.js";
import { numericColumn } from "../lib/table/index.js";
import { close, closeAll, dataset, fixture } from "./helpers.js";

const lung = dataset("lung.csv");
const time = numericColumn(lung, "time");
const event = Float64Array.from(numericColumn(lung, "status"), (s) => (s === 2 ? 1 : 0));
const sex = numericColumn(lung, "sex");
const kmRef = fixture("lung_km.json");
const bySex = kmRef.fits.find((f: { label: string; conf_type: string }) => f.label === "by sex" && f.conf_type === "log");
const lr = fixture("lung_logrank.json").tests.find((t: { formula: string; rho: number }) => t.formula.endsWith("~ sex") && t.rho === 0);
const scales = fixture("plot_scales.json");
const TIGHT = { rel: 1e-12 };

const km = kaplanMeier(time, event, { group: sex });
const fig = kmPlot(km, {
  variable: "sex",
  breaks: kmRef.at_times,
  pValue: logRank(time, event, sex),
});

type Meta = { role: string; group?: string };
const traces = (f: { data: PlotlyTrace[] }, role: string, group?: string) =>
  f.data.filter((t) => (t.meta as Meta)?.role === role && (group === undefined || (t.meta as Meta).group === group));
const one = (f: { data: PlotlyTrace[] }, role: string, group?: string) => {
  const found = traces(f, role, group);
  assert.equal(found.length, 1, `one ${role} trace for ${group ?? "the figure"}`);
  return found[0];
};
const nums = (v: unknown) => v as (number | null)[];

test("KM figure: step curves are R's survival prefixed by S(0) = 1", () => {
  assert.equal(bySex.curves.length, 2);
  for (const curve of bySex.curves) {
    const t = one(fig, "surv", curve.stratum);
    assert.equal(t.name, curve.stratum, "legend entry is the stratum name");
    assert.equal((t.line as { shape: string }).shape, "hv", "step function, right-continuous");
    closeAll(nums(t.x), [0, ...curve.time], TIGHT, `${curve.stratum} x`);
    closeAll(nums(t.y), [1, ...curve.surv], TIGHT, `${curve.stratum} surv`);
  }
});

test("KM figure: confidence bands are R's log-type lower/upper, step-shaped and filled", () => {
  for (const curve of bySex.curves) {
    const lo = one(fig, "lower", curve.stratum);
    const hi = one(fig, "upper", curve.stratum);
    closeAll(nums(lo.x), [0, ...curve.time], TIGHT, `${curve.stratum} band x`);
    closeAll(nums(lo.y), [1, ...curve.lower], TIGHT, `${curve.stratum} lower`);
    closeAll(nums(hi.y), [1, ...curve.upper], TIGHT, `${curve.stratum} upper`);
    assert.equal(hi.fill, "tonexty");
    assert.equal((hi.line as { shape: string }).shape, "hv");
    // tonexty fills to the trace just before: the band's lower edge.
    assert.equal(fig.data.indexOf(hi), fig.data.indexOf(lo) + 1);
  }
  const noConf = kmPlot(km, { conf: false });
  assert.equal(traces(noConf, "lower").length + traces(noConf, "upper").length, 0);
});

test("KM figure: censor marks sit at the censored times, on the curve", () => {
  for (const curve of bySex.curves) {
    const idx = (curve.n_censor as number[]).flatMap((c, i) => (c > 0 ? [i] : []));
    assert.ok(idx.length > 0);
    const t = one(fig, "censor", curve.stratum);
    closeAll(nums(t.x), idx.map((i) => curve.time[i]), TIGHT, `${curve.stratum} censor x`);
    closeAll(nums(t.y), idx.map((i) => curve.surv[i]), TIGHT, `${curve.stratum} censor y`);
  }
  assert.equal(traces(kmPlot(km, { censorMarks: false }), "censor").length, 0);
});

test("KM figure: number-at-risk table equals R's summary(fit, times)$n.risk at the breaks", () => {
  const at = bySex.at_times;
  for (const curve of bySex.curves) {
    const t = one(fig, "risk", curve.stratum);
    assert.equal(t.xaxis, "x2");
    assert.equal(t.yaxis, "y2");
    const times: number[] = [];
    const nRisk: number[] = [];
    at.stratum.forEach((s: string, i: number) => {
      if (s === curve.stratum) {
        times.push(at.time[i]);
        nRisk.push(at.n_risk[i]);
      }
    });
    assert.deepEqual(t.x, times);
    assert.deepEqual(t.text, nRisk.map(String));
  }
  // The table shares the curves' time axis, and the x ticks are the breaks.
  const layout = fig.layout as Record<string, Record<string, unknown>>;
  assert.equal(layout.xaxis2.matches, "x");
  assert.deepEqual(layout.xaxis.tickvals, kmRef.at_times);
  // At time 0 everyone is at risk; past the last time nobody is.
  const s1 = km.strata[0];
  assert.equal(nRiskAt(s1, 0), s1.n);
  assert.equal(nRiskAt(s1, s1.time[s1.time.length - 1] + 1), 0);
  assert.equal(traces(kmPlot(km, { riskTable: false }), "risk").length, 0);
});

test("KM figure: default breaks are ggplot's, every 0..xmax step when breaks is a number", () => {
  const f = kmPlot(km);
  const xmax = Math.max(...km.strata.map((s) => s.time[s.time.length - 1]));
  const lungBreaks = scales.breaks.find((b: { range: number[] }) => b.range[0] === 0 && b.range[1] === xmax);
  assert.ok(lungBreaks, "fixture has lung's time range");
  assert.deepEqual(one(f, "risk", "1").x, lungBreaks.breaks);
  const stepped = kmPlot(km, { breaks: 200 });
  assert.deepEqual(one(stepped, "risk", "2").x, [0, 200, 400, 600, 800, 1000]);
  const cut = kmPlot(km, { xmax: 500, breaks: 100 });
  assert.ok(nums(one(cut, "surv", "1").x).every((x) => (x as number) <= 500));
});

test("axis breaks equal scales::extended_breaks; palette equals scales::hue_pal", () => {
  for (const b of scales.breaks) {
    closeAll(axisBreaks(b.range[0], b.range[1]), [].concat(b.breaks), TIGHT, `breaks on [${b.range}]`);
  }
  scales.hue.forEach((h: string | string[], i: number) => {
    assert.deepEqual(huePalette(i + 1), ([] as string[]).concat(h), `hue_pal()(${i + 1})`);
  });
  const colors = huePalette(2);
  km.strata.forEach((s, g) => {
    const label = String(s.group);
    assert.equal((one(fig, "surv", `sex=${label}`).line as { color: string }).color, colors[g]);
    assert.equal((one(fig, "risk", `sex=${label}`).textfont as { color: string }).color, colors[g]);
  });
  const custom = kmPlot(km, { palette: ["#E7B800", "#2E9FDF"] });
  assert.equal((one(custom, "surv", "2").line as { color: string }).color, "#2E9FDF");
});

test("KM figure: log-rank p annotation as survminer prints it", () => {
  close(logRank(time, event, sex).p, lr.p, { rel: 1e-8 }, "log-rank p");
  const texts = ((fig.layout.annotations as { text: string }[]) ?? []).map((a) => a.text);
  assert.ok(texts.includes("p = 0.0013"), `annotations: ${texts.join(" | ")}`);
  assert.equal(formatSurvminerP(5e-5), "p < 0.0001");
  assert.equal(formatSurvminerP(0.04185), "p = 0.042");
  const withMethod = kmPlot(km, { pValue: { p: lr.p, method: "Log-rank" } });
  assert.ok((withMethod.layout.annotations as { text: string }[]).some((a) => a.text === "Log-rank p = 0.0013"));
  assert.ok(!(kmPlot(km).layout.annotations as { text: string }[]).some((a) => /p [=<]/.test(a.text)));
});

test("KM figure: a single curve is labelled 'All'", () => {
  const f = kmPlot(kaplanMeier(time, event));
  assert.equal(one(f, "surv", "All").name, "All");
  const overall = kmRef.fits.find((x: { label: string; conf_type: string }) => x.label === "overall" && x.conf_type === "log");
  closeAll(nums(one(f, "surv", "All").y), [1, ...overall.curves[0].surv], TIGHT, "overall surv");
});

const CANDIDATES = ["age", "sex", "ph.ecog", "ph.karno", "wt.loss"];
const table = coxTable({
  time,
  status: event,
  candidates: Object.fromEntries(CANDIDATES.map((c) => [c, numericColumn(lung, c)])),
  labels: { age: "Age", sex: "Sex (female)", "ph.ecog": "ECOG score", "ph.karno": "Karnofsky score", "wt.loss": "Weight loss" },
});

test("forest plot of a coxTable: points and whiskers are the multivariable HRs and CIs, labels top to bottom", () => {
  const f = forestPlot(table);
  const rows = table.rows.filter((r) => r.multivariate);
  assert.ok(rows.length >= 2);
  const points = one(f, "point");
  closeAll(nums(points.x), rows.map((r) => r.multivariate!.hr), TIGHT, "points");
  const y = nums(points.y) as number[];
  for (let i = 1; i < y.length; i++) assert.ok(y[i] < y[i - 1], "table order top to bottom");
  const whisker = one(f, "whisker");
  const wx = nums(whisker.x);
  const wy = nums(whisker.y);
  rows.forEach((r, i) => {
    close(wx[3 * i], r.multivariate!.lower, TIGHT, `${r.factor} lower`);
    close(wx[3 * i + 1], r.multivariate!.upper, TIGHT, `${r.factor} upper`);
    assert.equal(wx[3 * i + 2], null, "segments are separated");
    assert.equal(wy[3 * i], y[i]);
    assert.equal(wy[3 * i + 1], y[i]);
  });
  const yaxis = f.layout.yaxis as { tickvals: number[]; ticktext: string[] };
  assert.deepEqual(yaxis.tickvals, y);
  assert.deepEqual(yaxis.ticktext, rows.map((r) => r.label));
  assert.deepEqual(one(f, "hrText").text, rows.map((r) => formatHrCi(r.multivariate!.hr, r.multivariate!.lower, r.multivariate!.upper)));
  assert.deepEqual(one(f, "pText").text, rows.map((r) => formatP(r.multivariate!.p)));
  assert.equal((f.layout.xaxis as { type: string }).type, "log");
  const ref = (f.layout.shapes as { x0: number; x1: number }[])[0];
  assert.equal(ref.x0, 1);
  assert.equal(ref.x1, 1);
  // The axis shows every whisker.
  const range = (f.layout.xaxis as { range: number[] }).range.map((v) => 10 ** v);
  for (const r of rows) assert.ok(r.multivariate!.lower > range[0] && r.multivariate!.upper < range[1]);
});

test("forest plot of univariate rows and of a coxph result", () => {
  const uni = forestPlot(table, { which: "univariate", logScale: false });
  closeAll(nums(one(uni, "point").x), table.rows.map((r) => r.univariate.hr), TIGHT, "univariate points");
  assert.equal((uni.layout.xaxis as { type: string }).type, "linear");
  const fit = coxph({ time, status: event, x: { sex } });
  const f = forestPlot(fit, { labels: { sex: "Sex" } });
  closeAll(nums(one(f, "point").x), fit.hr, TIGHT, "coxph point");
  closeAll(nums(one(f, "whisker").x).slice(0, 2), [fit.hrLower[0], fit.hrUpper[0]], TIGHT, "coxph whisker");
  assert.deepEqual((f.layout.yaxis as { ticktext: string[] }).ticktext, ["Sex"]);
});
