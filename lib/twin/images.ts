/**
 * The twin cohort's images: one contrast-enhanced T1 MR series per analysed patient (a liver crop
 * with parenchyma, vessels and one tumour) and four reader masks (2 readers × 2 readings). The
 * tumour's texture follows the patient's latent phenotype z (cohort.ts), the same z that drives the
 * hazard: higher z → wider intensity spread, coarser grain, more necrosis and a more irregular
 * margin. That is the only route by which radiomic features can carry prognostic signal.
 *
 * Every number below is an assumption of ours (none is in the paper except 3 T, 5 mm slices and the
 * in-plane resolution of a 224 × 166 matrix over an abdominal field of view); data/README.md lists
 * them with the formulas. Randomness: one stream per patient, forked in cohort order from a root
 * seeded by the twin's seed, so a patient's images do not depend on which other patients are made.
 */
import { InputError } from "../errors.js";
import { createRng, type Rng } from "../random/rng.js";
import { pnorm } from "../stats/distributions.js";
import type { Volume } from "../imaging/volume.js";
import { formatDS, uidFromText, writeDicomSeries, type DicomSeriesUids } from "../imaging/writeDicom.js";
import type { ClinicalRow, LatentRow, TwinTables } from "./cohort.js";
import { fillNormal, lobeSums, randomDirection, randomLobes, smoothNoise, tubeWeights, type Lobe, type Tube, type Vec3 } from "./phantom.js";

/** Partial-volume ramp (phantom.ts's partialVolume), local: it runs once per voxel in the loops below. */
const pv = (d: number, edge: number): number => (d <= -edge / 2 ? 1 : d >= edge / 2 ? 0 : 0.5 - d / edge);

export const imageDesign = {
  /** In-plane pixel spacing (mm), uniform per patient: mDIXON reconstructions of a 224 × 166 matrix. */
  spacingRange: [1.5, 1.8],
  sliceThickness: 5, // mm, paper
  fieldStrength: 3, // T, paper
  /** Crop: at least 96 × 96 pixels and 12 slices; larger for large tumours (tumour + margin). */
  minMatrix: 96,
  minSlices: 12,
  inPlaneMarginMm: 30,
  throughPlaneMarginMm: 12,
  /** Mean signals (arbitrary units) of the portal-venous phase: HCC washes out, vessels enhance. */
  signal: { liver: 600, outside: 270, vessel: 960, tumour: 420, necrosis: 170, capsule: 640 },
  /** Liver parenchyma: fine texture (unit field, σ mm) with relative amplitude. */
  liverTexture: { sigmaMm: 1.5, amplitude: 0.035, outsideAmplitude: 0.06 },
  /** Multiplicative coil bias field: 1 + Σ β·(x̂, ŷ, ẑ, x̂ŷ), β ~ N(0, sd²), coordinates scaled to [−1, 1]. */
  biasSd: 0.05,
  /** Thermal noise SD per channel (Rician magnitude): liver SNR ≈ 40. */
  noiseSd: 15,
  /** Partial-volume ramp widths (mm) at the tumour, liver and vessel boundaries. */
  edgeMm: { tumour: 1.2, liver: 1.5, vessel: 0.8 },
  /**
   * Phenotype z → texture and margin (tumour shape otherwise: in-plane semi-axes a = size/2,
   * b = a·U(0.75, 0.95), craniocaudal c = a·U(0.7, 0.95), random in-plane rotation).
   */
  phenotype: {
    heterogeneity: { at0: 0.12, perZ: 0.35 }, // SD of log signal in viable tumour: 0.12·e^(0.35 z)
    grainMm: { at0: 2.0, perZ: 0.3 }, // correlation length (Gaussian σ, mm): 2.0·e^(0.3 z)
    necrosis: { max: 0.55, slope: 1.2, centre: 0.3, min: 0.08 }, // core radius ratio 0.55·Φ(1.2(z − 0.3)), none below 0.08
    irregularity: { at0: 0.06, perZ: 0.3 }, // SD of margin lobe amplitudes: 0.06·e^(0.3 z)
  },
  capsuleProbability: 0.5,
  capsuleMm: 1.5,
  /**
   * Readers: a systematic offset of the drawn boundary (mm, + = larger), the share of the margin's
   * irregularity they follow (1 = every bump, < 1 = a smoother outline), a per-patient jitter of the
   * offset, and per reading: smooth wobble of the boundary and a per-slice offset (mm), each scaled
   * by (0.6 + a/25), a = the tumour's semi-axis in mm (a bigger lesion has a longer, less sure edge).
   */
  readers: [
    { offsetMm: 0.15, follow: 1.0 },
    { offsetMm: -0.1, follow: 0.85 },
  ],
  readerPatientSdMm: 0.15,
  readingWobbleSdMm: 0.35,
  readingSliceSdMm: 0.25,
} as const;

