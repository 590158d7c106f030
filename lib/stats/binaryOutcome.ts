/**
 * A binary outcome from time-to-event data at a fixed horizon — what the paper's "LASSO logistic"
 * needs. With T the event time and C the censoring time, a patient is
 *  - 1 when an event is observed at or before the horizon (time ≤ horizon, status 1): T ≤ horizon;
 *  - 0 when followed beyond the horizon without an event before it: time > horizon (event or not),
 *    or censored exactly at the horizon (censoring at c means T > c, so T > horizon);
 *  - excluded when censored before the horizon: whether T ≤ horizon is unknown.
 * Dropping the last group is the usual complete-case choice; it discards information and can bias
 * the outcome towards early events, which is why the counts and ids are returned for reporting.
 */
import { InputError } from "../errors.js";
import { survivalInput } from "../survival/input.js";

export interface BinaryAtHorizonOptions {
  /** Patient identifiers, reported for the excluded rows (default: 1-based row numbers). */
  ids?: ArrayLike<string | number>;
}

export interface BinaryAtHorizon {
  horizon: number;
  /** Per input row: 1, 0, or null (excluded). */
  outcome: Array<0 | 1 | null>;
  /** 0-based indices of the rows kept (outcome not null), in input order. */
  rows: number[];
  /** Outcome of the kept rows, aligned with `rows`. */
  y: number[];
  n: number;
  /** Rows with y = 1 (event by the horizon). */
  nEvent: number;
  /** Rows with y = 0 (event-free beyond the horizon). */
  nEventFree: number;
  /** Rows excluded (censored before the horizon). */
  nExcluded: number;
  /** ids (or 1-based rows) of the excluded rows. */
  excludedIds: Array<string | number>;
}

export function binaryAtHorizon(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  horizon: number,
  options: BinaryAtHorizonOptions = {},
): BinaryAtHorizon {
  const what = "binaryAtHorizon";
  if (typeof horizon !== "number" || !Number.isFinite(horizon) || !(horizon > 0)) {
    throw new InputError(`${what}: horizon must be a positive finite number, got ${horizon}`);
  }
  const s = survivalInput(time, status, what);
  const ids = options.ids;
  if (ids !== undefined && ids.length !== s.n) throw new InputError(`${what}: ids has ${ids.length} values but time has ${s.n}`);
  const out: BinaryAtHorizon = {
    horizon,
    outcome: [],
    rows: [],
    y: [],
    n: s.n,
    nEvent: 0,
    nEventFree: 0,
    nExcluded: 0,
    excludedIds: [],
  };
  for (let i = 0; i < s.n; i++) {
    const t = s.time[i];
    const d = s.status[i];
    let o: 0 | 1 | null;
    if (d === 1 && t <= horizon) o = 1;
    else if (t > horizon || (d === 0 && t === horizon)) o = 0;
    else o = null;
    out.outcome.push(o);
    if (o === null) {
      out.nExcluded++;
      out.excludedIds.push(ids ? ids[i] : i + 1);
    } else {
      out.rows.push(i);
      out.y.push(o);
      if (o === 1) out.nEvent++;
      else out.nEventFree++;
    }
  }
  return out;
}
