/**
 * timeDependentAuc and brierScore.
 *
 * Reference: test/fixtures/lung_tdauc.json — riskRegression 2022.11.28 Score(list(model = risk),
 * Surv(time, event) ~ 1, times = c(180, 365, 540), metrics = c("auc", "brier"), cens.model = "km",
 * null.model = TRUE, conf.int = TRUE, split.method = "none") on lung (227 rows, Cox model risks
 * embedded per time). Every time point:
 * - AUC(t): absolute 1e-8 (also against the fixture's plain-R recomputation explicit_auc);
 * - AUC se, lower, upper (Score's influence-function SE with the Kaplan–Meier censoring term, Wald
 *   limits): relative 1e-8;
 * - Brier(t) of the model and of the null model (1 − KM(t) for everyone): absolute 1e-10 (also
 *   explicit_brier / explicit_brier_null); their se, and the model's lower/upper: relative 1e-8.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { timeDependentAuc } from "../lib/evaluate/timeDependentAuc.js";
import { brierScore } from "../lib/evaluate/brierScore.js";
import { InputError } from "../lib/errors.js";
import { close, fixture } from "./helpers.js";

const ref = fixture("lung_tdauc.json");
const time: number[] = ref.rows.time;
const status: number[] = ref.rows.event;
const riskAt = (k: number): number[] => ref.rows.risk.map((r: number[]) => r[k]);
const REL = { rel: 1e-8 };

test("AUC(t), its se and 95% limits as riskRegression::Score", () => {
  assert.equal(ref.times.length, 3);
  ref.times.forEach((t: number, k: number) => {
    const a = timeDependentAuc({ time, status, risk: riskAt(k), t });
    close(a.auc, ref.auc.auc[k], { abs: 1e-8 }, `AUC(${t})`);
    close(a.auc, ref.explicit_auc[k], { abs: 1e-8 }, `AUC(${t}) plain R`);
    close(a.se, ref.auc.se[k], REL, `se AUC(${t})`);
    close(a.lower, ref.auc.lower[k], REL, `lower AUC(${t})`);
    close(a.upper, ref.auc.upper[k], REL, `upper AUC(${t})`);
    assert.equal(a.nCases + a.nControls + a.nCensored, ref.n);
    assert.deepEqual(a.warnings, []);
  });
});

test("Brier(t) and the null model's, with se and limits, as riskRegression::Score", () => {
  ref.times.forEach((t: number, k: number) => {
    const b = brierScore({ time, status, risk: riskAt(k), t });
    close(b.brier, ref.brier.brier[k], { abs: 1e-10 }, `Brier(${t})`);
    close(b.brier, ref.explicit_brier[k], { abs: 1e-10 }, `Brier(${t}) plain R`);
    close(b.se, ref.brier.se[k], REL, `se Brier(${t})`);
    close(b.lower, ref.brier.lower[k], REL, `lower Brier(${t})`);
    close(b.upper, ref.brier.upper[k], REL, `upper Brier(${t})`);
    close(b.nullModel.brier, ref.brier_null.brier[k], { abs: 1e-10 }, `null Brier(${t})`);
    close(b.nullModel.brier, ref.explicit_brier_null[k], { abs: 1e-10 }, `null Brier(${t}) plain R`);
    close(b.nullModel.se, ref.brier_null.se[k], REL, `se null Brier(${t})`);
    close(b.ipa, 1 - ref.brier.brier[k] / ref.brier_null.brier[k], { abs: 1e-9 }, `IPA(${t})`);
  });
});

test("bad input: InputError naming the problem", () => {
  const risk = riskAt(1);
  const last = Math.max(...time);
  for (const f of [timeDependentAuc, brierScore]) {
    assert.throws(() => f({ time, status, risk, t: last }), (e: Error) => e instanceof InputError && new RegExp(`beyond the last follow-up time \\(${last}\\)`).test(e.message));
    assert.throws(() => f({ time, status, risk, t: 2 }), (e: Error) => e instanceof InputError && /no events at or before t = 2/.test(e.message));
    assert.throws(() => f({ time, status, risk: risk.slice(1), t: 365 }), (e: Error) => e instanceof InputError && /risk has 226 values but time has 227/.test(e.message));
    assert.throws(() => f({ time, status: status.slice(2), risk, t: 365 }), (e: Error) => e instanceof InputError && /status has 225/.test(e.message));
    const bad = risk.slice();
    bad[11] = -0.2;
    assert.throws(() => f({ time, status, risk: bad, t: 365 }), (e: Error) => e instanceof InputError && /risk at row 12 is -0.2/.test(e.message));
    assert.throws(() => f({ time, status, risk, t: 365, confLevel: 1 }), InputError);
  }
});