export interface TumourTruth {
  centre: Vec3;
  /** Semi-axes (mm): in-plane a ≥ b, craniocaudal c. */
  axes: Vec3;
  /** In-plane rotation of the a axis from +x (radians). */
  angle: number;
  margin: Lobe[];
  heterogeneity: number;
  grainMm: number;
  necrosisRatio: number;
  irregularity: number;
  capsule: boolean;
  /** Largest surface factor 1 + lobes over directions (sampled, + 0.05): bounds the tumour's extent. */
  maxFactor: number;
}

export interface ReaderMask {
  reader: 1 | 2;
  reading: 1 | 2;
  data: Uint8Array;
}

export interface TwinPatientImages {
  id: string;
  /** The generated signal (what the DICOM stores up to int16 quantisation), LPS grid. */
  image: Volume & { data: Float32Array };
  /** The true lesion (voxel centres inside the tumour surface). */
  lesion: Uint8Array;
  /** Voxels of the lesion with more than half necrotic tissue. */
  necrosis: Uint8Array;
  masks: ReaderMask[];
  tumour: TumourTruth;
  /** DICOM study date (YYYYMMDD) and time (HHMMSS). */
  studyDate: string;
  studyTime: string;
}

const round = (x: number, step: number): number => Math.round(x / step) * step;
/** Rounded to a few decimals and freed of binary noise (e.g. 1.6500000000000001 → 1.65). */
const clean = (x: number, decimals: number): number => Number(x.toFixed(decimals));

/** One independent stream per analysed patient, in cohort order, from the twin's seed. */
export function patientStreams(tables: TwinTables): Map<string, Rng> {
  // XOR with "imag": a root distinct from twinTables' createRng(seed), whose forks make the tables.
  const root = createRng((tables.seed ^ 0x696d6167) >>> 0);
  return new Map(tables.clinical.map((c) => [c.id, root.fork()]));
}

/** Ids to generate: all analysed patients, or the requested ones (cohort order; unknown ids are an error). */
export function selectIds(tables: TwinTables, ids?: readonly string[]): string[] {
  const all = tables.clinical.map((c) => c.id);
  if (ids === undefined) return all;
  const known = new Set(all);
  const bad = ids.filter((id) => !known.has(id));
  if (bad.length) throw new InputError(`twin images: ids ${bad.join(", ")} are not analysed patients of seed ${tables.seed} (e.g. ${all.slice(0, 3).join(", ")})`);
  const want = new Set(ids);
  return all.filter((id) => want.has(id));
}

/** Generates every selected patient's images and masks (in memory; writeTwin streams them to disk instead). */
export function twinImages(tables: TwinTables, options: { ids?: readonly string[] } = {}): TwinPatientImages[] {
  const streams = patientStreams(tables);
  return selectIds(tables, options.ids).map((id) => patientImages(tables, id, streams.get(id)!));
}

/** Images and masks of one analysed patient, from that patient's stream. */
export function patientImages(tables: TwinTables, id: string, rng: Rng): TwinPatientImages {
  const clinical = tables.clinical.find((c) => c.id === id);
  const latent = tables.latent.find((l) => l.id === id);
  if (!clinical || !latent) throw new InputError(`twin images: no analysed patient ${id}`);
  // Separate sub-streams, so that e.g. changing the noise model leaves the anatomy's draws intact.
  const rGeom = rng.fork();
  const rTexture = rng.fork();
  const rNoise = rng.fork();
  const rReaders = rng.fork();
  const g = geometry(rGeom, clinical, latent);
  const readings = drawReadings(g, rReaders);
  // One box around the tumour holds its partial-volume edge and every reader's boundary.
  const extra = Math.max(imageDesign.edgeMm.tumour, ...readings.map((rd) => rd.reach)) + 2;
  const field = tumourField(g, tumourBox(g, 1, extra));
  const { image, lesion, necrosis } = render(g, field, rTexture, rNoise);
  const masks = readings.map((rd) => rasterReading(g, field, rd));
  const days = Math.floor(rGeom.uniform() * 3287); // 2010-01-01 … 2018-12-31, the enrolment window
  const date = new Date(Date.UTC(2010, 0, 1) + days * 86400000).toISOString().slice(0, 10).replace(/-/g, "");
  const secs = 8 * 3600 + Math.floor(rGeom.uniform() * 9 * 3600);
  const time = [Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60].map((x) => String(x).padStart(2, "0")).join("");
  return { id, image, lesion, necrosis, masks, tumour: g.tumour, studyDate: date, studyTime: time };
}

