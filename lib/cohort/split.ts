/**
 * Random train/validation split, seeded through radsurv's generator, optionally stratified
 * (each stratum split in the same proportion, remainders assigned so the totals are exact).
 */
import { InputError } from "../errors.js";
import { createRng } from "../random/rng.js";

export interface SplitOptions {
  /** Exact sizes [training, validation]; or `fraction` for training. */
  sizes?: [number, number];
  fraction?: number;
  seed: number;
  /** Stratum label per id (e.g. event status), same order as ids. */
  stratify?: ArrayLike<string | number>;
}

export interface CohortSplit {
  training: string[];
  validation: string[];
  /** "training" | "validation" per input id, in input order. */
  assignment: ("training" | "validation")[];
  seed: number;
}

export function splitCohort(ids: string[], opts: SplitOptions): CohortSplit {
  const n = ids.length;
  if (new Set(ids).size !== n) throw new InputError("splitCohort: ids are not unique");
  let nTrain: number;
  if (opts.sizes) {
    const [a, b] = opts.sizes;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a + b !== n) {
      throw new InputError(`splitCohort: sizes ${a} + ${b} must be whole numbers adding up to the cohort size ${n}`);
    }
    nTrain = a;
  } else if (opts.fraction !== undefined) {
    if (!(opts.fraction > 0 && opts.fraction < 1)) throw new InputError(`splitCohort: fraction must be in (0, 1), got ${opts.fraction}`);
    nTrain = Math.round(opts.fraction * n);
  } else {
    throw new InputError("splitCohort: give sizes [training, validation] or a training fraction");
  }
  const rng = createRng(opts.seed);
  const strata = new Map<string, number[]>();
  if (opts.stratify && opts.stratify.length !== n) {
    throw new InputError(`splitCohort: stratify has ${opts.stratify.length} values for ${n} ids`);
  }
  ids.forEach((_, i) => {
    const key = opts.stratify ? String(opts.stratify[i]) : "all";
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key)!.push(i);
  });
  const keys = [...strata.keys()].sort();
  // Largest-remainder allocation of training places across strata, so totals are exact.
  const quotas = keys.map((k) => (strata.get(k)!.length * nTrain) / n);
  const alloc = quotas.map(Math.floor);
  let left = nTrain - alloc.reduce((s, v) => s + v, 0);
  const order = keys.map((_, j) => j).sort((a, b) => quotas[b] - alloc[b] - (quotas[a] - alloc[a]) || a - b);
  for (const j of order) if (left-- > 0) alloc[j]++;
  const isTrain = new Uint8Array(n);
  keys.forEach((k, j) => {
    const members = rng.shuffle([...strata.get(k)!]);
    for (let t = 0; t < alloc[j]; t++) isTrain[members[t]] = 1;
  });
  const assignment = ids.map((_, i): "training" | "validation" => (isTrain[i] ? "training" : "validation"));
  return {
    training: ids.filter((_, i) => isTrain[i]),
    validation: ids.filter((_, i) => !isTrain[i]),
    assignment,
    seed: opts.seed,
  };
}
