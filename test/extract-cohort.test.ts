/**
 * Cohort extraction (issue 4, "Cohort extraction"): extractCohort and `radsurv extract` on a manifest of
 * 4 small synthetic patients (DICOM series written below, 10×9×5 voxels of 0.8×0.8×2 mm) × 2 readers'
 * NIfTI masks.
 *
 * Reference: extractFeatures run in this process on the same files. Tolerance: none — every feature
 * of every row must be the same double (the CSV writes the shortest round-trip decimal), and the file
 * must be byte-identical whatever the worker count and however often the run was interrupted.
 * The CLI tests run the compiled dist/cli.js (`npm test` builds it first), as the notebooks test does.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { InputError } from "../lib/errors.js";
import { extractCohort, parseFeature, readManifest, KEY_COLUMNS } from "../lib/features/extractCohort.js";
import { extractFeatures } from "../lib/features/extract.js";
import type { ExtractSettings } from "../lib/features/settings.js";
import { readDicomSeries, readMask } from "../lib/imaging/index.js";
import { createRng } from "../lib/random/index.js";
import { createProgress } from "../lib/report/progress.js";
import { root } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "radsurv-extract-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------
// Minimal writers: explicit VR little endian CT slices, NIfTI-1 uint8 masks on the same grid.

const DIMS: [number, number, number] = [10, 9, 5];
const SPACING: [number, number, number] = [0.8, 0.8, 2];
const ORIGIN: [number, number, number] = [-4, -3.6, 10];

type El = [number, string, string | number[] | Uint8Array];

function encodeExplicitLE(items: El[]): Uint8Array {
  const parts: number[] = [];
  const u16 = (x: number) => parts.push(x & 0xff, (x >> 8) & 0xff);
  const u32 = (x: number) => parts.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24);
  for (const [tag, vr, v] of [...items].sort((a, b) => a[0] - b[0])) {
    let body: Uint8Array;
    if (typeof v === "string") {
      const s = v.length % 2 ? v + (vr === "UI" ? "\0" : " ") : v;
      body = Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
    } else if (v instanceof Uint8Array) body = v;
    else body = Uint8Array.from(v.flatMap((x) => (vr === "UL" ? [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24] : [x & 0xff, (x >> 8) & 0xff])));
    u16(tag >>> 16);
    u16(tag & 0xffff);
    parts.push(vr.charCodeAt(0), vr.charCodeAt(1));
    if (vr === "OB" || vr === "OW") {
      u16(0);
      u32(body.length);
    } else u16(body.length);
    parts.push(...body);
  }
  return Uint8Array.from(parts);
}

function dicomSlice(patient: string, k: number, pixels: Int16Array): Uint8Array {
  const series = `1.2.826.0.1.3680043.9.${patient.charCodeAt(1)}${patient.charCodeAt(2)}`;
  const items: El[] = [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2"],
    [0x00080018, "UI", `${series}.${k + 1}`],
    [0x00080060, "CS", "CT"],
    [0x00100020, "LO", patient],
    [0x00180050, "DS", String(SPACING[2])],
    [0x0020000d, "UI", `${series}.0`],
    [0x0020000e, "UI", series],
    [0x00200032, "DS", `${ORIGIN[0]}\\${ORIGIN[1]}\\${ORIGIN[2] + SPACING[2] * k}`],
    [0x00200037, "DS", "1\\0\\0\\0\\1\\0"],
    [0x00280002, "US", [1]],
    [0x00280004, "CS", "MONOCHROME2"],
    [0x00280010, "US", [DIMS[1]]],
    [0x00280011, "US", [DIMS[0]]],
    [0x00280030, "DS", `${SPACING[1]}\\${SPACING[0]}`],
    [0x00280100, "US", [16]],
    [0x00280101, "US", [16]],
    [0x00280102, "US", [15]],
    [0x00280103, "US", [1]],
    [0x00281052, "DS", "-1024"],
    [0x00281053, "DS", "1"],
    [0x7fe00010, "OW", new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)],
  ];
  const meta = encodeExplicitLE([
    [0x00020001, "OB", Uint8Array.from([0, 1])],
    [0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.2"],
    [0x00020003, "UI", `${series}.${k + 1}`],
    [0x00020010, "UI", "1.2.840.10008.1.2.1"],
  ]);
  const group = encodeExplicitLE([[0x00020000, "UL", [meta.length]]]);
  const body = encodeExplicitLE(items);
  const out = new Uint8Array(132 + group.length + meta.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(group, 132);
  out.set(meta, 132 + group.length);
  out.set(body, 132 + group.length + meta.length);
  return out;
}

/** NIfTI-1 uint8 with an sform in RAS: LPS (x, y) are negated, so readNifti lands on the DICOM grid. */
function niftiMask(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(352 + mask.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  [3, ...DIMS, 1, 1, 1, 1].forEach((d, i) => v.setInt16(40 + 2 * i, d, true));
  v.setInt16(70, 2, true); // uint8
  v.setInt16(72, 8, true);
  [1, ...SPACING, 0, 0, 0, 0].forEach((d, i) => v.setFloat32(76 + 4 * i, d, true));
  v.setFloat32(108, 352, true);
  v.setInt16(254, 1, true); // sform_code
  const rows = [
    [-SPACING[0], 0, 0, -ORIGIN[0]],
    [0, -SPACING[1], 0, -ORIGIN[1]],
    [0, 0, SPACING[2], ORIGIN[2]],
  ];
  rows.forEach((r, ri) => r.forEach((x, c) => v.setFloat32(280 + 16 * ri + 4 * c, x, true)));
  [..."n+1"].forEach((ch, i) => (out[344 + i] = ch.charCodeAt(0)));
  out.set(mask, 352);
  return out;
}

const nVox = DIMS[0] * DIMS[1] * DIMS[2];
const idx = (i: number, j: number, k: number) => i + DIMS[0] * (j + DIMS[1] * k);

/** Writes patient `id`'s series (returns its folder, relative to `base`) and the two readers' masks. */
function writePatient(base: string, id: string, seed: number): { imageDir: string; masks: Record<string, string> } {
  const rng = createRng(seed);
  const imageDir = join("images", id);
  mkdirSync(join(base, imageDir), { recursive: true });
  const vol = new Int16Array(nVox);
  for (let k = 0; k < DIMS[2]; k++) {
    for (let j = 0; j < DIMS[1]; j++) {
      for (let i = 0; i < DIMS[0]; i++) {
        const inside = Math.hypot(i - 4.5, j - 4, (k - 2) * 2.5) < 3.5;
        vol[idx(i, j, k)] = Math.round(1024 + (inside ? 60 : -20) + 25 * rng.normal());
      }
    }
  }
  const nPix = DIMS[0] * DIMS[1];
  for (let k = 0; k < DIMS[2]; k++) {
    writeFileSync(join(base, imageDir, `IM${k + 1}.dcm`), dicomSlice(id, k, vol.slice(k * nPix, (k + 1) * nPix)));
  }
  mkdirSync(join(base, "masks"), { recursive: true });
  const masks: Record<string, string> = {};
  for (const [reader, grow] of [["A", 0], ["B", 0.7]] as const) {
    const m = new Uint8Array(nVox);
    for (let k = 0; k < DIMS[2]; k++) {
      for (let j = 0; j < DIMS[1]; j++) {
        for (let i = 0; i < DIMS[0]; i++) {
          const r = Math.hypot(i - 4.5, j - 4, (k - 2) * 2.5);
          m[idx(i, j, k)] = r < 3 + grow + 0.6 * rng.uniform() ? 1 : 0;
        }
      }
    }
    masks[reader] = join("masks", `${id}_${reader}.nii`);
    writeFileSync(join(base, masks[reader]), niftiMask(m));
  }
  return { imageDir, masks };
}

// The cohort: 4 patients × readers A and B, reading 1. "007" checks that ids stay text.
const cohort = join(tmp, "cohort");
const PATIENTS = ["P01", "P02", "007", "P04"];
const manifestRows: string[] = ["patient,imageDir,maskPath,reader,reading"];
PATIENTS.forEach((p, n) => {
  const w = writePatient(cohort, p, 100 + n);
  for (const reader of ["A", "B"]) manifestRows.push(`${p},${w.imageDir},${w.masks[reader]},${reader},1`);
});
const MANIFEST = join(cohort, "manifest.csv");
writeFileSync(MANIFEST, manifestRows.join("\n") + "\n");

const SETTINGS: ExtractSettings = { discretisation: { method: "FBN", bins: 8 }, textureDimensions: "3D" };

const readOut = (path: string): string[][] => Papa.parse<string[]>(readFileSync(path, "utf8"), { skipEmptyLines: true }).data;

const sameNumber = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

const throwsInput = async (fn: () => Promise<unknown> | unknown, re: RegExp): Promise<void> => {
  await assert.rejects(async () => fn(), (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e}`);
    assert.match(e.message, re);
    return true;
  });
};

const FULL = join(tmp, "full.csv");

test("extractCohort: one row per patient × reader × reading, in manifest order, equal to extractFeatures in process (exact)", async () => {
  const progress: number[] = [];
  let started: { total: number; skipped: number; workers: number } | undefined;
  const r = await extractCohort(MANIFEST, {
    outPath: FULL,
    settings: SETTINGS,
    workers: 2,
    onStart: (info) => (started = info),
    onProgress: (p) => {
      assert.equal(p.total, 8);
      progress.push(p.done);
    },
  });
  assert.deepEqual({ done: r.done, skipped: r.skipped, failed: r.failed, total: r.total, workers: r.workers }, { done: 8, skipped: 0, failed: 0, total: 8, workers: 2 });
  assert.deepEqual(started, { total: 8, skipped: 0, workers: 2 });
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(r.errorsPath, null);
  assert.ok(!existsSync(`${FULL}.errors.csv`));

  const rows = readOut(FULL);
  const manifest = readManifest(MANIFEST);
  assert.equal(rows.length, 1 + manifest.length);
  let nFeatures = 0;
  manifest.forEach((m, n) => {
    const ref = extractFeatures(readDicomSeries(m.imagePath), readMask(m.maskPath), SETTINGS).features;
    const names = Object.keys(ref);
    if (n === 0) assert.deepEqual(rows[0], [...KEY_COLUMNS, ...names], "header: keys, then extractFeatures' order");
    const row = rows[n + 1];
    assert.deepEqual(row.slice(0, 3), [m.patient, m.reader, m.reading]);
    names.forEach((name, j) => {
      const got = parseFeature(row[3 + j]);
      assert.ok(sameNumber(got, ref[name]), `${m.patient}/${m.reader} ${name}: CSV ${row[3 + j]}, in process ${ref[name]}`);
      nFeatures++;
    });
  });
  assert.ok(nFeatures > 8 * 100, `${nFeatures} values compared`);
  assert.equal(rows[5][0], "007", "patient ids are kept as text");
  // The two readers' masks differ, so their rows do.
  assert.notDeepEqual(rows[1].slice(3), rows[2].slice(3));
});

test("the output does not depend on the number of worker threads", async () => {
  const one = join(tmp, "one-worker.csv");
  const r = await extractCohort(MANIFEST, { outPath: one, settings: SETTINGS, workers: 1 });
  assert.equal(r.workers, 1);
  assert.equal(readFileSync(one, "utf8"), readFileSync(FULL, "utf8"));
});

test("resume: rows already in an unsorted, interrupted output are kept; only the missing ones are computed; the final file is byte-identical", async () => {
  const full = readFileSync(FULL, "utf8");
  const [header, ...lines] = full.trimEnd().split("\n");
  // An interrupted run: rows appended in completion order (not manifest order), the last 3 missing,
  // and one row cut off mid-write (no newline).
  const kept = [lines[3], lines[0], lines[4], lines[2], lines[1]];
  const partial = join(tmp, "partial.csv");
  writeFileSync(partial, [header, ...kept].join("\n") + "\n" + lines[6].slice(0, 40));
  copyFileSync(`${FULL}.settings.json`, `${partial}.settings.json`);
  const r = await extractCohort(MANIFEST, { outPath: partial, settings: SETTINGS, workers: 2 });
  assert.deepEqual({ done: r.done, skipped: r.skipped, failed: r.failed }, { done: 3, skipped: 5, failed: 0 });
  assert.equal(readFileSync(partial, "utf8"), full);

  // Run again on the complete file: nothing to do, nothing changes.
  let started: { total: number } | undefined;
  const again = await extractCohort(MANIFEST, { outPath: partial, settings: SETTINGS, onStart: (s) => (started = s) });
  assert.deepEqual({ done: again.done, skipped: again.skipped, failed: again.failed, workers: again.workers }, { done: 0, skipped: 8, failed: 0, workers: 0 });
  assert.equal(started?.total, 0);
  assert.equal(readFileSync(partial, "utf8"), full);

  // Resuming with other settings would mix two configurations in one file: refused, naming the file.
  await throwsInput(
    () => extractCohort(MANIFEST, { outPath: partial, settings: { ...SETTINGS, discretisation: { method: "FBN", bins: 16 } } }),
    /partial\.csv was extracted with other settings \(.*partial\.csv\.settings\.json: .*"bins":8.*now .*"bins":16/,
  );
  // An existing file that is not an extract output is not overwritten.
  const other = join(tmp, "other.csv");
  writeFileSync(other, "id,age\n1,50\n");
  await throwsInput(() => extractCohort(MANIFEST, { outPath: other, settings: SETTINGS }), /other\.csv: exists and does not start with the columns patient, reader, reading/);
  assert.equal(readFileSync(other, "utf8"), "id,age\n1,50\n");
});

test("manifest errors name the file, the row and the column", async () => {
  const bad = (name: string, text: string): string => {
    const f = join(cohort, name);
    writeFileSync(f, text);
    return f;
  };
  const good = manifestRows.slice(1, 3);
  const out = { outPath: join(tmp, "never.csv"), settings: SETTINGS };
  await throwsInput(
    () => extractCohort(bad("m-nocol.csv", "patient,imageDir,mask,reader,reading\n" + good.join("\n")), out),
    /m-nocol\.csv, row 1 \(header\): no column "maskPath"; a manifest needs patient, imageDir, maskPath, reader, reading \(has patient, imageDir, mask, reader, reading\)/,
  );
  await throwsInput(
    () => extractCohort(bad("m-nofile.csv", `${manifestRows[0]}\n${good[0]}\nP01,images/P01,masks/P01_C.nii,C,1\n`), out),
    /m-nofile\.csv, row 3, column "maskPath": .*masks\/P01_C\.nii does not exist/,
  );
  await throwsInput(
    () => extractCohort(bad("m-noimage.csv", `${manifestRows[0]}\nP09,images/P09,masks/P01_A.nii,A,1\n`), out),
    /m-noimage\.csv, row 2, column "imageDir": .*images\/P09 does not exist/,
  );
  await throwsInput(
    () => extractCohort(bad("m-dup.csv", `${manifestRows[0]}\n${good[0]}\n${good[1]}\n${good[0]}\n`), out),
    /m-dup\.csv, rows 2 and 4, columns "patient", "reader", "reading": duplicate patient P01 × reader A × reading 1/,
  );
  await throwsInput(
    () => extractCohort(bad("m-empty.csv", `${manifestRows[0]}\n${good[0].replace(",A,", ",,")}\n`), out),
    /m-empty\.csv, row 2, column "reader": empty/,
  );
  await throwsInput(() => extractCohort(bad("m-fields.csv", `${manifestRows[0]}\nP01,images/P01\n`), out), /m-fields\.csv, row 2: 2 fields, the header has 5/);
  await throwsInput(() => extractCohort(join(cohort, "nope.csv"), out), /cannot read manifest .*nope\.csv/);
  // Settings and options are checked before any thread starts.
  await throwsInput(() => extractCohort(MANIFEST, { ...out, settings: { discretisation: { method: "FBN", bins: 0 } } }), /settings\.discretisation\.bins must be an integer >= 1/);
  await throwsInput(() => extractCohort(MANIFEST, { ...out, workers: 0 }), /workers must be a whole number >= 1, got 0/);
  assert.ok(!existsSync(out.outPath));
});

// ---------------------------------------------------------------------------------------------------
// The command, with failing rows

const CLI = join(root, "dist", "cli.js");
const runCli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("radsurv extract: a bad DICOM and an empty mask go to <out>.errors.csv, the others are extracted, exit code 1; fixed and rerun, only they are computed", () => {
  assert.ok(existsSync(CLI), "dist/cli.js is missing: run `npx tsc -p tsconfig.build.json` first (npm test does)");
  const base = join(tmp, "broken");
  mkdirSync(base);
  const a = writePatient(base, "P01", 100);
  const b = writePatient(base, "P02", 101);
  // P02's third slice cut off in its pixel data; P01 reader B's mask has no voxel.
  const slice = join(base, b.imageDir, "IM3.dcm");
  const sliceBytes = readFileSync(slice);
  writeFileSync(slice, sliceBytes.subarray(0, sliceBytes.length - 50));
  const maskB = readFileSync(join(base, a.masks.B));
  writeFileSync(join(base, a.masks.B), niftiMask(new Uint8Array(nVox)));
  const manifest = join(base, "manifest.csv");
  writeFileSync(
    manifest,
    [
      "patient,imageDir,maskPath,reader,reading",
      `P01,${a.imageDir},${a.masks.A},A,1`,
      `P01,${a.imageDir},${a.masks.B},B,1`,
      `P02,${b.imageDir},${b.masks.A},A,1`,
      `P02,${b.imageDir},${b.masks.B},B,1`,
    ].join("\n") + "\n",
  );
  const settingsFile = join(base, "settings.json");
  writeFileSync(settingsFile, JSON.stringify(SETTINGS));
  const out = join(base, "features.csv");
  const args = ["extract", "--manifest", manifest, "--out", out, "--settings", settingsFile, "--workers", "2"];
  const run1 = runCli(args);
  assert.equal(run1.status, 1, run1.stderr);
  assert.match(run1.stderr, /radsurv extract: 1 row extracted, 3 failed of 4/);
  assert.match(run1.stderr, /failed rows \(all in .*features\.csv\.errors\.csv\)/);
  // Not a terminal: one progress line per 10 % (here every row), the last with the elapsed time.
  assert.match(run1.stderr, /extract 4\/4 100% .* in \d+ s/);
  const errors = readOut(`${out}.errors.csv`);
  assert.deepEqual(errors[0], ["patient", "reader", "reading", "file", "message"]);
  assert.deepEqual(errors.slice(1).map((e) => e.slice(0, 4)), [
    ["P01", "B", "1", join(base, a.masks.B)],
    ["P02", "A", "1", join(base, b.imageDir)],
    ["P02", "B", "1", join(base, b.imageDir)],
  ]);
  assert.match(errors[1][4], /P01_B\.nii: the mask is empty/);
  assert.match(errors[2][4], /images\/P02\/IM3\.dcm: damaged DICOM file.*truncated/);
  assert.equal(errors[3][4], errors[2][4]);
  const rows1 = readOut(out);
  assert.deepEqual(rows1.slice(1).map((r) => r.slice(0, 3)), [["P01", "A", "1"]]);

  // Fix both and rerun: the finished row is kept, the three are computed, the error file goes.
  writeFileSync(slice, sliceBytes);
  writeFileSync(join(base, a.masks.B), maskB);
  const run2 = runCli(args);
  assert.equal(run2.status, 0, run2.stderr);
  assert.match(run2.stderr, /3 rows extracted, 1 already in .*features\.csv \(kept\) of 4/);
  assert.ok(!existsSync(`${out}.errors.csv`), "a stale errors file is removed");
  const rows2 = readOut(out);
  assert.deepEqual(rows2.slice(1).map((r) => r.slice(0, 3)), [["P01", "A", "1"], ["P01", "B", "1"], ["P02", "A", "1"], ["P02", "B", "1"]]);
  assert.deepEqual(rows2[1], rows1[1]);

  // Bad input to the command itself: exit code 2 with the message.
  const run3 = runCli(["extract", "--manifest", join(base, "missing.csv"), "--out", out]);
  assert.equal(run3.status, 2);
  assert.match(run3.stderr, /radsurv: cannot read manifest .*missing\.csv/);
  const run4 = runCli(["extract", "--manifest", manifest, "--out", out, "--profile", "mirp"]);
  assert.equal(run4.status, 2);
  assert.match(run4.stderr, /settings\.profile must be "ibsi", "ak396" or "pyradiomics", got "mirp"/);
});

// ---------------------------------------------------------------------------------------------------
// Progress bar

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream };
}

test("progress: a line per 10 % when not a terminal, with done/total, rate and ETA; redraws in place on a terminal", () => {
  let t = 0;
  const log = fakeStream(false);
  const p = createProgress(200, { label: "extract", stream: log.stream, tty: false, now: () => t });
  for (let d = 1; d <= 200; d++) {
    t += 500; // 2 rows a second
    p.update(d);
  }
  p.finish();
  const lines = log.chunks.join("").trimEnd().split("\n");
  assert.equal(lines.length, 10, lines.join("\n")); // 10 %, 20 %, …, 90 %, then the final line
  assert.equal(lines[0], "extract 20/200  10% 2.0/s ETA 1 min 30 s");
  assert.equal(lines[4], "extract 100/200  50% 2.0/s ETA 50 s");
  assert.equal(lines[9], "extract 200/200 100% 2.0/s in 1 min 40 s");

  t = 0;
  const tty = fakeStream(true);
  const q = createProgress(4, { label: "extract", stream: tty.stream, now: () => t });
  for (let d = 1; d <= 4; d++) {
    t += 1000;
    q.update(d, d > 2 ? "1 failed" : undefined);
  }
  q.finish();
  const out = tty.chunks.join("");
  assert.ok(tty.chunks.every((c) => c.startsWith("\r")), "each draw returns to the line start");
  assert.match(out, /\rextract \[############------------\] 2\/4  50% 1\.0\/s ETA 2 s\x1b\[K/);
  assert.match(out, /\rextract \[########################\] 4\/4 100% 1\.0\/s \(1 failed\) in 4 s\x1b\[K\n$/);
});