interface Geometry {
  dims: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
  tumour: TumourTruth;
  liverNormal: Vec3;
  liverDistance: number;
  liverWave: { amp: number; period: number; phase: number };
  tubes: Tube[];
  bias: [number, number, number, number];
}

function geometry(r: Rng, clinical: ClinicalRow, latent: LatentRow): Geometry {
  const D = imageDesign;
  const z = latent.phenotype;
  const s = clean(D.spacingRange[0] + (D.spacingRange[1] - D.spacingRange[0]) * r.uniform(), 4);
  const a = (10 * clinical.tumourSize) / 2;
  const b = a * (0.75 + 0.2 * r.uniform());
  const c = a * (0.7 + 0.25 * r.uniform());
  const angle = Math.PI * r.uniform();
  const ph = D.phenotype;
  const irregularity = ph.irregularity.at0 * Math.exp(ph.irregularity.perZ * z);
  const tumour: TumourTruth = {
    centre: [0, 0, 0],
    axes: [a, b, c],
    angle,
    margin: randomLobes(r, 8, irregularity, 3, 12),
    heterogeneity: ph.heterogeneity.at0 * Math.exp(ph.heterogeneity.perZ * z),
    grainMm: ph.grainMm.at0 * Math.exp(ph.grainMm.perZ * z),
    necrosisRatio: ph.necrosis.max * pnorm(ph.necrosis.slope * (z - ph.necrosis.centre)),
    irregularity,
    capsule: r.uniform() < D.capsuleProbability,
    maxFactor: 1.4,
  };
  tumour.maxFactor = maxSurfaceFactor(tumour.margin);
  if (tumour.necrosisRatio < ph.necrosis.min) tumour.necrosisRatio = 0;
  // Crop: the tumour (up to 1.4× its ellipsoid with the margin's bumps) plus a margin of liver.
  const reach = 1.4 * a;
  const n = Math.max(D.minMatrix, 8 * Math.ceil((2 * (reach + D.inPlaneMarginMm)) / s / 8));
  const nz = Math.max(D.minSlices, Math.ceil((2 * 1.4 * c + 2 * D.throughPlaneMarginMm) / D.sliceThickness));
  // Right liver lobe in LPS (patient's right = −x, posterior = +y); the tumour sits near the crop centre.
  const centre: Vec3 = [-(75 + 20 * r.uniform()), 10 * r.normal(), -(20 + 60 * r.uniform())];
  const half = [((n - 1) * s) / 2, ((n - 1) * s) / 2, ((nz - 1) * D.sliceThickness) / 2];
  const origin = [0, 1, 2].map((k) => clean(round(centre[k] - half[k], 0.01), 2)) as [number, number, number];
  const slack = Math.max(0, half[2] - 1.4 * c - 4);
  tumour.centre = [centre[0] + 6 * (r.uniform() - 0.5), centre[1] + 6 * (r.uniform() - 0.5), centre[2] + slack * (r.uniform() - 0.5)];
  // Liver edge: a gently undulating plane beyond the tumour, at a random in-plane bearing.
  const psi = 2 * Math.PI * r.uniform();
  const liverNormal: Vec3 = [Math.cos(psi), Math.sin(psi), 0];
  const liverDistance = reach + 10 + 30 * r.uniform();
  const liverWave = { amp: 2 + 3 * r.uniform(), period: 60 + 60 * r.uniform(), phase: 2 * Math.PI * r.uniform() };
  // Vessels: a portal trunk passing beside the tumour with 3–5 branches, plus 2 small hepatic veins.
  const tubes: Tube[] = [];
  const off = randomDirection(r);
  off[2] *= 0.3;
  const offLen = Math.hypot(...off) || 1;
  const dist = reach + 6 + 25 * r.uniform();
  const p0: Vec3 = [0, 1, 2].map((k) => tumour.centre[k] + (off[k] / offLen) * dist) as Vec3;
  const dir = inPlaneish(r);
  const trunkR = 3 + 2.5 * r.uniform();
  tubes.push({ a: along(p0, dir, -250), b: along(p0, dir, 250), radius: trunkR });
  const nBranch = 3 + Math.floor(3 * r.uniform());
  for (let i = 0; i < nBranch; i++) {
    const start = along(p0, dir, -60 + 120 * r.uniform());
    const beta = ((35 + 40 * r.uniform()) * Math.PI) / 180;
    const e = perpendicular(dir, randomDirection(r));
    const bd: Vec3 = [0, 1, 2].map((k) => dir[k] * Math.cos(beta) * (r.uniform() < 0.5 ? -1 : 1) + e[k] * Math.sin(beta)) as Vec3;
    tubes.push({ a: start, b: along(start, bd, 40 + 70 * r.uniform()), radius: trunkR * (0.4 + 0.3 * r.uniform()) });
  }
  for (let i = 0; i < 2; i++) {
    const p: Vec3 = [0, 1, 2].map((k) => centre[k] + (r.uniform() - 0.5) * 2 * half[k]) as Vec3;
    const d = inPlaneish(r);
    tubes.push({ a: along(p, d, -250), b: along(p, d, 250), radius: 1.5 + 1.5 * r.uniform() });
  }
  const bias = [r.normal(), r.normal(), r.normal(), r.normal()].map((x) => D.biasSd * x) as Geometry["bias"];
  return { dims: [n, n, nz], spacing: [s, s, D.sliceThickness], origin, tumour, liverNormal, liverDistance, liverWave, tubes, bias };
}

