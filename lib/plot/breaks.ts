/**
 * Axis breaks as ggplot2 chooses them (scales::extended_breaks, i.e. Talbot, Lin & Hanrahan's
 * "extended" Wilkinson algorithm with labeling's default weights), so a time axis and the
 * number-at-risk columns under it fall where a survminer user expects (0, 250, 500, ... for lung).
 */

const Q = [1, 5, 2, 2.5, 4, 3];
const W = [0.25, 0.2, 0.5, 0.05];
const EPS = 2.220446049250313e-16 * 100;

function simplicity(qi: number, j: number, lmin: number, lmax: number, lstep: number): number {
  const r = ((lmin % lstep) + lstep) % lstep;
  const zeroIncluded = (r < EPS || lstep - r < EPS) && lmin <= 0 && lmax >= 0 ? 1 : 0;
  return 1 - qi / (Q.length - 1) - j + zeroIncluded;
}

function coverage(dmin: number, dmax: number, lmin: number, lmax: number): number {
  const range = dmax - dmin;
  return 1 - (0.5 * ((dmax - lmax) ** 2 + (dmin - lmin) ** 2)) / (0.1 * range) ** 2;
}

function coverageMax(dmin: number, dmax: number, span: number): number {
  const range = dmax - dmin;
  if (span <= range) return 1;
  const half = (span - range) / 2;
  return 1 - (0.5 * (2 * half * half)) / (0.1 * range) ** 2;
}

function density(k: number, m: number, dmin: number, dmax: number, lmin: number, lmax: number): number {
  const r = (k - 1) / (lmax - lmin);
  const rt = (m - 1) / (Math.max(lmax, dmax) - Math.min(dmin, lmin));
  return 2 - Math.max(r / rt, rt / r);
}

const densityMax = (k: number, m: number) => (k >= m ? 2 - (k - 1) / (m - 1) : 1);

/** labeling::extended(dmin, dmax, m): about m "nice" breaks covering [dmin, dmax]. */
export function extendedBreaks(dmin: number, dmax: number, m = 5): number[] {
  if (!Number.isFinite(dmin) || !Number.isFinite(dmax)) return [];
  if (dmin > dmax) [dmin, dmax] = [dmax, dmin];
  if (dmax - dmin < EPS) return [dmin];
  let best = { lmin: dmin, lmax: dmax, lstep: dmax - dmin, score: -2 };
  // The search is bounded by the score upper bounds, as in the published algorithm; the hard caps
  // on j, k and z only guard against a pathological input looping forever.
  outer: for (let j = 1; j < 50; j++) {
    for (let qi = 0; qi < Q.length; qi++) {
      const q = Q[qi];
      const sm = 1 - qi / (Q.length - 1) - j + 1;
      if (W[0] * sm + W[1] + W[2] + W[3] < best.score) break outer;
      for (let k = 2; k < 100; k++) {
        const dm = densityMax(k, m);
        if (W[0] * sm + W[1] + W[2] * dm + W[3] < best.score) break;
        const delta = (dmax - dmin) / (k + 1) / j / q;
        for (let z = Math.ceil(Math.log10(delta)); z < 400; z++) {
          const step = j * q * Math.pow(10, z);
          const cm = coverageMax(dmin, dmax, step * (k - 1));
          if (W[0] * sm + W[1] * cm + W[2] * dm + W[3] < best.score) break;
          const minStart = Math.floor(dmax / step) * j - (k - 1) * j;
          const maxStart = Math.ceil(dmin / step) * j;
          for (let start = minStart; start <= maxStart; start++) {
            const lmin = start * (step / j);
            const lmax = lmin + step * (k - 1);
            const score =
              W[0] * simplicity(qi, j, lmin, lmax, step) +
              W[1] * coverage(dmin, dmax, lmin, lmax) +
              W[2] * density(k, m, dmin, dmax, lmin, lmax) +
              W[3];
            if (score > best.score) best = { lmin, lmax, lstep: step, score };
          }
        }
      }
    }
  }
  const out: number[] = [];
  const count = Math.round((best.lmax - best.lmin) / best.lstep);
  // Multiply rather than accumulate so 0.1-type steps do not drift (0.30000000000000004).
  for (let i = 0; i <= count; i++) out.push(Number((best.lmin + i * best.lstep).toPrecision(12)));
  return out;
}

/** ggplot's breaks for a continuous axis with limits [lo, hi]: extended breaks inside the limits. */
export function axisBreaks(lo: number, hi: number, m = 5): number[] {
  const tol = 1e-10 * Math.max(1, Math.abs(hi - lo));
  return extendedBreaks(lo, hi, m).filter((b) => b >= lo - tol && b <= hi + tol);
}
