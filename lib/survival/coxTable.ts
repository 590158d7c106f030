/**
 * The clinical-factor table of a radiomics/Cox paper (the paper's Table 3): a univariate Cox model
 * per candidate factor, then one multivariable Cox model on the factors that pass a univariate
 * p-value screen, laid out as "HR (95% CI)" and "P" columns.
 *
 * Missing values (NaN/null) are handled the way R's na.omit does it for each model separately, which
 * is also what SPSS does per analysis: a univariate model uses the rows complete for its own factor,
 * the multivariable model the rows complete for all selected factors. Pass complete-case columns
 * (e.g. from modelFrame) to use the same rows in every model.
 */
import { InputError } from "../errors.js";
import { coxph } from "./coxph.js";

export type CoxFit = ReturnType<typeof coxph>;

export interface CoxTableInput {
  time: ArrayLike<number>;
  /** 1 = event, 0 = censored. */
  status: ArrayLike<number>;
  /** One numeric column per candidate factor (binary factors coded 0/1; NaN = missing), in table order. */
  candidates: Record<string, ArrayLike<number>>;
  /** Display names for the Factor column ("BCLC stage (C vs B)"); default: the candidate key. */
  labels?: Record<string, string>;
}

export interface CoxTableOptions {
  /** Univariate p below which a candidate enters the multivariable model. Default 0.05. */
  screenP?: number;
  /** Multivariable p below which a factor is reported as retained (the clinical model). Default 0.05. */
  keepP?: number;
  ties?: "efron" | "breslow";
  /** Decimals for HR and CI in `formatted`. Default 2. */
  digits?: number;
  /** Candidates that enter the multivariable model whatever their univariate p. */
  forceInclude?: string[];
}

export interface CoxTableEstimate {
  hr: number;
  lower: number;
  upper: number;
  p: number;
  coef: number;
  se: number;
  /** Rows used by the model that gave this estimate. */
  n: number;
  nEvent: number;
}

export interface CoxTableRow {
  factor: string;
  label: string;
  univariate: CoxTableEstimate;
  /** null when the factor did not enter the multivariable model. */
  multivariate: CoxTableEstimate | null;
}

export interface CoxTableFormattedRow {
  Factor: string;
  "HR (95% CI)": string;
  P: string;
  "HR (95% CI) multivariate": string;
  "P multivariate": string;
}

export interface CoxTableResult {
  rows: CoxTableRow[];
  univariateFits: Record<string, CoxFit>;
  multivariateFit: CoxFit | null;
  /** Candidates that entered the multivariable model, in candidate order. */
  selected: string[];
  /** Selected factors with multivariable p < keepP (the factors the clinical model keeps). */
  retained: string[];
  /** 1-based input rows used by the multivariable model. */
  multivariateRows: number[];
  formatted: CoxTableFormattedRow[];
  /** Warnings of the underlying fits, prefixed by the model they came from. */
  warnings: string[];
}

/** "2.52 (1.42–4.47)" as tables in papers print an HR with its CI (en dash between the limits). */
export function formatHrCi(hr: number, lower: number, upper: number, digits = 2): string {
  const f = (v: number) => (Number.isNaN(v) ? "NA" : v === Infinity ? "Inf" : v.toFixed(digits));
  return `${f(hr)} (${f(lower)}–${f(upper)})`;
}

