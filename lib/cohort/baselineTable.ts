/**
 * "Table 1": patient characteristics overall and by group, with a test per variable.
 *
 * Categorical variables: n (%) per level (percent of the group's non-missing values) and Pearson's
 * chi-square test (R's default Yates correction for 2 × 2), switching to Fisher's exact test when any
 * expected count is below 5, the rule most R users apply by hand. Continuous variables: mean ± SD with
 * Welch's t-test, or median (IQR, R's quantile type 7) with the Wilcoxon rank-sum test.
 * Missing values are counted per variable and shown as a "Missing" row, never dropped silently; the
 * tests use the non-missing values, as R's tests do after na.omit.
 */
import { InputError } from "../errors.js";
import { levelsOf } from "../survival/input.js";
import { chisqTest } from "../stats/tests/chisqTest.js";
import { fisherTest } from "../stats/tests/fisherTest.js";
import { tTest } from "../stats/tests/tTest.js";
import { wilcoxTest } from "../stats/tests/wilcoxTest.js";

export type BaselineValue = string | number | null | undefined;

export interface BaselineVariable {
  name: string;
  label?: string;
  type: "categorical" | "continuous";
  /** Continuous only: "mean" (mean ± SD, Welch t-test; default) or "median" (median (IQR), Wilcoxon). */
  summary?: "mean" | "median";
}

export interface BaselineOptions {
  /** Decimals for means, SDs, medians and quartiles (default 1). */
  digits?: number;
}

/** Numbers behind a continuous row's cells. */
export interface ContinuousSummary {
  n: number;
  missing: number;
  mean: number;
  sd: number;
  median: number;
  q1: number;
  q3: number;
}

export interface BaselineRow {
  /** The variable's label (its name when no label is given). */
  variable: string;
  name: string;
  /** Category level, or "Missing" for the missing-value count; absent on a variable's main row. */
  level?: string;
  overall: string;
  groups: Record<string, string>;
  /** Test p-value on the variable's main row; null on level rows and when no test could be done. */
  p: number | null;
  /** Which test gave p (and why, when the choice depends on the data); "" on level rows. */
  test: string;
  /** Counts (level and Missing rows) for overall and per group. */
  counts?: { overall: number; groups: Record<string, number> };
  /** Continuous main rows: the summary statistics behind the cells. */
  summary?: { overall: ContinuousSummary; groups: Record<string, ContinuousSummary> };
}

export interface BaselineTableResult {
  rows: BaselineRow[];
  /** Group levels of `by`, in R's factor order. */
  groups: string[];
  n: { overall: number; groups: Record<string, number> };
  /** One flat object per row: Characteristic, Overall (n=..), <group> (n=..), P value, Test. */
  formatted: Record<string, string>[];
  warnings: string[];
}

function isMissing(v: BaselineValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  const s = v.trim();
  return s === "" || s === "NA";
}

/** Level keys in R's factor order: numerically when every value is a number (or numeric text). */
function orderedLevels(values: BaselineValue[]): string[] {
  const present = values.filter((v) => !isMissing(v)) as (string | number)[];
  const numeric = present.every((v) => typeof v === "number" || Number.isFinite(Number(v.trim())));
  const keys = numeric ? present.map((v) => (typeof v === "number" ? v : Number(v.trim()))) : present.map((v) => String(v).trim());
  return levelsOf(keys).map(String);
}

function levelKey(v: BaselineValue): string {
  if (typeof v === "number") return String(v);
  const s = String(v).trim();
  const num = Number(s);
  return s !== "" && Number.isFinite(num) ? String(num) : s;
}

/** R's quantile(x, p, type = 7) on sorted data. */
function quantile7(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const index = (n - 1) * p; // 0-based
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo];
  if (index > lo && sorted[hi] !== qs) {
    const h = index - lo;
    return (1 - h) * qs + h * sorted[hi];
  }
  return qs;
}

function summarise(values: number[], missing: number): ContinuousSummary {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  if (n === 0) return { n, missing, mean: NaN, sd: NaN, median: NaN, q1: NaN, q3: NaN };
  let s = 0;
  for (const v of x) s += v;
  let mean = s / n;
  let r = 0;
  for (const v of x) r += v - mean;
  mean += r / n;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  return { n, missing, mean, sd, median: quantile7(x, 0.5), q1: quantile7(x, 0.25), q3: quantile7(x, 0.75) };
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "–";
}

