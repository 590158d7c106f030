/**
 * Checks shared by every survival estimator: the same rules, and the same messages, everywhere.
 */
import { InputError } from "../errors.js";

export interface SurvivalInput {
  time: Float64Array;
  /** 1 = event, 0 = censored. */
  status: Uint8Array;
  n: number;
}

/**
 * Validates (time, status): equal lengths, finite non-negative times, status 0/1.
 * `what` names the caller in the message (e.g. "kaplanMeier"). Rows are reported 1-based, as R does.
 */
export function survivalInput(time: ArrayLike<number>, status: ArrayLike<number>, what: string): SurvivalInput {
  if (time.length !== status.length) {
    throw new InputError(`${what}: time has ${time.length} values but status has ${status.length}`);
  }
  if (time.length === 0) throw new InputError(`${what}: no observations`);
  const n = time.length;
  const t = new Float64Array(n);
  const s = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ti = time[i];
    if (!Number.isFinite(ti)) {
      throw new InputError(`${what}: time at row ${i + 1} is ${ti}; remove or impute missing times first (R's na.omit)`);
    }
    if (ti < 0) throw new InputError(`${what}: time at row ${i + 1} is negative (${ti})`);
    const si = status[i];
    if (si !== 0 && si !== 1) {
      throw new InputError(
        `${what}: status at row ${i + 1} is ${si}; status must be 1 (event) or 0 (censored)` +
          (si === 2 ? " — for data coded 1/2 (such as lung.csv) pass status == 2" : ""),
      );
    }
    t[i] = ti;
    s[i] = si;
  }
  return { time: t, status: s, n };
}

/** Checks that a covariate/group vector has one value per observation. */
export function checkLength(values: ArrayLike<unknown>, n: number, name: string, what: string): void {
  if (values.length !== n) {
    throw new InputError(`${what}: ${name} has ${values.length} values but time has ${n}`);
  }
}

/**
 * Distinct levels in R's factor order: numbers ascending, otherwise text sorted as R's sort()
 * would in the C locale. Missing values (null, undefined, NaN) are not levels.
 */
export function levelsOf(values: ArrayLike<string | number | null | undefined>): (string | number)[] {
  const set = new Set<string | number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) continue;
    set.add(v);
  }
  const levels = [...set];
  const allNumbers = levels.every((v) => typeof v === "number");
  return allNumbers ? (levels as number[]).sort((a, b) => a - b) : levels.map(String).sort();
}
