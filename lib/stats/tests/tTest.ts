/**
 * Two-sample t-test, as R's t.test(x, y, var.equal) with the two-sided alternative: Welch's unequal
 * variance test by default, Student's pooled-variance test when varEqual.
 */
import { InputError } from "../../errors.js";
import { finiteSample, mean, variance } from "./sample.js";
import { pt, qt } from "../tDistribution.js";

export interface TTestOptions {
  varEqual?: boolean;
  confLevel?: number;
}

export interface TTestResult {
  statistic: number;
  df: number;
  p: number;
  /** Confidence interval of mean(x) - mean(y). */
  confInt: [number, number];
  /** [mean of x, mean of y]. */
  estimate: [number, number];
  stderr: number;
  method: string;
}

export function tTest(x: ArrayLike<number>, y: ArrayLike<number>, opts: TTestOptions = {}): TTestResult {
  const varEqual = opts.varEqual ?? false;
  const confLevel = opts.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new InputError(`tTest: confLevel must be in (0, 1), got ${confLevel}`);
  const xs = finiteSample(x, "x", "tTest");
  const ys = finiteSample(y, "y", "tTest");
  const nx = xs.length;
  const ny = ys.length;
  // Welch needs a variance from each sample; the pooled test needs one from the two together.
  if (nx < 1 || (!varEqual && nx < 2)) throw new InputError(`tTest: not enough 'x' observations (${nx})`);
  if (ny < 1 || (!varEqual && ny < 2)) throw new InputError(`tTest: not enough 'y' observations (${ny})`);
  if (varEqual && nx + ny < 3) throw new InputError("tTest: not enough observations");
  const mx = mean(xs);
  const my = mean(ys);
  const vx = nx > 1 ? variance(xs, mx) : 0;
  const vy = ny > 1 ? variance(ys, my) : 0;
  let df: number;
  let stderr: number;
  if (varEqual) {
    df = nx + ny - 2;
    let v = 0;
    if (nx > 1) v += (nx - 1) * vx;
    if (ny > 1) v += (ny - 1) * vy;
    v /= df;
    stderr = Math.sqrt(v * (1 / nx + 1 / ny));
  } else {
    const sx2 = vx / nx;
    const sy2 = vy / ny;
    stderr = Math.sqrt(sx2 + sy2);
    // Welch–Satterthwaite degrees of freedom.
    df = (stderr ** 4) / ((sx2 * sx2) / (nx - 1) + (sy2 * sy2) / (ny - 1));
  }
  if (stderr < 10 * Number.EPSILON * Math.max(Math.abs(mx), Math.abs(my))) {
    throw new InputError("tTest: data are essentially constant");
  }
  const statistic = (mx - my) / stderr;
  const p = 2 * pt(-Math.abs(statistic), df);
  const q = qt(1 - (1 - confLevel) / 2, df);
  const confInt: [number, number] = [(statistic - q) * stderr, (statistic + q) * stderr];
  const method = varEqual ? " Two Sample t-test" : "Welch Two Sample t-test";
  return { statistic, df, p, confInt, estimate: [mx, my], stderr, method };
}
