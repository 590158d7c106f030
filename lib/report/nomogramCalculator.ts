/**
 * An interactive nomogram calculator as ONE self-contained HTML page (no external scripts or
 * styles): an input per predictor (a number box, or a list of levels for a factor) → the points
 * of each predictor, the total points and the predicted survival probability at each horizon.
 *
 * The page's arithmetic is CALC_JS, plain JavaScript kept as source text so that exactly the same
 * code is inlined into the page and compiled here as `nomogramCalc` for the tests:
 * points = (x·beta - R1)·sc, lp = intercept + total / sc, S(t) = S0(t)^exp(lp).
 */
import { InputError } from "../errors.js";
import type { CoxphFit } from "../survival/index.js";
import type { Nomogram } from "../evaluate/nomogram.js";

/** What the page needs from the nomogram (plain JSON). */
export interface CalculatorModel {
  sc: number;
  intercept: number;
  axes: { term: string; kind: "numeric" | "factor"; coef: number; r1: number; min: number; max: number; levels: string[]; levelCoef: number[] }[];
  survival: { t: number; label: string; baseline: number }[];
}

export interface CalculatorResult {
  points: number[];
  totalPoints: number;
  lp: number;
  survival: number[];
}

/** The calculation, as source (inlined into the page). Inputs: numbers, or level names for factors. */
export const CALC_JS = `function radsurvNomogramCalc(model, input) {
  var points = [];
  var total = 0;
  for (var i = 0; i < model.axes.length; i++) {
    var a = model.axes[i];
    var xb;
    if (a.kind === "numeric") {
      var v = Number(input[a.term]);
      if (!isFinite(v)) throw new Error(a.term + " must be a number");
      xb = a.coef * v;
    } else {
      var j = a.levels.indexOf(String(input[a.term]));
      if (j < 0) throw new Error(a.term + " must be one of " + a.levels.join(", "));
      xb = a.levelCoef[j];
    }
    var p = (xb - a.r1) * model.sc;
    points.push(p);
    total += p;
  }
  var lp = model.intercept + total / model.sc;
  var surv = [];
  for (var k = 0; k < model.survival.length; k++) surv.push(Math.pow(model.survival[k].baseline, Math.exp(lp)));
  return { points: points, totalPoints: total, lp: lp, survival: surv };
}`;

/** CALC_JS compiled: the page's computation, callable from TypeScript. */
export const nomogramCalc: (model: CalculatorModel, input: Record<string, number | string>) => CalculatorResult = new Function(
  `${CALC_JS}\nreturn radsurvNomogramCalc;`,
)() as (model: CalculatorModel, input: Record<string, number | string>) => CalculatorResult;

/** The page's model from a nomogram (the fit is used to check that they belong together). */
export function calculatorModel(nom: Nomogram, fit: CoxphFit): CalculatorModel {
  for (const a of nom.axes) {
    for (const c of a.columns) {
      const k = fit.terms.indexOf(c);
      if (k < 0 || fit.coef[k] !== a.coef[a.columns.indexOf(c)]) {
        throw new InputError(`nomogramCalculator: the nomogram's column "${c}" is not the fit's; make the nomogram from this fit`);
      }
    }
  }
  return {
    sc: nom.sc,
    intercept: nom.intercept,
    axes: nom.axes.map((a) => {
      if (a.kind === "numeric") {
        const vals = a.values as number[];
        return { term: a.term, kind: a.kind, coef: a.coef[0], r1: a.range[0], min: Math.min(...vals), max: Math.max(...vals), levels: [], levelCoef: [] };
      }
      const levels = a.levels as string[];
      const cols = a.levelColumns as (string | null)[];
      return {
        term: a.term,
        kind: a.kind,
        coef: 0,
        r1: a.range[0],
        min: 0,
        max: 0,
        levels,
        levelCoef: cols.map((c) => (c === null ? 0 : a.coef[a.columns.indexOf(c)])),
      };
    }),
    survival: nom.survival.map((s) => ({ t: s.t, label: s.label, baseline: s.baseline })),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** JSON safe inside <script>: no "</script>", no U+2028/2029 line breaks. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export interface NomogramCalculatorOptions {
  title?: string;
  /** Wording of the outcome, e.g. "progression-free survival" (default "survival"). */
  outcome?: string;
}

/** The calculator page as an HTML string (write it next to the report). */
export function nomogramCalculator(nom: Nomogram, fit: CoxphFit, options: NomogramCalculatorOptions = {}): string {
  const model = calculatorModel(nom, fit);
  const title = options.title ?? "Nomogram calculator";
  const outcome = options.outcome ?? "survival";
  const inputs = model.axes
    .map((a, i) => {
      const id = `in${i}`;
      const control =
        a.kind === "numeric"
          ? `<input type="number" id="${id}" step="any" value="${(a.min + a.max) / 2}"> <span class="range">(axis ${a.min} to ${a.max})</span>`
          : `<select id="${id}">${a.levels.map((l) => `<option value="${escapeHtml(l)}">${escapeHtml(l)}</option>`).join("")}</select>`;
      return `<tr><th><label for="${id}">${escapeHtml(a.term)}</label></th><td>${control}</td><td class="num" id="pts${i}"></td></tr>`;
    })
    .join("\n");
  const survRows = model.survival
    .map((s, k) => `<tr><th>${escapeHtml(s.label)}</th><td class="num" id="surv${k}"></td></tr>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.range { color: #777; font-size: 0.85em; }
#error { color: #b00020; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Enter the patient's values; the points, total points and predicted ${escapeHtml(outcome)} probabilities update.</p>
<table>
<thead><tr><th>Predictor</th><th>Value</th><th>Points</th></tr></thead>
<tbody>
${inputs}
<tr><th>Total points</th><td></td><td class="num" id="total"></td></tr>
</tbody>
</table>
<table>
<thead><tr><th>Horizon</th><th>Predicted ${escapeHtml(outcome)} probability</th></tr></thead>
<tbody>
${survRows}
</tbody>
</table>
<p id="error"></p>
<script>
"use strict";
var MODEL = ${scriptJson(model)};
${CALC_JS}
function radsurvUpdate() {
  var input = {};
  for (var i = 0; i < MODEL.axes.length; i++) input[MODEL.axes[i].term] = document.getElementById("in" + i).value;
  try {
    var r = radsurvNomogramCalc(MODEL, input);
    for (var j = 0; j < r.points.length; j++) document.getElementById("pts" + j).textContent = r.points[j].toFixed(1);
    document.getElementById("total").textContent = r.totalPoints.toFixed(1);
    for (var k = 0; k < r.survival.length; k++) document.getElementById("surv" + k).textContent = r.survival[k].toFixed(3);
    document.getElementById("error").textContent = "";
  } catch (e) {
    document.getElementById("error").textContent = e.message;
  }
}
for (var i = 0; i < MODEL.axes.length; i++) document.getElementById("in" + i).addEventListener("input", radsurvUpdate);
radsurvUpdate();
</script>
</body>
</html>
`;
}