/** p as the paper prints it: three decimals, "< 0.001" below that. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "NA";
  if (p < 0.001) return "< 0.001";
  return p.toFixed(3);
}

export function coxTable(input: CoxTableInput, options: CoxTableOptions = {}): CoxTableResult {
  const screenP = options.screenP ?? 0.05;
  const keepP = options.keepP ?? 0.05;
  const digits = options.digits ?? 2;
  const ties = options.ties ?? "efron";
  const forced = options.forceInclude ?? [];
  const { time, status, candidates } = input;
  const names = Object.keys(candidates);
  if (names.length === 0) throw new InputError("coxTable: candidates is empty");
  const n = time.length;
  if (status.length !== n) throw new InputError(`coxTable: time has ${n} values but status has ${status.length}`);
  for (const name of names) {
    if (candidates[name].length !== n) {
      throw new InputError(`coxTable: candidate "${name}" has ${candidates[name].length} values but time has ${n}`);
    }
  }
  for (const name of forced) {
    if (!(name in candidates)) throw new InputError(`coxTable: forceInclude names "${name}", which is not a candidate`);
  }
  const labels = input.labels ?? {};
  const warnings: string[] = [];

  const missing = (v: number | null | undefined) => v === null || v === undefined || Number.isNaN(v);
  // R's na.omit over the model's variables (time and status included).
  const completeRows = (vars: string[]): number[] => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      if (missing(time[i]) || missing(status[i])) continue;
      if (vars.some((v) => missing(candidates[v][i]))) continue;
      rows.push(i);
    }
    return rows;
  };
  const fit = (vars: string[], what: string): { fit: CoxFit; rows: number[] } => {
    const rows = completeRows(vars);
    if (rows.length === 0) throw new InputError(`coxTable: ${what} has no complete rows`);
    const x: Record<string, Float64Array> = {};
    for (const v of vars) x[v] = Float64Array.from(rows, (i) => candidates[v][i]);
    try {
      const f = coxph(
        {
          time: Float64Array.from(rows, (i) => time[i]),
          status: Float64Array.from(rows, (i) => status[i]),
          x,
        },
        { ties },
      );
      for (const w of f.warnings ?? []) warnings.push(`${what}: ${w}`);
      return { fit: f, rows };
    } catch (e) {
      if (e instanceof Error) e.message = `coxTable: ${what}: ${e.message}`;
      throw e;
    }
  };
  const estimate = (f: CoxFit, j: number): CoxTableEstimate => ({
    hr: f.hr[j],
    lower: f.hrLower[j],
    upper: f.hrUpper[j],
    p: f.p[j],
    coef: f.coef[j],
    se: f.se[j],
    n: f.n,
    nEvent: f.nEvent,
  });

  const univariateFits: Record<string, CoxFit> = {};
  const univariate: Record<string, CoxTableEstimate> = {};
  for (const name of names) {
    const { fit: f } = fit([name], `univariate model "${name}"`);
    univariateFits[name] = f;
    univariate[name] = estimate(f, 0);
  }
  // A NaN p (e.g. an infinite coefficient) never passes the screen.
  const selected = names.filter((name) => univariate[name].p < screenP || forced.includes(name));

  let multivariateFit: CoxFit | null = null;
  let multivariateRows: number[] = [];
  const multivariate: Record<string, CoxTableEstimate> = {};
  if (selected.length > 0) {
    const { fit: f, rows } = fit(selected, `multivariable model (${selected.join(" + ")})`);
    multivariateFit = f;
    multivariateRows = rows.map((i) => i + 1);
    selected.forEach((name, j) => (multivariate[name] = estimate(f, j)));
  }
  const retained = selected.filter((name) => multivariate[name].p < keepP);

  const rows: CoxTableRow[] = names.map((name) => ({
    factor: name,
    label: labels[name] ?? name,
    univariate: univariate[name],
    multivariate: multivariate[name] ?? null,
  }));
  const formatted: CoxTableFormattedRow[] = rows.map((r) => ({
    Factor: r.label,
    "HR (95% CI)": formatHrCi(r.univariate.hr, r.univariate.lower, r.univariate.upper, digits),
    P: formatP(r.univariate.p),
    "HR (95% CI) multivariate": r.multivariate
      ? formatHrCi(r.multivariate.hr, r.multivariate.lower, r.multivariate.upper, digits)
      : "",
    "P multivariate": r.multivariate ? formatP(r.multivariate.p) : "",
  }));
  return { rows, univariateFits, multivariateFit, selected, retained, multivariateRows, formatted, warnings };
}
