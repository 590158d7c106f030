/**
 * The one seeded random generator of radsurv. Everything random (twin cohort, CV folds, bootstrap)
 * draws from an Rng made here, so the same seed gives the same numbers — and the same bytes — on
 * every machine. Algorithm: xoshiro128** (32-bit state words, exact in JavaScript integer maths),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
import { InputError } from "../errors.js";

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, both values used). */
  normal(): number;
  /** Exponential with rate 1. */
  exponential(): number;
  /** In-place Fisher–Yates shuffle; returns the array. */
  shuffle<T>(a: T[]): T[];
  /** An independent generator derived from this one (for parallel streams, e.g. one per patient). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates the generator for a seed (a non-negative integer below 2^32). */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new InputError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const sm = splitmix32(seed);
  const s = new Uint32Array([sm(), sm(), sm(), sm()]);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  let spare: number | null = null;
  const rng: Rng = {
    uniform() {
      // 27 + 26 bits → a double in [0, 1) on the 2^-53 grid.
      const a = next32() >>> 5;
      const b = next32() >>> 6;
      return (a * 67108864 + b) / 9007199254740992;
    },
    int(n: number) {
      if (!Number.isInteger(n) || n <= 0) throw new InputError(`Rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(rng.uniform() * n);
    },
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = rng.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * rng.uniform();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    exponential() {
      let u = 0;
      while (u === 0) u = rng.uniform();
      return -Math.log(u);
    },
    shuffle<T>(a: T[]): T[] {
      for (let i = a.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
      }
      return a;
    },
    fork() {
      return createRng(next32());
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Fold ids 1..nfolds for n rows, balanced (sizes differ by at most one) in random order —
 * what cv.glmnet's `sample(rep(seq(nfolds), length = n))` does, from radsurv's generator.
 */
export function foldIds(n: number, nfolds: number, rng: Rng): Int32Array {
  if (!Number.isInteger(nfolds) || nfolds < 2 || nfolds > n) {
    throw new InputError(`nfolds must be an integer between 2 and n = ${n}, got ${nfolds}`);
  }
  const ids = Array.from({ length: n }, (_, i) => (i % nfolds) + 1);
  return Int32Array.from(rng.shuffle(ids));
}
