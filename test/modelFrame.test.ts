// modelFrame = R's model.frame + model.matrix for survival models: na.omit rows (checked against the
// rows_used R reports in lung_cox.json) and treatment contrasts for factors (checked by fitting the
// veteran data's 4-level celltype against coxph: names exact, coef/se 1e-8 relative — the fixture
// stores 15 significant digits).
import { test } from "node:test";
import assert from "node:assert/strict";
import { modelFrame, parseCsv } from "../lib/table/index.js";
import { coxph } from "../lib/survival/index.js";
import { close, closeAll, dataset, fixture } from "./helpers.js";

test("na.omit rows match R's rows_used, and dropped rows are named with their missing columns", () => {
  const ref = fixture("lung_cox.json").models.find((m: { formula: string }) => m.formula === "Surv(time, status == 2) ~ age + sex + ph.ecog + wt.loss");
  const mf = modelFrame(dataset("lung.csv"), { time: "time", status: "status", eventValue: 2, covariates: ["age", "sex", "ph.ecog", "wt.loss"] });
  assert.deepEqual(mf.rowsUsed, ref.rows_used);
  assert.equal(mf.n + mf.dropped.length, 228);
  assert.deepEqual(mf.dropped.find((d) => d.row === 14)?.missing, ["ph.ecog"]);
  assert.equal(mf.status.reduce((a, b) => a + b, 0), ref.nevent);
});

test("a factor expands to treatment contrasts named like R's and fits as coxph does", () => {
  const ref = fixture("veteran_factor_cox.json");
  const mf = modelFrame(dataset("veteran.csv"), {
    time: "time", status: "status", covariates: ["karno", "celltype"],
    factors: { celltype: ["squamous", "smallcell", "adeno", "large"] },
  });
  assert.deepEqual(Object.keys(mf.x), ref.terms);
  assert.equal(mf.assign.celltypeadeno, "celltype");
  const fit = coxph({ time: mf.time, status: mf.status, x: mf.x });
  closeAll(fit.coef, ref.coef, { rel: 1e-8 }, "coef");
  closeAll(fit.se, ref.se, { rel: 1e-8 }, "se");
  close(fit.loglik[1], ref.loglik[1], { rel: 1e-10 }, "loglik");
});

test("default factor levels follow R's sort order; unknown levels and missing columns are named", () => {
  const t = parseCsv("time,status,arm\n1,1,b\n2,0,a\n3,1,c\n", "trial.csv");
  const mf = modelFrame(t, { time: "time", status: "status", covariates: ["arm"], factors: { arm: true } });
  assert.deepEqual(Object.keys(mf.x), ["armb", "armc"]);
  assert.throws(() => modelFrame(t, { time: "time", status: "status", covariates: ["arm"], factors: { arm: ["a", "b"] } }), /trial\.csv: column "arm" row 3 has level "c" not in a, b/);
  assert.throws(() => modelFrame(t, { time: "time", status: "event" }), /trial\.csv: no column "event"/);
  assert.throws(() => modelFrame(t, { time: "time", status: "status", covariates: ["arm"] }), /trial\.csv: column "arm" is not numeric/);
});
