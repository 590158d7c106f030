// The twin's images and masks: DICOM read back by readDicomSeries (geometry exact, values within the
// int16 quantisation step), NIfTI reader masks aligned to the DICOM grid by readMask, masks close to
// the true lesion with realistic reader disagreement, byte-identical reruns for a seed, and tumour
// texture that follows the latent phenotype (the radiomic signal the pipeline must find).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTwin, twinTables } from "../lib/twin/index.js";
import { twinImages, imageDesign } from "../lib/twin/images.js";
import { checkSameGrid, readDicomSeries, readMask, readNifti, type Volume } from "../lib/imaging/index.js";
import { num, openDicom, str } from "../lib/imaging/dicom.js";
import { writeNifti } from "../lib/imaging/writeNifti.js";
import { formatDS, uidFromText } from "../lib/imaging/writeDicom.js";
import { readCsv } from "../lib/table/index.js";
import { createRng } from "../lib/random/index.js";
import { InputError } from "../lib/errors.js";

const SEED = 20210503;
const made: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const tables = twinTables(SEED);
// Five patients keep the test fast; they include small and larger tumours.
const ids = tables.clinical.slice(0, 5).map((c) => c.id);
const dirA = tempDir("twin-img-a-");
const dirB = tempDir("twin-img-b-");
const written = writeTwin(dirA, SEED, { ids });
const generated = new Map(twinImages(tables, { ids }).map((p) => [p.id, p]));

const dice = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let both = 0, na = 0, nb = 0;
  for (let p = 0; p < a.length; p++) {
    na += a[p];
    nb += b[p];
    both += a[p] & b[p];
  }
  return (2 * both) / (na + nb);
};
const count = (a: ArrayLike<number>): number => {
  let n = 0;
  for (let p = 0; p < a.length; p++) n += a[p];
  return n;
};

