// The twin cohort: the paper's exclusion flow exactly (86, 73, 22, 58, 66, 34 → 113) for several
// seeds, the 78/35 split, byte-identical files for the same seed, and data that honour the design.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { exclusionFlow } from "../lib/cohort/index.js";
import { twinTables, paperCriteria, writeTwin, design, baselineScale } from "../lib/twin/index.js";
import { readCsv } from "../lib/table/index.js";
import { root } from "./helpers.js";

for (const seed of [1, 2, 42, 20210503, 4294967295]) {
  test(`seed ${seed}: the paper's flow 452 → 86, 73, 22, 58, 66, 34 → 113, split 78/35`, () => {
    const t = twinTables(seed);
    assert.equal(t.screening.length, 452);
    const f = exclusionFlow(t.screening, paperCriteria());
    assert.deepEqual(f.steps.map((s) => s.nExcluded), [86, 73, 22, 58, 66, 34]);
    assert.ok(f.steps.every((s) => s.missing.length === 0));
    assert.deepEqual(f.included, t.clinical.map((c) => c.id));
    assert.equal(t.clinical.filter((c) => c.split === "training").length, 78);
    assert.equal(t.clinical.filter((c) => c.split === "validation").length, 35);
    for (const c of t.clinical) {
      assert.ok(c.bclc === "B" || c.bclc === "C");
      assert.ok(c.childPugh === "A" || c.childPugh === "B");
      assert.ok(c.intervalDays <= 60 && c.intervalDays > 0);
      assert.equal(c.afpHigh, c.afp >= 400 ? 1 : 0);
      assert.equal(c.intervalShort, c.intervalDays <= 14 ? 1 : 0);
      assert.ok(c.pfsMonths > 0 && c.pfsMonths <= design.enrolmentMonths + design.extraFollowUpMonths);
    }
  });
}

test("baseline scale puts the low-risk marginal median at the design's 30 months", () => {
  const { hazardRatios: hr, prevalence: p, weibullShape: k, medianLowRisk: m } = design;
  const lambda = baselineScale();
  let s = 0;
  for (const c of [0, 1]) for (const a of [0, 1]) for (const i of [0, 1]) {
    const w = (c ? p.bclcC : 1 - p.bclcC) * (a ? p.afpHigh : 1 - p.afpHigh) * (i ? p.intervalShort : 1 - p.intervalShort);
    s += w * Math.exp(-lambda * hr.bclcC ** c * hr.afpHigh ** a * hr.intervalShort ** i * m ** k);
  }
  assert.ok(Math.abs(s - 0.5) < 1e-12, `S(30) = ${s}`);
});

test("same seed → byte-identical tables (library and CLI); files read back", () => {
  const a = mkdtempSync(join(tmpdir(), "twin-a-"));
  const b = mkdtempSync(join(tmpdir(), "twin-b-"));
  // Tables only here (images: test/twin-images.test.ts checks their byte-identity on a subset).
  const w = writeTwin(a, 7, { images: false });
  execFileSync(process.execPath, [join(root, "dist", "cli.js"), "twin", "--out", b, "--seed", "7", "--no-images"], { stdio: "ignore" });
  for (const f of w.files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between runs`);
  const clinical = readCsv(join(a, "clinical.csv"));
  assert.equal(clinical.nRows, 113);
  const screening = readCsv(join(a, "screening.csv"));
  const rows = Array.from({ length: screening.nRows }, (_, i) => Object.fromEntries(screening.columns.map((c) => [c, screening.data[c][i]])));
  assert.deepEqual(exclusionFlow(rows, paperCriteria()).steps.map((s) => s.nExcluded), [86, 73, 22, 58, 66, 34]);
});

test("radsurv twin rejects a bad seed with a clear message", () => {
  assert.throws(
    () => execFileSync(process.execPath, [join(root, "dist", "cli.js"), "twin", "--seed", "-3"], { stdio: "pipe" }),
    (e: { stderr: Buffer }) => /--seed must be a whole number/.test(e.stderr.toString()),
  );
});
