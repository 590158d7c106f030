/**
 * baselineTable on the lung data by sex, against R 4.2.2 (test/fixtures/hypothesis_tests.json, section
 * `lung`, made by test/fixtures/r/hypothesis_tests.R): group sizes, counts and missing counts exactly;
 * means, SDs and type-7 quartiles 1e-12 relative; p-values 1e-10 relative or 1e-14 absolute.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, dataset, close, closeAll } from "./helpers.js";
import { baselineTable, tableRows, type BaselineRow } from "../lib/cohort/baselineTable.js";
import { InputError } from "../lib/errors.js";

const ref = fixture("hypothesis_tests.json").lung;
const rows = tableRows(dataset("lung.csv"));
const PTOL = { rel: 1e-10, abs: 1e-14 };
const STOL = { rel: 1e-12 };

const continuous = ["age", "wt.loss", "meal.cal", "ph.karno"];
const categorical = ["ph.ecog", "status"];

function mainRow(result: ReturnType<typeof baselineTable>, name: string): BaselineRow {
  const r = result.rows.find((x) => x.name === name && x.level === undefined);
  assert.ok(r, `row for ${name}`);
  return r;
}

test("groups, n and categorical counts match R's table(); tests as R's chisq.test / fisher.test", () => {
  const res = baselineTable(rows, "sex", categorical.map((name) => ({ name, type: "categorical" as const })));
  assert.deepEqual(res.groups, ref.groups);
  assert.equal(res.n.overall, ref.n.reduce((a: number, b: number) => a + b, 0));
  ref.groups.forEach((g: string, j: number) => assert.equal(res.n.groups[g], ref.n[j]));
  for (const name of categorical) {
    const r = ref[name];
    const levelRows = res.rows.filter((x) => x.name === name && x.level !== undefined && x.level !== "Missing");
    assert.deepEqual(levelRows.map((x) => x.level), r.levels, `${name} levels`);
    levelRows.forEach((lr, i) => {
      assert.deepEqual(ref.groups.map((g: string) => lr.counts!.groups[g]), r.counts[i], `${name} ${lr.level} counts`);
      assert.equal(lr.counts!.overall, r.counts[i].reduce((a: number, b: number) => a + b, 0));
    });
    const miss = res.rows.find((x) => x.name === name && x.level === "Missing");
    const totalMissing = r.missing.reduce((a: number, b: number) => a + b, 0);
    if (totalMissing > 0) {
      assert.ok(miss, `${name} Missing row`);
      assert.deepEqual(ref.groups.map((g: string) => miss.counts!.groups[g]), r.missing, `${name} missing counts`);
    } else assert.equal(miss, undefined, `${name} has no Missing row`);
    const main = mainRow(res, name);
    if (r.anyExpectedBelow5) {
      assert.match(main.test, /^Fisher's exact test/);
      close(main.p, r.fisher, PTOL, `${name} Fisher p`);
    } else {
      assert.equal(main.test, "Pearson's Chi-squared test with Yates' continuity correction");
      close(main.p, r.chisq, PTOL, `${name} chi-square p`);
    }
  }
  // ph.ecog: 1 missing, shown and counted (a man); percentages of non-missing values.
  const ecog0 = res.rows.find((x) => x.name === "ph.ecog" && x.level === "0")!;
  assert.equal(ecog0.groups["1"], `36 (${((100 * 36) / 137).toFixed(1)}%)`);
});

test("continuous summaries (mean, SD, type-7 quartiles, missing) and Welch / Wilcoxon p-values match R", () => {
  for (const summary of ["mean", "median"] as const) {
    const res = baselineTable(rows, "sex", continuous.map((name) => ({ name, type: "continuous" as const, summary })));
    for (const name of continuous) {
      const r = ref[name];
      const main = mainRow(res, name);
      const check = (got: NonNullable<BaselineRow["summary"]>["overall"], want: any, label: string) => {
        assert.equal(got.n, want.n, `${label} n`);
        assert.equal(got.missing, want.missing, `${label} missing`);
        close(got.mean, want.mean, STOL, `${label} mean`);
        close(got.sd, want.sd, STOL, `${label} sd`);
        closeAll([got.q1, got.median, got.q3], want.quartiles, STOL, `${label} quartiles`);
      };
      check(main.summary!.overall, r.overall, `${name} overall`);
      r.groups.forEach((g: any) => check(main.summary!.groups[g.group], g, `${name} group ${g.group}`));
      if (summary === "mean") {
        assert.equal(main.test, "Welch Two Sample t-test");
        close(main.p, r.welch, PTOL, `${name} Welch p`);
        assert.equal(main.overall, `${r.overall.mean.toFixed(1)} ± ${r.overall.sd.toFixed(1)}`);
      } else {
        close(main.p, r.wilcox, PTOL, `${name} Wilcoxon p`);
        const [q1, med, q3] = r.overall.quartiles;
        assert.equal(main.overall, `${med.toFixed(1)} (${q1.toFixed(1)}–${q3.toFixed(1)})`);
      }
      const miss = res.rows.find((x) => x.name === name && x.level === "Missing");
      assert.equal(miss?.counts?.overall ?? 0, r.overall.missing, `${name} Missing row`);
    }
  }
});

test("formatted rows are flat objects with the documented columns", () => {
  const res = baselineTable(rows, "sex", [
    { name: "age", label: "Age", type: "continuous" },
    { name: "ph.ecog", label: "ECOG", type: "categorical" },
  ]);
  const cols = ["Characteristic", "Overall (n=228)", "1 (n=138)", "2 (n=90)", "P value", "Test"];
  for (const f of res.formatted) assert.deepEqual(Object.keys(f), cols);
  assert.equal(res.formatted[0].Characteristic, "Age, mean ± SD");
  assert.equal(res.formatted[1].Characteristic, "ECOG, n (%)");
  assert.equal(res.formatted.length, res.rows.length);
  assert.equal(res.formatted.at(-1)!.Characteristic, "  Missing");
});

test("chi-square for a 2×2 without small expected counts; >2 groups allowed for categorical variables", () => {
  const data = [] as Record<string, string | number | null>[];
  const cells = [["a", "x", 12], ["a", "y", 5], ["b", "x", 7], ["b", "y", 15], ["c", "x", 9], ["c", "y", 10]] as const;
  for (const [g, v, k] of cells) for (let i = 0; i < k; i++) data.push({ arm: g, resp: v });
  const two = baselineTable(data.filter((r) => r.arm !== "c"), "arm", [{ name: "resp", type: "categorical" }]);
  // chisq.test(matrix(c(12, 7, 5, 15), 2)) in the fixture: t2x2_balanced, correct = TRUE
  const want = fixture("hypothesis_tests.json").chisq.find((c: any) => c.name === "t2x2_balanced" && c.correct);
  close(two.rows[0].p, want.p, PTOL, "2×2 chi-square p");
  const three = baselineTable(data, "arm", [{ name: "resp", type: "categorical" }]);
  assert.deepEqual(three.groups, ["a", "b", "c"]);
  assert.ok(three.rows[0].p! > 0 && three.rows[0].p! < 1);
  assert.throws(() => baselineTable(data, "arm", [{ name: "resp", type: "categorical" }, { name: "resp", type: "continuous" }]), InputError);
});

test("bad input: InputError naming the column, variable or row", () => {
  assert.throws(() => baselineTable(rows, "arm", [{ name: "age", type: "continuous" }]), /'arm' is not in the rows/);
  assert.throws(() => baselineTable(rows, "sex", [{ name: "weight", type: "continuous" }]), /variable 'weight'/);
  assert.throws(() => baselineTable(rows, "ph.ecog", [{ name: "age", type: "continuous" }]), /4 levels.*compares exactly 2 groups/);
  const bad = rows.slice(0, 10).map((r) => ({ ...r }));
  bad[3].age = "sixty";
  assert.throws(() => baselineTable(bad, "sex", [{ name: "age", type: "continuous" }]), /row 4, column 'age'.*'sixty'/);
  const oneGroup = rows.filter((r) => r.sex === 1);
  assert.throws(() => baselineTable(oneGroup, "sex", [{ name: "status", type: "categorical" }]), /1 level/);
  const noGroup = rows.slice(0, 20).map((r, i) => ({ ...r, sex: i < 2 ? null : r.sex }));
  const res = baselineTable(noGroup, "sex", [{ name: "status", type: "categorical" }]);
  assert.equal(res.n.overall, 18);
  assert.match(res.warnings[0], /2 row\(s\) with missing 'sex'/);
});