test("same seed → byte-identical DICOM, NIfTI and tables; generating a subset does not change a patient", () => {
  const again = writeTwin(dirB, SEED, { ids });
  assert.deepEqual(again.imageFiles, written.imageFiles);
  assert.equal(written.imageFiles.length, ids.reduce((s, id) => s + generated.get(id)!.image.dims[2] + 4, 0));
  for (const f of [...written.files, ...written.imageFiles]) {
    assert.ok(readFileSync(join(dirA, f)).equals(readFileSync(join(dirB, f))), `${f} differs between runs`);
  }
  // One patient alone gives the same bytes as within the subset (per-patient random streams).
  const dirC = tempDir("twin-img-c-");
  const one = writeTwin(dirC, SEED, { ids: [ids[2]] });
  for (const f of one.imageFiles) assert.ok(readFileSync(join(dirA, f)).equals(readFileSync(join(dirC, f))), `${f} depends on the other patients`);
  // Node's gzip header: no file name, mtime 0 (bytes 4–7), so no clock gets into the files.
  const gz = readFileSync(join(dirA, written.imageFiles.find((f) => f.endsWith(".nii.gz"))!));
  assert.deepEqual([...gz.subarray(0, 8)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
});

test("DICOM read back: geometry as generated, values within half the rescale slope, MR attributes", () => {
  for (const id of ids) {
    const p = generated.get(id)!;
    const v = readDicomSeries(join(dirA, "images", id));
    assert.deepEqual(v.dims, p.image.dims);
    // Geometry: written as short decimal strings of the generator's rounded numbers → exact up to 1e-9 mm.
    for (let a = 0; a < 3; a++) {
      assert.ok(Math.abs(v.spacing[a] - p.image.spacing[a]) < 1e-9, `${id} spacing`);
      assert.ok(Math.abs(v.origin[a] - p.image.origin[a]) < 1e-9, `${id} origin`);
    }
    assert.deepEqual(v.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.ok(Math.abs(v.spacing[2] - imageDesign.sliceThickness) < 1e-9);
    assert.ok(v.spacing[0] >= 1.5 && v.spacing[0] <= 1.8 && v.spacing[0] === v.spacing[1]);
    const rescale = v.meta.rescale as { slope: number; intercept: number };
    assert.notEqual(rescale.slope, 1);
    assert.equal(rescale.intercept, 0);
    // Values: stored = round(value / slope), so |read − generated| ≤ slope/2 (+ float32 rounding, < 1e-3).
    let worst = 0;
    for (let q = 0; q < v.data.length; q++) worst = Math.max(worst, Math.abs(v.data[q] - p.image.data[q]));
    assert.ok(worst <= rescale.slope / 2 + 1e-3, `${id}: max |read − generated| ${worst} > slope/2 = ${rescale.slope / 2}`);
    assert.equal(v.meta.patientId, id);
    assert.equal(v.meta.modality, "MR");
    assert.equal(v.meta.sopClassUid, "1.2.840.10008.5.1.4.1.1.4");
    assert.equal(v.meta.transferSyntaxUid, "1.2.840.10008.1.2.1");
    const first = openDicom((v.meta.files as string[])[0]);
    assert.equal(num(first.ds, "x00180087"), 3); // MagneticFieldStrength
    assert.equal(num(first.ds, "x00180050"), 5); // SliceThickness
    assert.equal(str(first.ds, "x00080020"), p.studyDate);
    assert.match(p.studyDate, /^20(1[0-8])\d{4}$/);
    assert.ok((str(first.ds, "x0020000d") ?? "").startsWith("2.25."));
    // Slices are ordered inferior → superior and their UIDs are distinct.
    const uids = v.meta.sopInstanceUids as string[];
    assert.equal(new Set(uids).size, uids.length);
    assert.ok((v.meta.files as string[])[0].endsWith("IM0001.dcm"));
  }
});

test("reader masks: NIfTI on the DICOM grid (readMask, checkSameGrid), near the true lesion, readers disagree a little", () => {
  const manifest = readCsv(join(dirA, "manifest.csv"));
  assert.deepEqual(manifest.columns, ["patient", "imageDir", "maskPath", "reader", "reading"]);
  assert.equal(manifest.nRows, 4 * ids.length);
  for (const id of ids) {
    const p = generated.get(id)!;
    const image = readDicomSeries(join(dirA, "images", id));
    const masks: Volume[] = [];
    for (let row = 0; row < manifest.nRows; row++) {
      if (manifest.data.patient[row] !== id) continue;
      const path = join(dirA, String(manifest.data.maskPath[row]));
      assert.equal(manifest.data.imageDir[row], `images/${id}`);
      const m = readMask(path, { image }); // throws unless the grids match
      const raw = readNifti(path);
      checkSameGrid(raw, image);
      assert.equal(raw.meta.affineSource, "sform");
      assert.equal(raw.meta.datatype, "uint8");
      const truth = p.masks.find((x) => x.reader === Number(manifest.data.reader[row]) && x.reading === Number(manifest.data.reading[row]))!;
      assert.deepEqual(m.data, truth.data);
      masks.push(m);
    }
    assert.equal(masks.length, 4);
    const lesion = count(p.lesion);
    for (const m of masks) {
      // Tolerance: a reader's boundary is within ~1–2 mm of the truth → voxel count within ±45% even for 1–2 cm lesions.
      const ratio = count(m.data) / lesion;
      assert.ok(ratio > 0.55 && ratio < 1.45, `${id}: mask has ${count(m.data)} voxels, lesion ${lesion}`);
      assert.ok(dice(m.data, p.lesion) > 0.7, `${id}: Dice with the true lesion ${dice(m.data, p.lesion)}`);
    }
    // Order: reader1 reading1, reader1 reading2, reader2 reading1, reader2 reading2.
    const inter = dice(masks[0].data, masks[2].data);
    const intra = dice(masks[0].data, masks[1].data);
    assert.ok(inter > 0.7 && inter < 1, `${id}: inter-reader Dice ${inter}`);
    assert.ok(intra > 0.7 && intra < 1, `${id}: intra-reader Dice ${intra}`);
  }
});

test("NIfTI writer: qform alone (sform code 0) gives the same grid for rotated and flipped directions", () => {
  const rng = createRng(3);
  const dir = tempDir("twin-nii-");
  for (let trial = 0; trial < 8; trial++) {
    // Random rotation (Gram–Schmidt of normal vectors); odd trials are improper (a flipped axis → qfac −1).
    const a = [rng.normal(), rng.normal(), rng.normal()];
    const na = Math.hypot(...a);
    const x = a.map((t) => t / na);
    const b = [rng.normal(), rng.normal(), rng.normal()];
    const bx = b[0] * x[0] + b[1] * x[1] + b[2] * x[2];
    const yv = b.map((t, i) => t - bx * x[i]);
    const ny = Math.hypot(...yv);
    const y = yv.map((t) => t / ny);
    const sign = trial % 2 ? -1 : 1;
    const z = [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]].map((t) => sign * t);
    const vol: Volume = {
      data: Uint8Array.from({ length: 4 * 5 * 6 }, (_, i) => i % 2),
      dims: [4, 5, 6],
      spacing: [1.5, 1.7, 5],
      origin: [-101.25, 33.5, -12],
      direction: [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]],
      meta: {},
    };
    const path = join(dir, `v${trial}.nii`);
    writeNifti(path, vol);
    assert.doesNotThrow(() => checkSameGrid(readNifti(path), vol), `trial ${trial} via sform`);
    const bytes = readFileSync(path);
    bytes.writeInt16LE(0, 254); // sform_code 0 → readers fall back to the qform
    writeFileSync(path, bytes);
    const back = readNifti(path);
    assert.equal(back.meta.affineSource, "qform");
    // Tolerance: quaternion and offsets are float32 (~1e-7 relative), well inside GRID_TOL_* (1e-3 mm, 1e-4).
    assert.doesNotThrow(() => checkSameGrid(back, vol), `trial ${trial} via qform`);
    assert.deepEqual(Array.from(back.data), Array.from(vol.data));
  }
  // .nii.gz content is the same header and voxels.
  const vol: Volume = { data: new Uint8Array(8).fill(1), dims: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], meta: {} };
  writeNifti(join(dir, "a.nii"), vol);
  writeNifti(join(dir, "a.nii.gz"), vol);
  assert.ok(gunzipSync(readFileSync(join(dir, "a.nii.gz"))).equals(readFileSync(join(dir, "a.nii"))));
});

