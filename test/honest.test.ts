// The study pipeline on a small synthetic study (no images): analyseStudy runs end to end, nothing is
// fitted on validation (changing validation outcomes leaves the signature unchanged), and the honest
// validation gives exactly the same result serially and spread over worker threads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../lib/random/index.js";
import { analyseStudy, defaultStudySettings, honestValidation, type StudyFeatures, type StudyPatient } from "../lib/study/index.js";
import { honestValidationParallel } from "../lib/study/honest.js";

function syntheticStudy(seed: number): { patients: StudyPatient[]; features: StudyFeatures } {
  const rng = createRng(seed);
  const n = 90;
  const p = 20;
  const names = Array.from({ length: p }, (_, j) => `f${j + 1}`);
  const patients: StudyPatient[] = [];
  const readings = new Map<string, Float64Array[]>();
  for (let i = 0; i < n; i++) {
    const id = `S${i + 1}`;
    const latent = rng.normal();
    const stage = rng.uniform() < 0.5 ? 1 : 0;
    const truth = Float64Array.from(names, (_, j) => (j < 3 ? latent : 0) + rng.normal());
    readings.set(id, Array.from({ length: 4 }, (_, r) => Float64Array.from(truth, (v) => v + (r < 2 ? 0.1 : 0.15) * rng.normal())));
    const rate = 0.05 * Math.exp(0.9 * latent + 0.8 * stage);
    const t = rng.exponential() / rate;
    const c = 5 + 40 * rng.uniform();
    patients.push({ id, time: Math.max(0.1, Math.min(t, c)), status: t <= c ? 1 : 0, split: i < 60 ? "training" : "validation", clinical: { stage, age: 50 + 10 * rng.normal() } });
  }
  return { patients, features: { names, readings } };
}

const settings = { ...defaultStudySettings(11), bootstrap: 20, pipelineBootstrap: 3, times: [6, 12], horizon: 6 };

test("analyseStudy on a synthetic study: signature, models, and nothing fitted on validation", () => {
  const { patients, features } = syntheticStudy(5);
  const r = analyseStudy(patients, features, settings);
  assert.equal(r.n.training, 60);
  assert.equal(r.n.validation, 30);
  assert.ok(r.signature.selected.length >= 1);
  assert.ok(r.signature.selected.some((f) => ["f1", "f2", "f3"].includes(f)), `selected ${r.signature.selected}`);
  for (const m of ["clinical", "radiomics", "combined"] as const) assert.ok(Number.isFinite(r.models[m].cindex.validation.c));
  // Validation outcomes changed: everything fitted (signature, cut-off, model coefficients) stays the same.
  const flipped = patients.map((q) => (q.split === "validation" ? { ...q, status: (1 - q.status) as 0 | 1 } : q));
  const r2 = analyseStudy(flipped, features, settings);
  assert.deepEqual(r2.signature.selected, r.signature.selected);
  assert.equal(r2.signature.cutoff, r.signature.cutoff);
  assert.deepEqual(r2.models.combined.fit.coef, r.models.combined.fit.coef);
  assert.notEqual(r2.models.combined.cindex.validation.c, r.models.combined.cindex.validation.c);
});

test("honest validation: worker threads give exactly the serial result", async () => {
  const { patients, features } = syntheticStudy(6);
  const r = analyseStudy(patients, features, settings);
  const serial = honestValidation(patients, features, r, settings);
  const parallel = await honestValidationParallel(patients, features, r, settings, 2);
  assert.deepEqual(parallel, serial);
  assert.equal(serial.B, 3);
  assert.ok(serial.failed < 3, serial.failures.join("; "));
  assert.ok(Number.isFinite(serial.cIndex.corrected));
});