/** max over ~2000 evenly spread directions of 1 + lobes, plus 0.05 for the gaps between them (≤ 1.4, the clamp). */
function maxSurfaceFactor(lobes: Lobe[]): number {
  const n = 2000;
  const u = new Float32Array(3 * n);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const z = 1 - (2 * i + 1) / n;
    const r = Math.sqrt(1 - z * z);
    u[3 * i] = r * Math.cos(golden * i);
    u[3 * i + 1] = r * Math.sin(golden * i);
    u[3 * i + 2] = z;
  }
  const out = new Float32Array(n);
  lobeSums(lobes, u, out);
  return Math.min(1.4, 1 + Math.max(...out) + 0.05);
}

const along = (p: Vec3, d: Vec3, t: number): Vec3 => [p[0] + t * d[0], p[1] + t * d[1], p[2] + t * d[2]];

/** A direction mostly in the axial plane (|z| ≤ 0.35 before normalising), as the main liver vessels run. */
function inPlaneish(r: Rng): Vec3 {
  const phi = 2 * Math.PI * r.uniform();
  const zc = 0.7 * (r.uniform() - 0.5);
  const l = Math.hypot(1, zc);
  return [Math.cos(phi) / l, Math.sin(phi) / l, zc / l];
}

/** The part of v perpendicular to unit d, normalised. */
function perpendicular(d: Vec3, v: Vec3): Vec3 {
  const t = d[0] * v[0] + d[1] * v[1] + d[2] * v[2];
  const w: Vec3 = [v[0] - t * d[0], v[1] - t * d[1], v[2] - t * d[2]];
  const l = Math.hypot(...w) || 1;
  return [w[0] / l, w[1] / l, w[2] / l];
}

/**
 * Radial geometry of every voxel in a box around the tumour, relative to star-shaped surfaces about
 * its centre: r (distance to the centre, mm), re (the ellipsoid's radius along the voxel's direction u),
 * lobes (the margin's bump sum at u) and u itself. A surface that follows a share f of the bumps has
 * radius Rs = re·(1 + f·lobes) along u; d = r − Rs is the signed radial distance (negative inside).
 * Computed once and shared by the image and the four reader masks.
 */
