// `radsurv reproduce` end to end on a twin cohort (seed 7, its own cache folder so it cannot race the
// notebooks' seed): results.json keys and flow counts, byte-identical results for the same seed, the
// report's sections, every figure file, and the --config path giving the same estimates. Bootstrap
// sizes are reduced (B = 20, 2 pipeline resamples) to keep the test short; `npm start` uses the defaults.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reproduce } from "../lib/study/reproduce.js";
import { twinStudyConfig } from "../lib/study/config.js";
import { CHROMIUM } from "../lib/report/exportFigures.js";
import { root } from "./helpers.js";

const settings = { bootstrap: 20, pipelineBootstrap: 2 };
const quiet = () => {};

test("reproduce: results, determinism, report, figures and --config", { timeout: 600_000 }, async () => {
  const a = mkdtempSync(join(tmpdir(), "repro-a-"));
  const b = mkdtempSync(join(tmpdir(), "repro-b-"));
  const first = await reproduce({ out: a, seed: 7, notebooks: false, settings, log: quiet });
  const second = await reproduce({ out: b, seed: 7, notebooks: false, figures: false, settings, log: quiet });
  const ra = readFileSync(join(a, "results.json"), "utf8");
  assert.equal(ra, readFileSync(join(b, "results.json"), "utf8"), "same seed → byte-identical results.json");

  const res = JSON.parse(ra);
  assert.equal(res.provenance.seed, 7);
  assert.deepEqual(res.flow.steps.map((s: { excluded: number }) => s.excluded), [86, 73, 22, 58, 66, 34]);
  assert.equal(res.flow.analysed, 113);
  assert.equal(res.split.training.length + res.split.validation.length + res.dropped.length, 113);
  for (const key of [
    "cindex.radiomics.training", "cindex.radiomics.validation", "cindex.combined.training", "cindex.combined.validation",
    "cindex.clinical.training", "cindex.clinical.validation", "auc.radiomics.training", "auc.radiomics.validation",
    "medianPfs.lowRisk.training", "medianPfs.highRisk.training", "logrank.training.chisq", "radscore.cutoff",
    "features.selected.count", "compare.combinedVsClinical.validation.p", "cox.multivariate.radiomics.hr", "honest.cindex.corrected",
  ]) {
    assert.ok(key in res.estimates, `results.json has ${key}`);
  }
  for (const c of ["training", "validation"]) {
    const e = res.estimates[`cindex.combined.${c}`];
    // The value itself is data (seed 7's signature happens not to validate); the test checks its form.
    assert.ok(e.value > 0 && e.value < 1 && e.lower < e.value && e.value < e.upper, `C-index ${c} with its CI: ${JSON.stringify(e)}`);
  }
  assert.equal(res.publishedVsReproduced.length, 18);
  assert.ok(res.checklist.length >= 10 && res.checklist.every((c: { evidence: string }) => c.evidence.length > 10));

  const html = readFileSync(join(a, "report.html"), "utf8");
  for (const id of ["summary", "cohort", "features", "lasso", "riskgroups", "cox", "nomogram", "decision", "honest", "checklist", "methods", "provenance"]) {
    assert.ok(html.includes(`<section id="${id}">`), `report has section ${id}`);
  }
  assert.ok(!/<script[^>]+src=/.test(html), "report is self-contained (no external scripts)");
  assert.ok(existsSync(join(a, "nomogram.html")));
  if (existsSync(CHROMIUM)) {
    for (const name of ["flow", "roc", "km-training", "km-validation", "lasso-path", "lasso-cv", "forest", "nomogram", "calibration-12", "calibration-24", "dca-training", "dca-validation", "impact-training", "impact-validation"]) {
      for (const ext of ["svg", "png"]) assert.ok(first.files.includes(join("figures", `${name}.${ext}`)) && existsSync(join(a, "figures", `${name}.${ext}`)), `figures/${name}.${ext}`);
    }
  }
  assert.ok(second.peakMemoryMb > 0);

  // The same study through --config (a user's own study): the study.json that `radsurv twin` writes.
  const configPath = join(root, "out", "twin-7", "study.json");
  assert.deepEqual(JSON.parse(readFileSync(configPath, "utf8")), JSON.parse(JSON.stringify(twinStudyConfig)));
  const c = mkdtempSync(join(tmpdir(), "repro-c-"));
  await reproduce({ out: c, seed: 7, config: configPath, notebooks: false, figures: false, settings, log: quiet });
  const rc = JSON.parse(readFileSync(join(c, "results.json"), "utf8"));
  for (const key of ["cindex.combined.validation", "radscore.cutoff", "features.selected.count", "auc.radiomics.validation"]) {
    assert.deepEqual(rc.estimates[key], res.estimates[key], `--config gives the same ${key}`);
  }
});
