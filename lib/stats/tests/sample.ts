/** Numeric sample checks shared by the two-sample tests. */
import { InputError } from "../../errors.js";

/** Copies a sample into a Float64Array, rejecting NaN/Infinity (R's tests drop them; we make the caller decide). */
export function finiteSample(values: ArrayLike<number>, name: string, what: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${what}: ${name}[${i + 1}] is ${v}; remove missing or non-finite values first`);
    }
    out[i] = v;
  }
  return out;
}

/** Mean with a second pass to remove rounding drift (R accumulates in long double and does the same refinement). */
export function mean(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  let m = s / n;
  let r = 0;
  for (let i = 0; i < n; i++) r += x[i] - m;
  m += r / n;
  return m;
}

/** Sample variance (n - 1 denominator), two-pass. */
export function variance(x: Float64Array, m = mean(x)): number {
  const n = x.length;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    ss += d * d;
  }
  return ss / (n - 1);
}