interface TumourField {
  lo: Vec3;
  dims: [number, number, number];
  r: Float32Array;
  re: Float32Array;
  lobes: Float32Array;
  u: Float32Array;
}

function tumourField(g: Geometry, bx: { lo: Vec3; hi: Vec3 }): TumourField {
  const t = g.tumour;
  const [a, b, c] = t.axes;
  const dims: [number, number, number] = [bx.hi[0] - bx.lo[0] + 1, bx.hi[1] - bx.lo[1] + 1, bx.hi[2] - bx.lo[2] + 1];
  const n = dims[0] * dims[1] * dims[2];
  const f: TumourField = { lo: bx.lo, dims, r: new Float32Array(n), re: new Float32Array(n), lobes: new Float32Array(n), u: new Float32Array(3 * n) };
  const cs = Math.cos(t.angle), sn = Math.sin(t.angle);
  const u: Vec3 = [1, 0, 0];
  let p = 0;
  for (let k = bx.lo[2]; k <= bx.hi[2]; k++) {
    const dz = g.origin[2] + k * g.spacing[2] - t.centre[2];
    for (let j = bx.lo[1]; j <= bx.hi[1]; j++) {
      const dy = g.origin[1] + j * g.spacing[1] - t.centre[1];
      for (let i = bx.lo[0]; i <= bx.hi[0]; i++, p++) {
        const dx = g.origin[0] + i * g.spacing[0] - t.centre[0];
        // Tumour frame: rotated so that the a axis is x.
        const q0 = cs * dx + sn * dy, q1 = -sn * dx + cs * dy, q2 = dz;
        const r = Math.sqrt(q0 * q0 + q1 * q1 + q2 * q2);
        if (r < 1e-9) {
          f.re[p] = Math.min(a, b, c);
          u[0] = 1; u[1] = 0; u[2] = 0;
        } else {
          u[0] = q0 / r; u[1] = q1 / r; u[2] = q2 / r;
          const rho = Math.sqrt((q0 / a) ** 2 + (q1 / b) ** 2 + (q2 / c) ** 2);
          f.re[p] = r / rho;
        }
        f.r[p] = r;
        f.u[3 * p] = u[0]; f.u[3 * p + 1] = u[1]; f.u[3 * p + 2] = u[2];
      }
    }
  }
  lobeSums(t.margin, f.u, f.lobes);
  return f;
}

/** Surface radius along a voxel's direction for a surface following a share `follow` of the margin bumps. */
const surfaceRadius = (f: TumourField, p: number, follow: number): number =>
  f.re[p] * Math.min(1.4, Math.max(0.6, 1 + follow * f.lobes[p]));

/** Index range [lo, hi] of voxels whose centres lie within `ext` mm of `centre` along each axis. */
function box(g: Pick<Geometry, "dims" | "spacing" | "origin">, centre: Vec3, ext: Vec3): { lo: Vec3; hi: Vec3 } {
  const lo = [0, 1, 2].map((k) => Math.max(0, Math.floor((centre[k] - ext[k] - g.origin[k]) / g.spacing[k]))) as Vec3;
  const hi = [0, 1, 2].map((k) => Math.min(g.dims[k] - 1, Math.ceil((centre[k] + ext[k] - g.origin[k]) / g.spacing[k]))) as Vec3;
  return { lo, hi };
}

/** Box around the tumour holding every point whose relative radius can reach `rel` (+ `extra` mm). */
function tumourBox(g: Geometry, rel: number, extra: number): { lo: Vec3; hi: Vec3 } {
  const [a, b, c] = g.tumour.axes;
  const m = g.tumour.maxFactor;
  const e = rel * m * Math.max(a, b) + extra;
  return box(g, g.tumour.centre, [e, e, rel * m * c + extra]);
}