test("tumour texture follows the phenotype: interior SD, grain and necrosis rise with z over 20 patients", () => {
  const some = tables.clinical.slice(0, 20).map((c) => c.id);
  const images = twinImages(tables, { ids: some });
  const z = some.map((id) => tables.latent.find((l) => l.id === id)!.phenotype);
  const sd: number[] = [];
  const grain: number[] = [];
  const necrotic: number[] = [];
  for (const p of images) {
    const [nx, ny, nz] = p.image.dims;
    const d = p.image.data;
    // Interior: lesion voxels whose four in-plane neighbours are lesion too (no partial volume with liver).
    const inner = new Uint8Array(d.length);
    for (let k = 0; k < nz; k++) for (let j = 1; j < ny - 1; j++) for (let i = 1; i < nx - 1; i++) {
      const q = i + nx * (j + ny * k);
      if (p.lesion[q] && p.lesion[q - 1] && p.lesion[q + 1] && p.lesion[q - nx] && p.lesion[q + nx]) inner[q] = 1;
    }
    let n = 0, s = 0, s2 = 0;
    for (let q = 0; q < d.length; q++) if (inner[q]) { n++; s += d[q]; s2 += d[q] * d[q]; }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    sd.push(Math.sqrt(variance));
    // Grain: lag-1 autocorrelation along x inside the interior (coarser texture → closer to 1).
    let sxy = 0, pairs = 0;
    for (let q = 0; q < d.length - 1; q++) if (inner[q] && inner[q + 1]) { sxy += (d[q] - mean) * (d[q + 1] - mean); pairs++; }
    grain.push(sxy / pairs / variance);
    necrotic.push(count(p.necrosis) / count(p.lesion));
  }
  const cor = (a: number[], b: number[]): number => {
    const ma = a.reduce((x, y) => x + y) / a.length;
    const mb = b.reduce((x, y) => x + y) / b.length;
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  // Thresholds: without the phenotype effect these correlations would be near 0 (|r| < 0.44 with
  // 95% probability for n = 20); the generator gives 0.7–0.95 across seeds.
  assert.ok(cor(sd, z) > 0.5, `cor(interior SD, phenotype) = ${cor(sd, z)}`);
  assert.ok(cor(grain, z) > 0.5, `cor(lag-1 autocorrelation, phenotype) = ${cor(grain, z)}`);
  assert.ok(cor(necrotic, z) > 0.5, `cor(necrotic fraction, phenotype) = ${cor(necrotic, z)}`);
});

test("bad input: unknown ids are named; UIDs are valid 2.25 UIDs; DS strings fit 16 characters", () => {
  assert.throws(() => writeTwin(tempDir("twin-bad-"), SEED, { ids: ["P999"] }), (e: Error) => e instanceof InputError && /P999/.test(e.message));
  const uid = uidFromText("x");
  assert.match(uid, /^2\.25\.[1-9]\d*$/);
  assert.ok(uid.length <= 64);
  assert.notEqual(uidFromText("x"), uidFromText("y"));
  for (const x of [1.6834, -174.75, 0.0344124, 1 / 3, -123456.789012345, 1e-7]) {
    const s = formatDS(x);
    assert.ok(s.length <= 16, s);
    assert.ok(Math.abs(Number(s) - x) <= 1e-9 * Math.max(1, Math.abs(x)) + 1e-12, `${x} → ${s}`);
  }
});
