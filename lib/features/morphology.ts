/**
 * IBSI morphological features (IBSI 1 manual, section "Morphological features"), keyed by MIRP tags.
 * Mesh-based features use marching cubes on the morphological mask; voxel-based ones (PCA axes, centre
 * of mass, Moran's I, Geary's C) use voxel centres; intensity-weighted ones use the intensity mask.
 */
import type { ProcessedRoi } from "./roi.js";
import { convexHull3d, marchingCubes, meshVolumeArea } from "./marchingCubes.js";

export function morphologyFeatures(roi: ProcessedRoi): Record<string, number> {
  const { dims, spacing, morphMask, intensityMask, intensity } = roi;
  const [nx, ny] = dims;
  const mesh = marchingCubes(morphMask, dims, spacing);
  const { volume: signedVolume, area } = meshVolumeArea(mesh.vertices, mesh.faces);
  const volume = Math.abs(signedVolume);

  let nMorph = 0;
  for (let i = 0; i < morphMask.length; i++) nMorph += morphMask[i];
  const voxelVolume = spacing[0] * spacing[1] * spacing[2];

  const f: Record<string, number> = {};
  f.morph_volume = volume;
  f.morph_vol_approx = nMorph * voxelVolume;
  f.morph_area_mesh = area;
  f.morph_av = area / volume;
  f.morph_comp_1 = volume / (Math.sqrt(Math.PI) * Math.pow(area, 1.5));
  f.morph_comp_2 = (36 * Math.PI * volume * volume) / (area * area * area);
  f.morph_sph_dispr = area / Math.cbrt(36 * Math.PI * volume * volume);
  f.morph_sphericity = Math.cbrt(36 * Math.PI * volume * volume) / area;
  f.morph_asphericity = Math.cbrt((area * area * area) / (36 * Math.PI * volume * volume)) - 1;

  // Centre of mass shift: geometric centre of the morphological mask vs intensity-weighted centre of the
  // intensity mask.
  const cm = [0, 0, 0];
  const ci = [0, 0, 0];
  let wsum = 0;
  let isum = 0;
  let nInt = 0;
  for (let idx = 0; idx < morphMask.length; idx++) {
    const i = idx % nx;
    const j = Math.floor(idx / nx) % ny;
    const k = Math.floor(idx / (nx * ny));
    if (morphMask[idx]) {
      cm[0] += i;
      cm[1] += j;
      cm[2] += k;
    }
    if (intensityMask[idx]) {
      const g = intensity[idx];
      ci[0] += g * i;
      ci[1] += g * j;
      ci[2] += g * k;
      wsum += g;
      isum += g;
      nInt++;
    }
  }
  let com2 = 0;
  for (let a = 0; a < 3; a++) com2 += ((cm[a] / nMorph - ci[a] / wsum) * spacing[a]) ** 2;
  f.morph_com = Math.sqrt(com2);

  // Convex hull of the mesh vertices (exact, on the half-voxel lattice), then scaled to mm.
  const hull = convexHull3d(mesh.halfVoxel);
  let hullVolume = NaN;
  let hullArea = NaN;
  let diameter = 0;
  if (hull) {
    const hv = meshVolumeArea(mesh.vertices, hull.faces);
    hullVolume = Math.abs(hv.volume);
    hullArea = hv.area;
    diameter = maxPairDistance(mesh.vertices, hull.vertices);
  }
  f.morph_diam = diameter;

  // PCA of the morphological-mask voxel centres (mm), sample covariance as MIRP (np.cov).
  const ev = voxelCovarianceEigen(morphMask, dims, spacing);
  const [lMajor, lMinor, lLeast] = ev;
  f.morph_pca_maj_axis = 4 * Math.sqrt(lMajor);
  f.morph_pca_min_axis = 4 * Math.sqrt(lMinor);
  f.morph_pca_least_axis = 4 * Math.sqrt(lLeast);
  f.morph_pca_elongation = Math.sqrt(lMinor / lMajor);
  f.morph_pca_flatness = Math.sqrt(lLeast / lMajor);

  // Axis-aligned bounding box of the mesh.
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let v = 0; v < mesh.vertices.length; v += 3) {
    for (let a = 0; a < 3; a++) {
      const x = mesh.vertices[v + a];
      if (x < lo[a]) lo[a] = x;
      if (x > hi[a]) hi[a] = x;
    }
  }
  const ext = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]];
  f.morph_vol_dens_aabb = volume / (ext[0] * ext[1] * ext[2]);
  f.morph_area_dens_aabb = area / (2 * (ext[0] * ext[1] + ext[0] * ext[2] + ext[1] * ext[2]));

  // Approximate enclosing ellipsoid: semi-axes 2 sqrt(lambda).
  const a = 2 * Math.sqrt(lMajor);
  const b = 2 * Math.sqrt(lMinor);
  const c = 2 * Math.sqrt(lLeast);
  f.morph_vol_dens_aee = (3 * volume) / (4 * Math.PI * a * b * c);
  f.morph_area_dens_aee = area / ellipsoidArea(a, b, c);

  f.morph_vol_dens_conv_hull = volume / hullVolume;
  f.morph_area_dens_conv_hull = area / hullArea;

  f.morph_integ_int = nInt > 0 ? volume * (isum / nInt) : NaN;

  const spatial = moranGeary(roi);
  f.morph_moran_i = spatial.moranI;
  f.morph_geary_c = spatial.gearyC;
  return f;
}

