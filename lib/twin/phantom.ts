/**
 * Building blocks of the twin's synthetic anatomy: smooth (Gaussian-filtered) noise fields with a
 * chosen correlation length, star-shaped surfaces with random bumps (an irregular tumour margin, a
 * ragged necrotic core, a reader's wobble around the true boundary), and tubes (vessels). Everything
 * is in millimetres on the voxel grid; all randomness comes from the Rng passed in.
 */
import type { Rng } from "../random/rng.js";

export type Vec3 = [number, number, number];

/**
 * Fills `out` with standard normal deviates by Marsaglia's polar method, taking both coordinates of
 * the candidate point from one rng.uniform() call (its 53 random bits split 26 + 27). Several times
 * faster than rng.normal() for the millions of noise values an image needs, with no sin/cos; the
 * 26-bit coordinates only cap |x| near 8.
 */
export function fillNormal(rng: Rng, out: Float32Array | Float64Array): void {
  const n = out.length;
  let i = 0;
  while (i < n) {
    const x = rng.uniform() * 9007199254740992; // 2^53: an integer below 2^53
    const hi = Math.floor(x / 134217728); // top 26 bits
    const lo = x - hi * 134217728; // low 27 bits
    const u = (hi + 0.5) / 33554432 - 1; // (−1, 1)
    const v = (lo + 0.5) / 67108864 - 1;
    const s = u * u + v * v;
    if (s >= 1) continue;
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < n) out[i++] = v * f;
  }
}

/** Normalised 1-D Gaussian kernel for a standard deviation in voxels (radius 3σ). */
export function gaussianKernel(sigmaVox: number): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigmaVox));
  const w = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += w[i + r] = Math.exp((-0.5 * i * i) / (sigmaVox * sigmaVox));
  for (let i = 0; i < w.length; i++) w[i] /= s;
  return w;
}

/** Below this σ (voxels) an axis is left unfiltered: the kernel would be ~[0, 1, 0] anyway. */
const MIN_SIGMA_VOX = 0.5;

/**
 * Gaussian random field on an nx × ny × nz box (x fastest) with unit variance and Gaussian
 * autocorrelation of standard deviation sigmaVox per axis: white noise on a box padded by the
 * kernel radius, filtered axis by axis keeping only the "valid" part, so every output voxel has
 * the same variance Π Σw² — divided out exactly, not estimated.
 */
export function smoothNoise(rng: Rng, dims: [number, number, number], sigmaVox: [number, number, number]): Float32Array {
  const kernels = sigmaVox.map((s) => (s >= MIN_SIGMA_VOX ? gaussianKernel(s) : Float64Array.of(1)));
  const pad = kernels.map((k) => (k.length - 1) / 2);
  let cur = [dims[0] + 2 * pad[0], dims[1] + 2 * pad[1], dims[2] + 2 * pad[2]];
  let a = new Float32Array(cur[0] * cur[1] * cur[2]);
  fillNormal(rng, a);
  let variance = 1;
  for (let axis = 0; axis < 3; axis++) {
    const k = kernels[axis];
    variance *= k.reduce((s, w) => s + w * w, 0);
    if (k.length === 1) continue;
    const next = [...cur];
    next[axis] = dims[axis];
    const b = new Float32Array(next[0] * next[1] * next[2]);
    const stride = axis === 0 ? 1 : axis === 1 ? cur[0] : cur[0] * cur[1];
    const nk = k.length;
    for (let z = 0; z < next[2]; z++) {
      for (let y = 0; y < next[1]; y++) {
        const outRow = next[0] * (y + next[1] * z);
        const inRow = cur[0] * (y + cur[1] * z);
        for (let x = 0; x < next[0]; x++) {
          let s = 0;
          let q = inRow + x;
          for (let t = 0; t < nk; t++, q += stride) s += k[t] * a[q];
          b[outRow + x] = s;
        }
      }
    }
    a = b;
    cur = next;
  }
  const scale = 1 / Math.sqrt(variance);
  for (let p = 0; p < a.length; p++) a[p] *= scale;
  return a;
}

/** A bump (amp > 0) or dent (amp < 0) of a star-shaped surface, centred on direction v, width ~1/√κ rad. */
export interface Lobe {
  v: Vec3;
  kappa: number;
  amp: number;
}

/** Uniform random direction on the unit sphere. */
export function randomDirection(rng: Rng): Vec3 {
  const z = 2 * rng.uniform() - 1;
  const phi = 2 * Math.PI * rng.uniform();
  const r = Math.sqrt(1 - z * z);
  return [r * Math.cos(phi), r * Math.sin(phi), z];
}

/** n lobes with widths κ ∈ [kMin, kMax] and amplitudes N(0, sd²). */
export function randomLobes(rng: Rng, n: number, sd: number, kMin: number, kMax: number): Lobe[] {
  return Array.from({ length: n }, () => ({ v: randomDirection(rng), kappa: kMin + (kMax - kMin) * rng.uniform(), amp: sd * rng.normal() }));
}

/** Mean of a lobe's bump exp(κ(u·v − 1)) over the sphere: (1 − e^(−2κ))/(2κ). */
const lobeMean = (kappa: number): number => (1 - Math.exp(-2 * kappa)) / (2 * kappa);

