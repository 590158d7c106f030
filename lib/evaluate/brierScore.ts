/**
 * IPCW Brier score at a horizon t (Graf et al. 1999; Gerds & Schumacher 2006), as
 * riskRegression::Score(..., metrics = "brier", cens.model = "km", null.model = TRUE) computes it:
 *
 *   Brier(t) = (1/n) Σ_i [ case_i (1 − r_i)² / G(T_i−) + control_i r_i² / G(t) ]
 *
 * cases: event by t; controls: event-free beyond t; rows censored by t contribute 0 (their share is
 * carried by the weights). G is the reverse Kaplan–Meier (see timeDependentAuc.ts). The null model
 * predicts 1 − KM(t) of the whole sample for everyone. Standard errors: SD of Score's influence
 * function (including the term from estimating G) / √n; Wald limits clipped to [0, 1].
 */
import { check } from "../errors.js";
import { qnorm } from "../stats/distributions.js";
import { kaplanMeier, survfitSummary } from "../survival/kaplanMeier.js";
import { riskVector } from "./decisionCurve.js";
import { censoringTerm, censoringWeights, ipcwInput, sampleSd, type CensoringWeights } from "./timeDependentAuc.js";

export interface BrierScoreInput {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
  /** Predicted probability of an event by t. */
  risk: ArrayLike<number>;
  t: number;
  confLevel?: number;
}

export interface BrierEstimate {
  brier: number;
  se: number;
  lower: number;
  upper: number;
}

export interface BrierScoreResult extends BrierEstimate {
  t: number;
  /** The null model (everyone gets 1 − KM(t)): its risk and Brier score. */
  nullModel: BrierEstimate & { risk: number };
  /** Index of prediction accuracy, 1 − Brier / Brier(null) (riskRegression's IPA). */
  ipa: number;
  confLevel: number;
}

function brierOf(cw: CensoringWeights, risk: (i: number) => number, z: number): BrierEstimate {
  const n = cw.n;
  const res = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = risk(i);
    if (cw.role[i] === 1) res[i] = (1 - r) * (1 - r) * cw.weight[i];
    else if (cw.role[i] === 2) res[i] = r * r * cw.weight[i];
    sum += res[i];
  }
  const brier = sum / n;
  const term = censoringTerm(cw, res);
  const ic = new Float64Array(n);
  for (let i = 0; i < n; i++) ic[i] = res[i] - brier + term[i] / n;
  const se = sampleSd(ic) / Math.sqrt(n);
  return { brier, se, lower: Math.max(0, brier - z * se), upper: Math.min(1, brier + z * se) };
}

export function brierScore(input: BrierScoreInput): BrierScoreResult {
  const what = "brierScore";
  const confLevel = input.confLevel ?? 0.95;
  check(confLevel > 0 && confLevel < 1, `${what}: confLevel must be strictly between 0 and 1 (got ${confLevel})`);
  const s = ipcwInput(input.time, input.status, input.t, what);
  const risk = riskVector(input.risk, s.n, "risk", what);
  const cw = censoringWeights(s.time, s.status, input.t);
  const z = qnorm(1 - (1 - confLevel) / 2);
  const model = brierOf(cw, (i) => risk[i], z);
  const nullRisk = 1 - survfitSummary(kaplanMeier(s.time, s.status), [input.t]).strata[0].surv[0];
  const nullModel = { risk: nullRisk, ...brierOf(cw, () => nullRisk, z) };
  return { t: input.t, ...model, nullModel, ipa: 1 - model.brier / nullModel.brier, confLevel };
}