/** Largest distance between any two of the chosen vertices (mm). */
function maxPairDistance(vertices: Float64Array, which: Int32Array): number {
  const m = which.length;
  const x = new Float64Array(m), y = new Float64Array(m), z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    x[i] = vertices[3 * which[i]];
    y[i] = vertices[3 * which[i] + 1];
    z[i] = vertices[3 * which[i] + 2];
  }
  let best = 0;
  for (let i = 0; i < m; i++) {
    const xi = x[i], yi = y[i], zi = z[i];
    for (let j = i + 1; j < m; j++) {
      const d = (x[j] - xi) ** 2 + (y[j] - yi) ** 2 + (z[j] - zi) ** 2;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

/** Eigenvalues (descending) of the sample covariance of voxel-centre positions in mm. */
function voxelCovarianceEigen(mask: Uint8Array, dims: [number, number, number], spacing: [number, number, number]): [number, number, number] {
  const [nx, ny] = dims;
  let n = 0;
  const s = [0, 0, 0];
  for (let idx = 0; idx < mask.length; idx++) {
    if (!mask[idx]) continue;
    n++;
    s[0] += (idx % nx) * spacing[0];
    s[1] += (Math.floor(idx / nx) % ny) * spacing[1];
    s[2] += Math.floor(idx / (nx * ny)) * spacing[2];
  }
  if (n < 2) return [NaN, NaN, NaN];
  const m = s.map((v) => v / n);
  const C = [0, 0, 0, 0, 0, 0]; // xx, yy, zz, xy, xz, yz
  for (let idx = 0; idx < mask.length; idx++) {
    if (!mask[idx]) continue;
    const x = (idx % nx) * spacing[0] - m[0];
    const y = (Math.floor(idx / nx) % ny) * spacing[1] - m[1];
    const z = Math.floor(idx / (nx * ny)) * spacing[2] - m[2];
    C[0] += x * x;
    C[1] += y * y;
    C[2] += z * z;
    C[3] += x * y;
    C[4] += x * z;
    C[5] += y * z;
  }
  const A = [
    [C[0], C[3], C[4]],
    [C[3], C[1], C[5]],
    [C[4], C[5], C[2]],
  ].map((r) => r.map((v) => v / (n - 1)));
  const ev = symmetricEigenvalues3(A).sort((p, q) => q - p);
  return [Math.max(ev[0], 0), Math.max(ev[1], 0), Math.max(ev[2], 0)];
}

/** Eigenvalues of a symmetric 3×3 matrix by cyclic Jacobi rotations. */
export function symmetricEigenvalues3(M: number[][]): number[] {
  const a = M.map((r) => r.slice());
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    const scale = a[0][0] ** 2 + a[1][1] ** 2 + a[2][2] ** 2;
    if (off <= 1e-30 * scale || off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (a[p][q] === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p], akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k], aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
    }
  }
  return [a[0][0], a[1][1], a[2][2]];
}