function render(g: Geometry, f: TumourField, rTexture: Rng, rNoise: Rng): { image: TwinPatientImages["image"]; lesion: Uint8Array; necrosis: Uint8Array } {
  const D = imageDesign;
  const S = D.signal;
  const [nx, ny, nz] = g.dims;
  const [sx, sy, sz] = g.spacing;
  const nVox = nx * ny * nz;
  const t = g.tumour;
  const liverTex = smoothNoise(rTexture, g.dims, [D.liverTexture.sigmaMm / sx, D.liverTexture.sigmaMm / sy, D.liverTexture.sigmaMm / sz]);
  const tumTex = smoothNoise(rTexture, f.dims, [t.grainMm / sx, t.grainMm / sy, t.grainMm / sz]);
  const necrosisLobes = randomLobes(rTexture, 6, 0.35, 4, 16);
  const noise = new Float32Array(2 * nVox);
  fillNormal(rNoise, noise);
  const sigma = D.noiseSd;
  const data = new Float32Array(nVox);
  const lesion = new Uint8Array(nVox);
  const necrosis = new Uint8Array(nVox);
  const h = t.heterogeneity;
  const meanA = (t.axes[0] + t.axes[1] + t.axes[2]) / 3;
  // Necrotic core radius (relative) along each voxel's direction: lobed, never below 0.3 of the mean.
  // Needed only where the relative radius can fall below it: r/Rs + 0.12·T < 1.3·ratio·max lobes.
  const core = new Float32Array(f.r.length);
  if (t.necrosisRatio > 0) {
    const idx = new Int32Array(f.r.length);
    let n = 0;
    const limit = t.necrosisRatio * (1 + necrosisLobes.reduce((s, l) => s + Math.abs(l.amp), 0)) + 1;
    for (let q = 0; q < f.r.length; q++) if (f.r[q] < limit * surfaceRadius(f, q, 1)) idx[n++] = q;
    const vals = new Float32Array(n);
    lobeSums(necrosisLobes, f.u, vals, idx, n);
    for (let e = 0; e < n; e++) core[idx[e]] = t.necrosisRatio * Math.max(0.3, 1 + vals[e]);
  }
  // Liver edge: an undulating plane, the same on every slice (weights per in-plane position).
  const liverW = new Float32Array(nx * ny);
  const tl: Vec3 = [-g.liverNormal[1], g.liverNormal[0], 0];
  const w = g.liverWave;
  for (let j = 0; j < ny; j++) {
    const yw = g.origin[1] + j * sy;
    for (let i = 0; i < nx; i++) {
      const xw = g.origin[0] + i * sx;
      const sEdge =
        (xw - t.centre[0]) * g.liverNormal[0] + (yw - t.centre[1]) * g.liverNormal[1] - g.liverDistance -
        w.amp * Math.sin((2 * Math.PI * (xw * tl[0] + yw * tl[1])) / w.period + w.phase);
      liverW[i + nx * j] = pv(sEdge, D.edgeMm.liver);
    }
  }
  const vessels = tubeWeights(g.tubes, g, D.edgeMm.vessel);
  const halfExt = [((nx - 1) * sx) / 2, ((ny - 1) * sy) / 2, Math.max(1, ((nz - 1) * sz) / 2)];
  const mid = [g.origin[0] + halfExt[0], g.origin[1] + halfExt[1], g.origin[2] + halfExt[2]];
  const b = g.bias;
  const [flo0, flo1, flo2] = f.lo;
  const [fn0, fn1, fn2] = f.dims;
  const edgeT = D.edgeMm.tumour;
  for (let k = 0; k < nz; k++) {
    const zh = (g.origin[2] + k * sz - mid[2]) / halfExt[2];
    const fk = k - flo2;
    for (let j = 0; j < ny; j++) {
      const yh = (g.origin[1] + j * sy - mid[1]) / halfExt[1];
      const fj = j - flo1;
      const inRows = fk >= 0 && fk < fn2 && fj >= 0 && fj < fn1;
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        const wl = liverW[i + nx * j];
        const lt = liverTex[p];
        let v = wl * S.liver * (1 + D.liverTexture.amplitude * lt) + (1 - wl) * S.outside * (1 + D.liverTexture.outsideAmplitude * lt);
        const wv = vessels[p] * wl; // vessels only within the liver
        v = v * (1 - wv) + S.vessel * wv;
        const fi = i - flo0;
        if (inRows && fi >= 0 && fi < fn0) {
          const q = fi + fn0 * (fj + fn1 * fk);
          const r = f.r[q];
          const rs = surfaceRadius(f, q, 1);
          const d = r - rs;
          if (d <= 0) lesion[p] = 1;
          const wt = pv(d, edgeT);
          if (wt > 0) {
            const T = tumTex[q];
            let st = S.tumour * Math.exp(h * T - (h * h) / 2);
            if (t.necrosisRatio > 0) {
              // Ragged core: the relative radius, roughened by the texture field, below the lobed core radius.
              const wn = pv((r / rs + 0.12 * T - core[q]) * meanA, 1.5);
              if (wn > 0.5 && d <= 0) necrosis[p] = 1;
              st = st * (1 - wn) + S.necrosis * (1 + 0.05 * T) * wn;
            }
            if (t.capsule) {
              const wc = pv(-(d + D.capsuleMm), 1);
              st = st * (1 - wc) + S.capsule * wc;
            }
            v = v * (1 - wt) + st * wt;
          }
        }
        const xh = (g.origin[0] + i * sx - mid[0]) / halfExt[0];
        v *= 1 + b[0] * xh + b[1] * yh + b[2] * zh + b[3] * xh * yh;
        // Magnitude of a complex signal with Gaussian noise per channel: Rician, Rayleigh where v ≈ 0.
        const re = v + sigma * noise[2 * p];
        const im = sigma * noise[2 * p + 1];
        data[p] = Math.sqrt(re * re + im * im);
      }
    }
  }
  const image: TwinPatientImages["image"] = {
    data,
    dims: [...g.dims],
    spacing: [...g.spacing],
    origin: [...g.origin],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    meta: { format: "twin", modality: "MR" },
  };
  return { image, lesion, necrosis };
}