function formatP(p: number | null): string {
  if (p === null) return "";
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

export function baselineTable(
  rows: Record<string, BaselineValue>[],
  by: string,
  variables: BaselineVariable[],
  opts: BaselineOptions = {},
): BaselineTableResult {
  const digits = opts.digits ?? 1;
  if (!Array.isArray(rows) || rows.length === 0) throw new InputError("baselineTable: rows is empty");
  const hasColumn = (name: string) => rows.some((r) => r && Object.prototype.hasOwnProperty.call(r, name));
  if (!hasColumn(by)) throw new InputError(`baselineTable: group column 'by' = '${by}' is not in the rows`);
  for (const v of variables) {
    if (!hasColumn(v.name)) throw new InputError(`baselineTable: variable '${v.name}' is not a column of the rows`);
    if (v.type !== "categorical" && v.type !== "continuous") {
      throw new InputError(`baselineTable: variable '${v.name}' has type '${v.type}'; use "categorical" or "continuous"`);
    }
    if (v.summary !== undefined && v.summary !== "mean" && v.summary !== "median") {
      throw new InputError(`baselineTable: variable '${v.name}' has summary '${v.summary}'; use "mean" or "median"`);
    }
  }
  const warnings: string[] = [];

  // Rows without a group cannot be placed in a column: leave them out, and say so.
  const used: number[] = [];
  rows.forEach((r, i) => {
    if (!isMissing(r[by])) used.push(i);
  });
  if (used.length < rows.length) {
    warnings.push(`${rows.length - used.length} row(s) with missing '${by}' left out of the table`);
  }
  const groups = orderedLevels(used.map((i) => rows[i][by]));
  if (groups.length < 2) {
    throw new InputError(`baselineTable: group column '${by}' has ${groups.length} level(s); a comparison needs at least 2`);
  }
  const groupOf = used.map((i) => levelKey(rows[i][by]));
  const nGroups: Record<string, number> = Object.fromEntries(groups.map((g) => [g, 0]));
  for (const g of groupOf) nGroups[g]++;
  const n = { overall: used.length, groups: nGroups };
  const perGroup = <T>(f: (g: string) => T): Record<string, T> => Object.fromEntries(groups.map((g) => [g, f(g)]));

  const out: BaselineRow[] = [];
  for (const variable of variables) {
    const label = variable.label ?? variable.name;
    const values = used.map((i) => rows[i][variable.name]);
    const missingBy = perGroup(() => 0);
    values.forEach((v, k) => {
      if (isMissing(v)) missingBy[groupOf[k]]++;
    });
    const missingAll = Object.values(missingBy).reduce((s, v) => s + v, 0);

    if (variable.type === "categorical") {
      const levels = orderedLevels(values);
      const counts = levels.map(() => perGroup(() => 0));
      const index = new Map(levels.map((l, i) => [l, i]));
      values.forEach((v, k) => {
        if (!isMissing(v)) counts[index.get(levelKey(v))!][groupOf[k]]++;
      });
      const nonMissing = perGroup((g) => nGroups[g] - missingBy[g]);
      const nonMissingAll = n.overall - missingAll;
      let p: number | null = null;
      let testName: string;
      if (levels.length < 2) {
        testName = "not tested (fewer than 2 levels)";
      } else {
        const table = counts.map((c) => groups.map((g) => c[g]));
        // A group with no non-missing value would be an empty column: test the groups that have data.
        const keep = groups.map((g) => nonMissing[g] > 0);
        const tested = table.map((r) => r.filter((_, j) => keep[j]));
        if (keep.filter(Boolean).length < 2) {
          testName = "not tested (fewer than 2 groups with data)";
        } else {
          const chi = chisqTest(tested);
          if (chi.expected.some((r) => r.some((e) => e < 5))) {
            try {
              p = fisherTest(tested).p;
              testName = "Fisher's exact test (an expected count < 5)";
            } catch (e) {
              if (!(e instanceof InputError)) throw e;
              p = chi.p;
              testName = `${chi.method} (expected count < 5, table too large for Fisher's exact test)`;
              warnings.push(`'${variable.name}': ${e.message}`);
            }
          } else {
            p = chi.p;
            testName = chi.method;
          }
        }
      }
      out.push({ variable: label, name: variable.name, overall: "", groups: perGroup(() => ""), p, test: testName });
      levels.forEach((level, li) => {
        const c = counts[li];
        const total = groups.reduce((s, g) => s + c[g], 0);
        const cell = (k: number, of: number) => `${k} (${of > 0 ? ((100 * k) / of).toFixed(1) : "–"}%)`;
        out.push({
          variable: label,
          name: variable.name,
          level,
          overall: cell(total, nonMissingAll),
          groups: perGroup((g) => cell(c[g], nonMissing[g])),
          p: null,
          test: "",
          counts: { overall: total, groups: { ...c } },
        });
      });
    } else {
      const useMedian = variable.summary === "median";
      const byGroup = perGroup(() => [] as number[]);
      values.forEach((v, k) => {
        if (isMissing(v)) return;
        let num: number;
        if (typeof v === "number") num = v;
        else num = Number(String(v).trim());
        if (!Number.isFinite(num)) {
          throw new InputError(
            `baselineTable: row ${used[k] + 1}, column '${variable.name}': value '${v}' is not a number (continuous variable)`,
          );
        }
        byGroup[groupOf[k]].push(num);
      });
      if (groups.length !== 2) {
        throw new InputError(
          `baselineTable: '${by}' has ${groups.length} levels (${groups.join(", ")}); the ${useMedian ? "Wilcoxon" : "t"} test ` +
            `for continuous variable '${variable.name}' compares exactly 2 groups`,
        );
      }
      const all = groups.flatMap((g) => byGroup[g]);
      const overall = summarise(all, missingAll);
      const summaries = perGroup((g) => summarise(byGroup[g], missingBy[g]));
      let p: number | null = null;
      let testName: string;
      const [x, y] = [byGroup[groups[0]], byGroup[groups[1]]];
      try {
        if (useMedian) {
          const w = wilcoxTest(x, y);
          p = w.p;
          testName = w.method;
        } else {
          const t = tTest(x, y);
          p = t.p;
          testName = t.method;
        }
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        testName = `${useMedian ? "Wilcoxon rank sum test" : "Welch Two Sample t-test"} not computed`;
        warnings.push(`'${variable.name}': ${e.message}`);
      }
      const cell = (s: ContinuousSummary) =>
        useMedian
          ? `${fmt(s.median, digits)} (${fmt(s.q1, digits)}–${fmt(s.q3, digits)})`
          : `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}`;
      out.push({
        variable: label,
        name: variable.name,
        overall: cell(overall),
        groups: perGroup((g) => cell(summaries[g])),
        p,
        test: testName,
        summary: { overall, groups: summaries },
      });
    }
    if (missingAll > 0) {
      const cell = (k: number, of: number) => `${k} (${((100 * k) / of).toFixed(1)}%)`;
      out.push({
        variable: label,
        name: variable.name,
        level: "Missing",
        overall: cell(missingAll, n.overall),
        groups: perGroup((g) => cell(missingBy[g], nGroups[g])),
        p: null,
        test: "",
        counts: { overall: missingAll, groups: { ...missingBy } },
      });
    }
  }

  const overallHeader = `Overall (n=${n.overall})`;
  const groupHeader = perGroup((g) => `${g} (n=${nGroups[g]})`);
  const kind = new Map(variables.map((v) => [v.name, v]));
  const formatted = out.map((r) => {
    const v = kind.get(r.name)!;
    const suffix = v.type === "categorical" ? "n (%)" : v.summary === "median" ? "median (IQR)" : "mean ± SD";
    const row: Record<string, string> = {
      Characteristic: r.level === undefined ? `${r.variable}, ${suffix}` : `  ${r.level}`,
      [overallHeader]: r.overall,
    };
    for (const g of groups) row[groupHeader[g]] = r.groups[g];
    row["P value"] = formatP(r.p);
    row["Test"] = r.test;
    return row;
  });
  return { rows: out, groups, n, formatted, warnings };
}

/** Row objects from a columnar Table (readCsv/parseCsv), the input baselineTable takes. */
export function tableRows(table: { columns: string[]; nRows: number; data: Record<string, ArrayLike<BaselineValue>> }): Record<string, BaselineValue>[] {
  const out: Record<string, BaselineValue>[] = [];
  for (let i = 0; i < table.nRows; i++) {
    const row: Record<string, BaselineValue> = {};
    for (const c of table.columns) row[c] = table.data[c][i];
    out.push(row);
  }
  return out;
}