/**
 * Surface area of an ellipsoid with semi-axes a >= b >= c: IBSI's Legendre series
 * 4 pi a b sum_nu (alpha beta)^nu / (1 - 4 nu^2) P_nu((alpha^2 + beta^2) / (2 alpha beta)), 20 terms,
 * with closed forms for spheres and spheroids (where the series argument is undefined).
 */
export function ellipsoidArea(a: number, b: number, c: number): number {
  const eq = (x: number, y: number) => Math.abs(x - y) <= 1e-12 * Math.max(x, y);
  if (eq(a, b) && eq(b, c)) return 4 * Math.PI * a * a;
  if (eq(b, c)) {
    // Prolate spheroid (a > b = c).
    const e = Math.sqrt(1 - (c * c) / (a * a));
    return 2 * Math.PI * c * c * (1 + (a * Math.asin(e)) / (c * e));
  }
  if (eq(a, b)) {
    // Oblate spheroid (a = b > c).
    const e = Math.sqrt(1 - (c * c) / (a * a));
    return 2 * Math.PI * a * a * (1 + ((1 - e * e) / e) * Math.atanh(e));
  }
  const alpha = Math.sqrt(1 - (b * b) / (a * a));
  const beta = Math.sqrt(1 - (c * c) / (a * a));
  const x = (alpha * alpha + beta * beta) / (2 * alpha * beta);
  let pPrev = 1; // P_0
  let p = x; // P_1
  let sum = 1; // nu = 0 term
  let ab = alpha * beta;
  sum += (ab * p) / (1 - 4);
  for (let nu = 2; nu <= 20; nu++) {
    const pNext = ((2 * nu - 1) * x * p - (nu - 1) * pPrev) / nu;
    pPrev = p;
    p = pNext;
    ab *= alpha * beta;
    sum += (ab * p) / (1 - 4 * nu * nu);
  }
  return 4 * Math.PI * a * b * sum;
}

/**
 * Moran's I and Geary's C over the intensity-mask voxels with weights 1 / distance (mm). Small ROIs are
 * summed over all pairs; larger ones exactly via FFT: with d the deviation field (0 outside the mask)
 * and K(r) = 1/|r|, the pair sums are circular correlations on a grid padded to >= 2n - 1, evaluated
 * through Parseval so that only two forward transforms are needed. (MIRP samples random subsets for
 * large ROIs instead; IBSI defines the exact sum.)
 */
export function moranGeary(roi: ProcessedRoi, options: { directMax?: number } = {}): { moranI: number; gearyC: number } {
  const { dims, spacing, intensityMask, intensity } = roi;
  const [nx, ny, nz] = dims;
  const idxs: number[] = [];
  let sum = 0;
  for (let i = 0; i < intensityMask.length; i++)
    if (intensityMask[i]) {
      idxs.push(i);
      sum += intensity[i];
    }
  const n = idxs.length;
  if (n < 2) return { moranI: NaN, gearyC: NaN };
  const mean = sum / n;
  let ss = 0;
  for (const i of idxs) ss += (intensity[i] - mean) ** 2;
  // A constant ROI is perfectly autocorrelated (MIRP's convention).
  if (ss === 0) return { moranI: 1, gearyC: 1 };

  let W: number; // sum over ordered pairs i != j of w_ij
  let Sdd: number; // sum w_ij d_i d_j
  let Sdiff: number; // sum w_ij (d_i - d_j)^2
  if (n <= (options.directMax ?? 3000)) {
    const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n), d = new Float64Array(n);
    idxs.forEach((idx, t) => {
      x[t] = (idx % nx) * spacing[0];
      y[t] = (Math.floor(idx / nx) % ny) * spacing[1];
      z[t] = Math.floor(idx / (nx * ny)) * spacing[2];
      d[t] = intensity[idx] - mean;
    });
    W = 0;
    Sdd = 0;
    Sdiff = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const w = 1 / Math.sqrt((x[p] - x[q]) ** 2 + (y[p] - y[q]) ** 2 + (z[p] - z[q]) ** 2);
        W += w;
        Sdd += w * d[p] * d[q];
        Sdiff += w * (d[p] - d[q]) ** 2;
      }
    }
    W *= 2;
    Sdd *= 2;
    Sdiff *= 2;
  } else {
    ({ W, Sdd, Sdiff } = spatialSumsFft(roi, mean));
  }
  return { moranI: (n * Sdd) / (W * ss), gearyC: ((n - 1) * Sdiff) / (2 * W * ss) };
}