/**
 * Σ amp·(exp(κ(u·v − 1)) − m(κ)) for a unit direction u, where m(κ) is the bump's mean over the
 * sphere: lobes reshape a surface without changing its average radius. |result| ≤ Σ|amp|.
 */
export function lobeSum(lobes: readonly Lobe[], u: ArrayLike<number>): number {
  let s = 0;
  for (const l of lobes) {
    const c = u[0] * l.v[0] + u[1] * l.v[1] + u[2] * l.v[2];
    s += l.amp * (Math.exp(l.kappa * (c - 1)) - lobeMean(l.kappa));
  }
  return s;
}

/**
 * lobeSum for many directions at once: u holds unit vectors (x, y, z per entry); out[e] gets the sum
 * for entry idx[e] (or entry e when idx is omitted). One call per field keeps the loop in one place.
 */
export function lobeSums(lobes: readonly Lobe[], u: Float32Array, out: Float32Array, idx?: Int32Array, count = idx ? idx.length : out.length): void {
  const nl = lobes.length;
  const vx = Float64Array.from(lobes, (l) => l.v[0]);
  const vy = Float64Array.from(lobes, (l) => l.v[1]);
  const vz = Float64Array.from(lobes, (l) => l.v[2]);
  const kap = Float64Array.from(lobes, (l) => l.kappa);
  const amp = Float64Array.from(lobes, (l) => l.amp);
  let mean = 0;
  for (const l of lobes) mean += l.amp * lobeMean(l.kappa);
  for (let e = 0; e < count; e++) {
    const q = idx ? idx[e] : e;
    const x = u[3 * q], y = u[3 * q + 1], z = u[3 * q + 2];
    let s = -mean;
    for (let m = 0; m < nl; m++) s += amp[m] * Math.exp(kap[m] * (x * vx[m] + y * vy[m] + z * vz[m] - 1));
    out[e] = s;
  }
}

/** A straight tube (vessel segment) from a to b with a radius in mm. */
export interface Tube {
  a: Vec3;
  b: Vec3;
  radius: number;
}

/** Fraction of a voxel inside a boundary at signed distance d (mm, negative inside): a linear ramp of width `edge`. */
export const partialVolume = (d: number, edge: number): number => Math.min(1, Math.max(0, 0.5 - d / edge));

/** Axis-aligned grid of voxel centres: origin + spacing·index, identity direction. */
export interface AxisGrid {
  dims: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
}

/**
 * Partial-volume weight of a set of tubes on a grid (max over tubes of a ramp of width `edge` at each
 * tube's wall). Each row of voxels along x meets a tube's infinite line within reach on one interval,
 * found from a quadratic in x; only voxels there get the exact distance to the segment.
 */
export function tubeWeights(tubes: readonly Tube[], grid: AxisGrid, edge: number): Float32Array {
  const [nx, ny, nz] = grid.dims;
  const [sx, sy, sz] = grid.spacing;
  const [ox, oy, oz] = grid.origin;
  const out = new Float32Array(nx * ny * nz);
  for (const t of tubes) {
    const d0 = t.b[0] - t.a[0], d1 = t.b[1] - t.a[1], d2 = t.b[2] - t.a[2];
    const len2 = d0 * d0 + d1 * d1 + d2 * d2;
    if (!(len2 > 0)) continue;
    const len = Math.sqrt(len2);
    const e0 = d0 / len, e1 = d1 / len, e2 = d2 / len;
    const reach = t.radius + edge / 2;
    const A = 1 - e0 * e0;
    for (let k = 0; k < nz; k++) {
      const c2 = oz + k * sz - t.a[2];
      for (let j = 0; j < ny; j++) {
        const c1 = oy + j * sy - t.a[1];
        // Squared distance to the line at x − a0 = X: A·X² + B·X + C.
        const m = c1 * e1 + c2 * e2;
        const B = -2 * e0 * m;
        const C = c1 * c1 + c2 * c2 - m * m;
        let iLo = 0, iHi = nx - 1;
        if (A > 1e-12) {
          const disc = B * B - 4 * A * (C - reach * reach);
          if (disc < 0) continue;
          const sq = Math.sqrt(disc);
          iLo = Math.max(0, Math.ceil((t.a[0] + (-B - sq) / (2 * A) - ox) / sx));
          iHi = Math.min(nx - 1, Math.floor((t.a[0] + (-B + sq) / (2 * A) - ox) / sx));
        } else if (C > reach * reach) continue;
        const row = nx * (j + ny * k);
        for (let i = iLo; i <= iHi; i++) {
          const w0 = ox + i * sx - t.a[0];
          const s = Math.min(1, Math.max(0, (w0 * d0 + c1 * d1 + c2 * d2) / len2));
          const f0 = w0 - s * d0, f1 = c1 - s * d1, f2 = c2 - s * d2;
          const w = partialVolume(Math.sqrt(f0 * f0 + f1 * f1 + f2 * f2) - t.radius, edge);
          if (w > out[row + i]) out[row + i] = w;
        }
      }
    }
  }
  return out;
}