/** One reading's boundary: the reader's offset, a smooth wobble (lobes, mm) and a shift per slice (mm). */
interface Reading {
  reader: 1 | 2;
  reading: 1 | 2;
  follow: number;
  offset: number;
  wobble: Lobe[];
  sliceShift: Float64Array;
  /** Largest possible |offset + wobble + shift| (mm): how far the boundary can stray from Rs. */
  reach: number;
  /** Largest possible |wobble| (mm): Σ|amp|. */
  wobbleBound: number;
}

/**
 * The four readings. A reader draws the surface following a share of the margin's bumps, pushed out
 * by their offset (+ a per-patient jitter); each reading adds a smooth wobble and a per-slice shift,
 * as contours edited slice by slice in ITK-SNAP vary. Sizes scale with (0.6 + a/25).
 */
function drawReadings(g: Geometry, rReaders: Rng): Reading[] {
  const D = imageDesign;
  const scale = 0.6 + g.tumour.axes[0] / 25;
  const out: Reading[] = [];
  D.readers.forEach((reader, ri) => {
    const rr = rReaders.fork();
    const offset = reader.offsetMm + D.readerPatientSdMm * rr.normal();
    for (let reading = 1; reading <= 2; reading++) {
      const rm = rr.fork();
      const wobble = randomLobes(rm, 6, D.readingWobbleSdMm * scale, 2, 8);
      const sliceShift = Float64Array.from({ length: g.dims[2] }, () => D.readingSliceSdMm * scale * rm.normal());
      const wobbleBound = wobble.reduce((s, l) => s + Math.abs(l.amp), 0);
      const reach = Math.abs(offset) + wobbleBound + sliceShift.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      out.push({ reader: (ri + 1) as 1 | 2, reading: reading as 1 | 2, follow: reader.follow, offset, wobble, sliceShift, reach, wobbleBound });
    }
  });
  return out;
}