function spatialSumsFft(roi: ProcessedRoi, mean: number): { W: number; Sdd: number; Sdiff: number } {
  const { dims, spacing, intensityMask, intensity } = roi;
  // Work on the intensity mask's bounding box only.
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  const [nx, ny] = dims;
  for (let idx = 0; idx < intensityMask.length; idx++) {
    if (!intensityMask[idx]) continue;
    const c = [idx % nx, Math.floor(idx / nx) % ny, Math.floor(idx / (nx * ny))];
    for (let a = 0; a < 3; a++) {
      if (c[a] < lo[a]) lo[a] = c[a];
      if (c[a] > hi[a]) hi[a] = c[a];
    }
  }
  const m = [0, 1, 2].map((a) => hi[a] - lo[a] + 1);
  const P = m.map((v) => nextPow2(2 * v - 1));
  const size = P[0] * P[1] * P[2];
  // Field 1: mask + i * deviation. Field 2: kernel + i * deviation^2.
  const re1 = new Float64Array(size), im1 = new Float64Array(size);
  const re2 = new Float64Array(size), im2 = new Float64Array(size);
  for (let k = 0; k < m[2]; k++)
    for (let j = 0; j < m[1]; j++)
      for (let i = 0; i < m[0]; i++) {
        const src = lo[0] + i + nx * (lo[1] + j + ny * (lo[2] + k));
        if (!intensityMask[src]) continue;
        const dst = i + P[0] * (j + P[1] * k);
        const d = intensity[src] - mean;
        re1[dst] = 1;
        im1[dst] = d;
        im2[dst] = d * d;
      }
  // Kernel 1/r at every offset, wrapped onto the periodic grid.
  const sq = [0, 1, 2].map((a) => Float64Array.from({ length: 2 * m[a] - 1 }, (_, t) => ((t - (m[a] - 1)) * spacing[a]) ** 2));
  const wrap = [0, 1, 2].map((a) => Int32Array.from({ length: 2 * m[a] - 1 }, (_, t) => (t - (m[a] - 1) + P[a]) % P[a]));
  for (let tz = 0; tz < 2 * m[2] - 1; tz++)
    for (let ty = 0; ty < 2 * m[1] - 1; ty++) {
      const rowBase = P[0] * (wrap[1][ty] + P[1] * wrap[2][tz]);
      const syz = sq[1][ty] + sq[2][tz];
      for (let tx = 0; tx < 2 * m[0] - 1; tx++) {
        const r2 = sq[0][tx] + syz;
        if (r2 > 0) re2[rowBase + wrap[0][tx]] = 1 / Math.sqrt(r2);
      }
    }
  fft3d(re1, im1, P);
  fft3d(re2, im2, P);
  let W = 0, Sdd = 0, Sqm = 0;
  for (let kz = 0; kz < P[2]; kz++) {
    const mz = kz === 0 ? 0 : P[2] - kz;
    for (let ky = 0; ky < P[1]; ky++) {
      const my = ky === 0 ? 0 : P[1] - ky;
      for (let kx = 0; kx < P[0]; kx++) {
        const mx = kx === 0 ? 0 : P[0] - kx;
        const a = kx + P[0] * (ky + P[1] * kz);
        const b = mx + P[0] * (my + P[1] * mz);
        // Split the packed transforms: F(u + i v) = U + i V with U, V Hermitian.
        const Mr = (re1[a] + re1[b]) / 2, Mi = (im1[a] - im1[b]) / 2;
        const Dr = (im1[a] + im1[b]) / 2, Di = (re1[b] - re1[a]) / 2;
        const Kr = (re2[a] + re2[b]) / 2; // kernel is real and even: its transform is real
        const Qr = (im2[a] + im2[b]) / 2, Qi = (re2[b] - re2[a]) / 2;
        W += Kr * (Mr * Mr + Mi * Mi);
        Sdd += Kr * (Dr * Dr + Di * Di);
        Sqm += Kr * (Qr * Mr + Qi * Mi); // Re(conj(Q) M) K
      }
    }
  }
  W /= size;
  Sdd /= size;
  Sqm /= size;
  return { W, Sdd, Sdiff: 2 * Sqm - 2 * Sdd };
}

