// Exclusion flow and cohort split: exact counts (integers, no tolerance), every dropped patient
// named, and the bad-input messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exclusionFlow, rule, splitCohort } from "../lib/cohort/index.js";

const rows = [
  { id: "a", age: 50, stage: "B" },
  { id: "b", age: 80, stage: "C" },
  { id: "c", age: null, stage: "A" },
  { id: "d", age: 60, stage: "A" },
  { id: "e", age: 40, stage: "C" },
];

test("criteria apply in order; excluded and missing-data patients are named at their step", () => {
  const f = exclusionFlow(rows, [rule("I", "age > 75", "age", ">", 75), rule("II", "stage A", "stage", "==", "A")]);
  assert.equal(f.nScreened, 5);
  assert.deepEqual(f.steps[0].excluded, ["b"]);
  assert.deepEqual(f.steps[0].missing, [{ id: "c", columns: ["age"] }]);
  assert.equal(f.steps[0].nExcluded, 2);
  assert.equal(f.steps[0].nAfter, 3);
  assert.deepEqual(f.steps[1].excluded, ["d"]);
  assert.deepEqual(f.included, ["a", "e"]);
  const accounted = f.steps.reduce((s, st) => s + st.nExcluded, 0) + f.nIncluded;
  assert.equal(accounted, f.nScreened, "nothing lost: exclusions + included = screened");
});

test("exclusionFlow bad input names the row, id or column", () => {
  assert.throws(() => exclusionFlow(rows, [rule("I", "x", "weight", ">", 1)], { source: "screening.csv" }), /screening\.csv: criterion I .* column "weight"/);
  assert.throws(() => exclusionFlow([...rows, { id: "a", age: 1, stage: "B" }], []), /id "a" appears twice \(rows 1 and 6\)/);
  assert.throws(() => exclusionFlow([{ age: 1 }], []), /row 1 has no id/);
  assert.throws(() => rule("I", "x", "stage", "in", "A"), /needs a list/);
});

test("splitCohort gives exact sizes, is seeded, stratifies, and rejects impossible sizes", () => {
  const ids = Array.from({ length: 113 }, (_, i) => `P${i}`);
  const status = ids.map((_, i) => (i % 3 === 0 ? 0 : 1));
  const s = splitCohort(ids, { sizes: [78, 35], seed: 5, stratify: status });
  assert.equal(s.training.length, 78);
  assert.equal(s.validation.length, 35);
  assert.deepEqual(splitCohort(ids, { sizes: [78, 35], seed: 5, stratify: status }), s);
  assert.notDeepEqual(splitCohort(ids, { sizes: [78, 35], seed: 6, stratify: status }).training, s.training);
  const eventsTrain = s.training.filter((id) => status[ids.indexOf(id)] === 1).length;
  const eventsAll = status.filter((v) => v === 1).length;
  assert.ok(Math.abs(eventsTrain - (eventsAll * 78) / 113) < 1, "events split in proportion");
  assert.throws(() => splitCohort(ids, { sizes: [100, 35], seed: 1 }), /adding up to the cohort size 113/);
  assert.throws(() => splitCohort(["a", "a"], { fraction: 0.5, seed: 1 }), /not unique/);
  assert.throws(() => splitCohort(ids, { seed: 1 }), /give sizes/);
});