/** Rasterises a reading on the image grid: voxel in mask ⇔ r ≤ Rs + offset + wobble(u) + shift(slice). */
function rasterReading(g: Geometry, f: TumourField, rd: Reading): ReaderMask {
  const [nx, ny] = g.dims;
  const data = new Uint8Array(g.dims[0] * g.dims[1] * g.dims[2]);
  // Voxels whose fate depends on the wobble (|d| ≤ its bound): their box index and grid index.
  const band = new Int32Array(f.r.length);
  const bandVoxel = new Int32Array(f.r.length);
  const bandD = new Float32Array(f.r.length);
  let nBand = 0;
  let count = 0;
  let q = 0;
  for (let fk = 0; fk < f.dims[2]; fk++) {
    const k = f.lo[2] + fk;
    const shift = rd.offset + rd.sliceShift[k];
    for (let fj = 0; fj < f.dims[1]; fj++) {
      const row = nx * (f.lo[1] + fj + ny * k) + f.lo[0];
      for (let fi = 0; fi < f.dims[0]; fi++, q++) {
        const d = f.r[q] - surfaceRadius(f, q, rd.follow) - shift;
        if (d > rd.wobbleBound) continue;
        if (d >= -rd.wobbleBound) {
          band[nBand] = q;
          bandVoxel[nBand] = row + fi;
          bandD[nBand++] = d;
          continue;
        }
        data[row + fi] = 1;
        count++;
      }
    }
  }
  const wob = new Float32Array(nBand);
  lobeSums(rd.wobble, f.u, wob, band, nBand);
  for (let e = 0; e < nBand; e++) {
    if (bandD[e] <= wob[e]) {
      data[bandVoxel[e]] = 1;
      count++;
    }
  }
  if (count === 0) {
    // A reader always marks something: the voxel nearest the tumour centre.
    const [i, j, k] = [0, 1, 2].map((a) => Math.min(g.dims[a] - 1, Math.max(0, Math.round((g.tumour.centre[a] - g.origin[a]) / g.spacing[a]))));
    data[i + nx * (j + ny * k)] = 1;
  }
  return { reader: rd.reader, reading: rd.reading, data };
}

/** The twin's DICOM UIDs: 2.25 UIDs hashed from the seed, the patient and the object. */
export function twinUids(seed: number, id: string): DicomSeriesUids {
  const base = `radsurv twin seed ${seed} patient ${id}`;
  return {
    study: uidFromText(`${base} study`),
    series: uidFromText(`${base} series 801`),
    frameOfReference: uidFromText(`${base} frame of reference`),
    instance: (k) => uidFromText(`${base} series 801 instance ${k + 1}`),
  };
}

/**
 * Writes a patient's MR series (files IM0001.dcm … from inferior to superior) into `dir`; returns the
 * file names. The attributes are those of an MR Image Storage object from a 3 T portal-venous
 * mDIXON acquisition; Manufacturer and descriptions say plainly that the images are synthetic.
 */
export function writePatientDicom(dir: string, tables: TwinTables, p: TwinPatientImages): string[] {
  const c = tables.clinical.find((x) => x.id === p.id)!;
  const when = { date: p.studyDate, time: p.studyTime };
  // Window: the liver's signal range (the generator's design values, not the data: stable across patients).
  const S = imageDesign.signal;
  return writeDicomSeries(dir, p.image, {
    uids: twinUids(tables.seed, p.id),
    attributes: {
      ImageType: ["DERIVED", "SECONDARY", "M", "NONE"],
      StudyDate: when.date,
      SeriesDate: when.date,
      AcquisitionDate: when.date,
      ContentDate: when.date,
      StudyTime: when.time,
      SeriesTime: when.time,
      AcquisitionTime: when.time,
      ContentTime: when.time,
      AccessionNumber: "",
      Modality: "MR",
      Manufacturer: "radsurv synthetic twin",
      ReferringPhysicianName: "",
      StudyDescription: "Liver MR before TACE+RFA (synthetic twin)",
      SeriesDescription: "T1 mDIXON W portal venous (synthetic)",
      ManufacturerModelName: "radsurv twin phantom",
      PatientName: `TWIN^${p.id}`,
      PatientID: p.id,
      PatientBirthDate: "",
      PatientSex: c.sex,
      PatientAge: `${String(c.age).padStart(3, "0")}Y`,
      BodyPartExamined: "LIVER",
      ScanningSequence: "GR",
      SequenceVariant: "SP",
      ScanOptions: "",
      MRAcquisitionType: "3D",
      RepetitionTime: "3.9",
      EchoTime: "1.32",
      NumberOfAverages: "1",
      ImagingFrequency: "127.74",
      ImagedNucleus: "1H",
      EchoNumbers: "1",
      MagneticFieldStrength: formatDS(imageDesign.fieldStrength),
      FlipAngle: "10",
      ContrastBolusAgent: "Gd-DTPA",
      ContrastBolusRoute: "IV",
      PatientPosition: "HFS",
      StudyID: "1",
      SeriesNumber: "801",
      AcquisitionNumber: "1",
      PositionReferenceIndicator: "",
      WindowCenter: formatDS(S.liver * 0.75),
      WindowWidth: formatDS(S.liver * 1.5),
      RescaleType: "US",
    },
  }).files;
}