function nextPow2(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}

/**
 * In-place 3-D complex FFT (radix-2). Each axis is transformed for all lines at once: butterflies
 * combine whole contiguous blocks (the faster axes), which keeps memory access sequential.
 */
function fft3d(re: Float64Array, im: Float64Array, P: number[]): void {
  const [px, py, pz] = P;
  for (let z = 0; z < pz; z++) for (let y = 0; y < py; y++) fftBlocks(re, im, (y + py * z) * px, 1, px);
  for (let z = 0; z < pz; z++) fftBlocks(re, im, z * px * py, px, py);
  fftBlocks(re, im, 0, px * py, pz);
}

const twiddleCache = new Map<number, { c: Float64Array; s: Float64Array }>();

/** FFT of length `len` along an axis whose samples are blocks of `block` contiguous values. */
function fftBlocks(re: Float64Array, im: Float64Array, offset: number, block: number, len: number): void {
  if (len <= 1) return;
  for (let i = 1, j = 0; i < len; i++) {
    let bit = len >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const a = offset + i * block, b = offset + j * block;
      for (let t = 0; t < block; t++) {
        let x = re[a + t];
        re[a + t] = re[b + t];
        re[b + t] = x;
        x = im[a + t];
        im[a + t] = im[b + t];
        im[b + t] = x;
      }
    }
  }
  let tw = twiddleCache.get(len);
  if (!tw) {
    const c = new Float64Array(len / 2), s = new Float64Array(len / 2);
    for (let k = 0; k < len / 2; k++) {
      c[k] = Math.cos((-2 * Math.PI * k) / len);
      s[k] = Math.sin((-2 * Math.PI * k) / len);
    }
    tw = { c, s };
    twiddleCache.set(len, tw);
  }
  if (block === 1) {
    // Contiguous line: scalar butterflies without the block loop.
    for (let size = 2; size <= len; size <<= 1) {
      const half = size >> 1;
      const step = len / size;
      for (let i = 0; i < len; i += size) {
        for (let k = 0; k < half; k++) {
          const wr = tw.c[k * step], wi = tw.s[k * step];
          const a = offset + i + k, b = a + half;
          const br = re[b], bi = im[b];
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    return;
  }
  for (let size = 2; size <= len; size <<= 1) {
    const half = size >> 1;
    const step = len / size;
    for (let i = 0; i < len; i += size) {
      for (let k = 0; k < half; k++) {
        const wr = tw.c[k * step], wi = tw.s[k * step];
        const a = offset + (i + k) * block, b = offset + (i + k + half) * block;
        for (let t = 0; t < block; t++) {
          const br = re[b + t], bi = im[b + t];
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          re[b + t] = re[a + t] - xr;
          im[b + t] = im[a + t] - xi;
          re[a + t] += xr;
          im[a + t] += xi;
        }
      }
    }
  }
}
