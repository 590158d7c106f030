/**
 * Bad input for the image readers (issue 4, "Bad input"):
 *  - a fuzz test: thousands of randomly corrupted copies of valid DICOM files (bit flips, truncations,
 *    random byte runs, inserted/deleted bytes, changed and swapped element lengths), generated from
 *    lib/random's seeded generator, go to readDicomSeries (and DICOM-SEG copies to readMask). Only
 *    the readers' own typed errors (InputError, NumericalError) may come out — no TypeError, RangeError,
 *    string thrown by dicom-parser, hang or crash; a volume that does come out must be well formed.
 *    Inputs the fuzzer once broke the reader with are kept below as regression cases.
 *  - the issue's bad-input list, for the cases test/imaging.test.ts does not cover: truncated file,
 *    missing pixel data, pixel data shorter than Rows × Columns, duplicate slice position in a
 *    folder, empty mask, mask outside the image (SEG and RTSTRUCT), mask on another grid (SEG size):
 *    each an InputError naming the file.
 * No numeric tolerances: every assertion is about error classes and messages.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, NumericalError } from "../lib/errors.js";
import { readDicomSeries, readMask, type Volume } from "../lib/imaging/index.js";
import { createRng, type Rng } from "../lib/random/index.js";

const tmp = mkdtempSync(join(tmpdir(), "radsurv-fuzz-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------
// A minimal DICOM encoder that records where each element's length field is (for length mutations).

const IMPLICIT_LE = "1.2.840.10008.1.2";
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const EXPLICIT_BE = "1.2.840.10008.1.2.2";

type Value = string | number[] | Uint8Array | Uint16Array | Item[];
type Item = Array<[number, string, Value]>;
const LONG_VRS = new Set(["OB", "OW", "OF", "SQ", "UT", "UN"]);

interface Encoded {
  bytes: Uint8Array;
  /** Offsets of length fields (relative to `bytes`), their size in bytes (2 or 4) and byte order. */
  lengths: Array<{ at: number; size: 2 | 4; le?: boolean }>;
}

function encode(items: Item, explicit: boolean, le: boolean): Encoded {
  const out: number[] = [];
  const lengths: Encoded["lengths"] = [];
  const push16 = (x: number) => (le ? out.push(x & 0xff, (x >> 8) & 0xff) : out.push((x >> 8) & 0xff, x & 0xff));
  const push32 = (x: number) =>
    le ? out.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24) : out.push(x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
  for (const [tag, vr, value] of [...items].sort((a, b) => a[0] - b[0])) {
    let body: Uint8Array;
    let inner: Encoded["lengths"] = [];
    if (vr === "SQ") {
      const parts: number[] = [];
      for (const it of value as Item[]) {
        const e = encode(it, explicit, le);
        const itemHeader = new Uint8Array(8);
        const dv = new DataView(itemHeader.buffer);
        dv.setUint16(0, 0xfffe, le);
        dv.setUint16(2, 0xe000, le);
        dv.setUint32(4, e.bytes.length, le);
        inner.push({ at: parts.length + 4, size: 4 });
        inner.push(...e.lengths.map((l) => ({ at: l.at + parts.length + 8, size: l.size })));
        parts.push(...itemHeader, ...e.bytes);
      }
      body = Uint8Array.from(parts);
    } else if (typeof value === "string") {
      const s = value.length % 2 ? value + (vr === "UI" ? "\0" : " ") : value;
      body = Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
    } else if (value instanceof Uint16Array) {
      body = new Uint8Array(value.length * 2);
      const dv = new DataView(body.buffer);
      value.forEach((v, i) => dv.setUint16(2 * i, v, le));
    } else if (value instanceof Uint8Array) {
      body = value;
    } else {
      const size = vr === "UL" ? 4 : 2;
      body = new Uint8Array(value.length * size);
      const dv = new DataView(body.buffer);
      (value as number[]).forEach((v, i) => (size === 4 ? dv.setUint32(4 * i, v, le) : dv.setUint16(2 * i, v, le)));
    }
    push16(tag >>> 16);
    push16(tag & 0xffff);
    let at: number;
    if (explicit) {
      out.push(vr.charCodeAt(0), vr.charCodeAt(1));
      if (LONG_VRS.has(vr)) {
        out.push(0, 0);
        at = out.length;
        push32(body.length);
        lengths.push({ at, size: 4 });
      } else {
        at = out.length;
        push16(body.length);
        lengths.push({ at, size: 2 });
      }
    } else {
      at = out.length;
      push32(body.length);
      lengths.push({ at, size: 4 });
    }
    const start = out.length;
    lengths.push(...inner.map((l) => ({ at: l.at + start, size: l.size })));
    for (const b of body) out.push(b);
  }
  return { bytes: Uint8Array.from(out), lengths };
}

function dicomFile(ts: string, items: Item): Encoded {
  const sop = (items.find((e) => e[0] === 0x00080016)?.[2] as string) ?? "1.2.840.10008.5.1.4.1.1.2";
  const metaBody = encode(
    [
      [0x00020001, "OB", Uint8Array.from([0, 1])],
      [0x00020002, "UI", sop],
      [0x00020003, "UI", "1.2.3.4.5"],
      [0x00020010, "UI", ts],
    ],
    true,
    true,
  );
  const group = encode([[0x00020000, "UL", [metaBody.bytes.length]]], true, true);
  const body = encode(items, ts !== IMPLICIT_LE, ts !== EXPLICIT_BE);
  const pre = 132;
  const bytes = new Uint8Array(pre + group.bytes.length + metaBody.bytes.length + body.bytes.length);
  bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
  bytes.set(group.bytes, pre);
  bytes.set(metaBody.bytes, pre + group.bytes.length);
  bytes.set(body.bytes, pre + group.bytes.length + metaBody.bytes.length);
  const o1 = pre + group.bytes.length;
  const o2 = o1 + metaBody.bytes.length;
  return {
    bytes,
    lengths: [
      ...group.lengths.map((l) => ({ ...l, at: l.at + pre, le: true })),
      ...metaBody.lengths.map((l) => ({ ...l, at: l.at + o1, le: true })),
      ...body.lengths.map((l) => ({ ...l, at: l.at + o2, le: ts !== EXPLICIT_BE })),
    ],
  };
}

const ROWS = 6;
const COLS = 5;

function ctSlice(z: number, series = "1.2.826.0.1.3680043.2.1"): Item {
  const px = new Uint16Array(ROWS * COLS);
  for (let p = 0; p < px.length; p++) px[p] = (p * 37 + z * 11) % 4096;
  return [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2"],
    [0x00080018, "UI", `${series}.${z}`],
    [0x00080060, "CS", "CT"],
    [0x0008103e, "LO", "fuzz base"],
    [0x00100020, "LO", "FUZZ01"],
    [0x00180050, "DS", "2"],
    [0x0020000d, "UI", "1.2.826.0.1.3680043.2.9"],
    [0x0020000e, "UI", series],
    [0x00200032, "DS", `-10.5\\-20.25\\${2 * z}`],
    [0x00200037, "DS", "1\\0\\0\\0\\1\\0"],
    [0x00200052, "UI", "1.2.826.0.1.3680043.2.7"],
    [0x00280002, "US", [1]],
    [0x00280004, "CS", "MONOCHROME2"],
    [0x00280010, "US", [ROWS]],
    [0x00280011, "US", [COLS]],
    [0x00280030, "DS", "0.5\\0.75"],
    [0x00280100, "US", [16]],
    [0x00280101, "US", [12]],
    [0x00280102, "US", [11]],
    [0x00280103, "US", [0]],
    [0x00281052, "DS", "-1024"],
    [0x00281053, "DS", "1"],
    // A sequence, so that the fuzzer also walks item and nested lengths.
    [0x00081140, "SQ", [[[0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"], [0x00081155, "UI", "1.2.3.99"]]]],
    [0x7fe00010, "OW", px],
  ];
}

/** Enhanced CT multi-frame: 3 frames with per-frame positions in functional groups. */
function enhancedCt(): Item {
  const px = new Uint16Array(3 * ROWS * COLS);
  for (let p = 0; p < px.length; p++) px[p] = (p * 13) % 2000;
  return [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2.1"],
    [0x00080018, "UI", "1.2.826.0.1.3680043.2.5.1"],
    [0x00080060, "CS", "CT"],
    [0x0020000e, "UI", "1.2.826.0.1.3680043.2.5"],
    [0x00280002, "US", [1]],
    [0x00280008, "IS", "3"],
    [0x00280010, "US", [ROWS]],
    [0x00280011, "US", [COLS]],
    [0x00280100, "US", [16]],
    [0x00280101, "US", [16]],
    [0x00280102, "US", [15]],
    [0x00280103, "US", [1]],
    [0x52009229, "SQ", [[
      [0x00209116, "SQ", [[[0x00200037, "DS", "1\\0\\0\\0\\1\\0"]]]],
      [0x00289110, "SQ", [[[0x00280030, "DS", "0.5\\0.5"], [0x00180050, "DS", "2"]]]],
      [0x00289145, "SQ", [[[0x00281052, "DS", "0"], [0x00281053, "DS", "1"]]]],
    ]]],
    [0x52009230, "SQ", [4, 0, 2].map((z) => [[0x00209113, "SQ", [[[0x00200032, "DS", `0\\0\\${z}`]]]]] as Item)],
    [0x7fe00010, "OW", px],
  ];
}

/** A 1-bit DICOM-SEG with one segment on 2 frames of ROWS × COLS at z = 0 and 2 (the ctSlice grid's first two slices). */
function segItems(opts: { z?: number[]; rows?: number; cols?: number; spacing?: string; bits?: number[] } = {}): Item {
  const zs = opts.z ?? [0, 2];
  const rows = opts.rows ?? ROWS;
  const cols = opts.cols ?? COLS;
  const bits = opts.bits ?? Array.from({ length: zs.length * rows * cols }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const packed = new Uint8Array(Math.ceil(bits.length / 16) * 2);
  bits.forEach((b, i) => (packed[i >> 3] |= b << (i & 7)));
  return [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.66.4"],
    [0x00080060, "CS", "SEG"],
    [0x0020000e, "UI", "1.2.826.0.1.3680043.2.66"],
    [0x00280002, "US", [1]],
    [0x00280008, "IS", String(zs.length)],
    [0x00280010, "US", [rows]],
    [0x00280011, "US", [cols]],
    [0x00280100, "US", [1]],
    [0x00280101, "US", [1]],
    [0x00280102, "US", [0]],
    [0x00280103, "US", [0]],
    [0x00620001, "CS", "BINARY"],
    [0x00620002, "SQ", [[[0x00620004, "US", [1]], [0x00620005, "LO", "Tumour"]]]],
    [0x52009229, "SQ", [[
      [0x00209116, "SQ", [[[0x00200037, "DS", "1\\0\\0\\0\\1\\0"]]]],
      [0x00289110, "SQ", [[[0x00280030, "DS", opts.spacing ?? "0.5\\0.75"], [0x00180088, "DS", "2"]]]],
    ]]],
    [0x52009230, "SQ", zs.map((z) => [
      [0x00209113, "SQ", [[[0x00200032, "DS", `-10.5\\-20.25\\${z}`]]]],
      [0x0062000a, "SQ", [[[0x0062000b, "US", [1]]]]],
    ] as Item)],
    [0x7fe00010, "OB", packed],
  ];
}

// ---------------------------------------------------------------------------------------------------
// Mutations

interface Mutation {
  kind: string;
  apply(b: Uint8Array, base: Encoded): Uint8Array;
}

const u32Values = [0, 1, 2, 3, 0xff, 0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function writeLength(b: Uint8Array, at: number, size: 2 | 4, v: number, le: boolean): void {
  if (at + size > b.length) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (size === 2) dv.setUint16(at, v & 0xffff, le);
  else dv.setUint32(at, v >>> 0, le);
}

function randomMutation(rng: Rng): Mutation {
  switch (rng.int(7)) {
    case 0: {
      const n = 1 + rng.int(8);
      const bits = Array.from({ length: n }, () => rng.uniform());
      return {
        kind: `flip ${n} bits`,
        apply: (b) => {
          const out = b.slice();
          for (const u of bits) {
            const bit = Math.floor(u * out.length * 8);
            out[bit >> 3] ^= 1 << (bit & 7);
          }
          return out;
        },
      };
    }
    case 1: {
      const u = rng.uniform();
      return { kind: "truncate", apply: (b) => b.slice(0, Math.floor(u * b.length)) };
    }
    case 2: {
      const u = rng.uniform();
      const run = Array.from({ length: 1 + rng.int(32) }, () => rng.int(256));
      return {
        kind: `random run of ${run.length} bytes`,
        apply: (b) => {
          const out = b.slice();
          const at = Math.floor(u * out.length);
          run.forEach((x, i) => at + i < out.length && (out[at + i] = x));
          return out;
        },
      };
    }
    case 3: {
      const which = rng.uniform();
      const special = rng.int(3);
      const value = special === 0 ? u32Values[rng.int(u32Values.length)] : special === 1 ? rng.int(4096) : Math.floor(rng.uniform() * 2 ** 32);
      return {
        kind: `length := ${value}`,
        apply: (b, base) => {
          const out = b.slice();
          const l = base.lengths[Math.floor(which * base.lengths.length)];
          writeLength(out, l.at, l.size, value, l.le ?? true);
          return out;
        },
      };
    }
    case 4: {
      const u1 = rng.uniform();
      const u2 = rng.uniform();
      return {
        kind: "swap two lengths",
        apply: (b, base) => {
          const out = b.slice();
          const l1 = base.lengths[Math.floor(u1 * base.lengths.length)];
          const l2 = base.lengths[Math.floor(u2 * base.lengths.length)];
          const c1 = out.slice(l1.at, l1.at + l1.size);
          const c2 = out.slice(l2.at, l2.at + l2.size);
          // Swapped byte for byte (a short length may take the low bytes of a long one and vice versa).
          for (let i = 0; i < l1.size; i++) out[l1.at + i] = c2[i % c2.length] ?? 0;
          for (let i = 0; i < l2.size; i++) out[l2.at + i] = c1[i % c1.length] ?? 0;
          return out;
        },
      };
    }
    case 5: {
      const u = rng.uniform();
      const n = 1 + rng.int(16);
      const ins = Array.from({ length: n }, () => rng.int(256));
      return {
        kind: `insert ${n} bytes`,
        apply: (b) => {
          const at = Math.floor(u * b.length);
          const out = new Uint8Array(b.length + n);
          out.set(b.subarray(0, at));
          out.set(ins, at);
          out.set(b.subarray(at), at + n);
          return out;
        },
      };
    }
    default: {
      const u = rng.uniform();
      const n = 1 + rng.int(16);
      return {
        kind: `delete ${n} bytes`,
        apply: (b) => {
          const at = Math.floor(u * b.length);
          const cut = Math.min(n, b.length - at);
          const out = new Uint8Array(b.length - cut);
          out.set(b.subarray(0, at));
          out.set(b.subarray(at + cut), at);
          return out;
        },
      };
    }
  }
}

/**
 * Runs `read`; returns a description of any outcome other than a typed error naming `names` (the file,
 * or the folder of a series) or a well-formed volume.
 */
function outcome(read: () => Volume, names: string[]): string | null {
  let v: Volume;
  try {
    v = read();
  } catch (e) {
    if (e instanceof InputError || e instanceof NumericalError) {
      return names.some((n) => e.message.includes(n)) ? null : `${e.name} not naming the file: ${e.message}`;
    }
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split("\n").slice(1, 4).join("\n")}` : `non-Error thrown: ${String(e)}`;
  }
  const n = v.dims[0] * v.dims[1] * v.dims[2];
  if (!v.dims.every((d) => Number.isInteger(d) && d >= 1)) return `volume with dims ${v.dims}`;
  if (v.data.length !== n) return `volume data length ${v.data.length} ≠ ${v.dims.join("×")}`;
  if (!v.spacing.every((s) => Number.isFinite(s) && s > 0)) return `volume with spacing ${v.spacing}`;
  if (![...v.origin, ...v.direction].every(Number.isFinite)) return `volume with non-finite geometry`;
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The fuzz test

const BASES: Array<{ name: string; file: Encoded }> = [
  { name: "explicit LE slice", file: dicomFile(EXPLICIT_LE, ctSlice(0)) },
  { name: "implicit LE slice", file: dicomFile(IMPLICIT_LE, ctSlice(0)) },
  { name: "explicit BE slice", file: dicomFile(EXPLICIT_BE, ctSlice(0)) },
  { name: "enhanced multi-frame", file: dicomFile(EXPLICIT_LE, enhancedCt()) },
];

// Longer local runs: FUZZ_N=100000 FUZZ_SEED=1 node --import tsx --test test/dicom-fuzz.test.ts
const N_SERIES = Number(process.env.FUZZ_N ?? 2000);
const N_SEG = Math.ceil(N_SERIES / 5);
const SEED = Number(process.env.FUZZ_SEED ?? 20240405);

test("the valid bases read", () => {
  for (const b of BASES) {
    const f = join(tmp, "base.dcm");
    writeFileSync(f, b.file.bytes);
    const v = readDicomSeries(f);
    assert.equal(v.dims[0], COLS, b.name);
    assert.equal(v.dims[1], ROWS, b.name);
  }
  const img = threeSlices();
  const segF = join(tmp, "seg-base.dcm");
  writeFileSync(segF, dicomFile(EXPLICIT_LE, segItems()).bytes);
  assert.equal(readMask(segF, { image: img }).dims[2], 3);
});

/** A valid 3-slice series on disk (z = 0, 2, 4), for the SEG and multi-file cases. */
let seriesCache: Volume | undefined;
function threeSlices(): Volume {
  if (seriesCache) return seriesCache;
  const dir = join(tmp, "three");
  mkdirSync(dir, { recursive: true });
  for (const z of [0, 1, 2]) writeFileSync(join(dir, `s${z}.dcm`), dicomFile(EXPLICIT_LE, ctSlice(z)).bytes);
  return (seriesCache = readDicomSeries(dir));
}

test(`fuzz: ${N_SERIES} corrupted DICOM files → readDicomSeries throws only InputError/NumericalError`, { timeout: 120_000 }, () => {
  const rng = createRng(SEED);
  const failures: string[] = [];
  const f = join(tmp, "fuzz.dcm");
  // Half of the cases read a single file; the other half a series of two valid slices plus the corrupted one.
  const dir = join(tmp, "fuzz-series");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "a.dcm"), dicomFile(EXPLICIT_LE, ctSlice(1)).bytes);
  writeFileSync(join(dir, "b.dcm"), dicomFile(EXPLICIT_LE, ctSlice(2)).bytes);
  const kinds = new Map<string, number>();
  for (let it = 0; it < N_SERIES; it++) {
    const base = BASES[it % BASES.length];
    const nMut = 1 + rng.int(3);
    let bytes = base.file.bytes;
    const done: string[] = [];
    for (let m = 0; m < nMut; m++) {
      const mut = randomMutation(rng);
      bytes = mut.apply(bytes, base.file);
      done.push(mut.kind);
    }
    const inSeries = it % 2 === 1 && base.name === "implicit LE slice";
    const target = inSeries ? join(dir, "c.dcm") : f;
    writeFileSync(target, bytes);
    const r = outcome(() => readDicomSeries(inSeries ? dir : target), inSeries ? [dir] : [target]);
    const k = done.map((d) => d.split(" ")[0]).join("+");
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    if (r) failures.push(`iteration ${it} (${base.name}; ${done.join(", ")}): ${r}`);
  }
  if (failures.length) console.log(failures.slice(0, 40).join("\n"));
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${N_SERIES} corrupted files gave an untyped error or a bad volume`);
  assert.ok(kinds.size > 10, "the mutations vary");
});

test(`fuzz: ${N_SEG} corrupted DICOM-SEG files → readMask throws only InputError/NumericalError`, { timeout: 60_000 }, () => {
  const rng = createRng(SEED + 1);
  const image = threeSlices();
  const base = dicomFile(EXPLICIT_LE, segItems());
  const f = join(tmp, "fuzz-seg.dcm");
  const failures: string[] = [];
  for (let it = 0; it < N_SEG; it++) {
    let bytes = base.bytes;
    const done: string[] = [];
    for (let m = 0, n = 1 + rng.int(3); m < n; m++) {
      const mut = randomMutation(rng);
      bytes = mut.apply(bytes, base);
      done.push(mut.kind);
    }
    writeFileSync(f, bytes);
    // With and without an image grid: the SEG's own grid is built from its (corrupted) frames.
    const r = outcome(() => readMask(f, it % 2 ? { image } : {}), [f]);
    if (r) failures.push(`iteration ${it} (${done.join(", ")}): ${r}`);
  }
  if (failures.length) console.log(failures.slice(0, 40).join("\n"));
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${N_SEG} corrupted SEG files gave an untyped error or a bad volume`);
});

// ---------------------------------------------------------------------------------------------------
// Regression cases: inputs the fuzzer (and the cohort test) once broke the reader with, rebuilt
// deterministically. Before the fixes in lib/imaging/dicom.ts and dicomSeries.ts each gave the outcome
// in its comment.

const throwsInput = (fn: () => unknown, re: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.match(e.message, re);
    return true;
  });
};

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function writeCase(name: string, bytes: Uint8Array): string {
  const f = join(tmp, name);
  writeFileSync(f, bytes);
  return f;
}

/** Offset of the first occurrence of an ASCII string in the bytes. */
function find(b: Uint8Array, text: string): number {
  const t = [...text].map((c) => c.charCodeAt(0));
  outer: for (let i = 0; i + t.length <= b.length; i++) {
    for (let j = 0; j < t.length; j++) if (b[i + j] !== t[j]) continue outer;
    return i;
  }
  throw new Error(`"${text}" not in the bytes`);
}

test("regression: a per-frame functional group without PlanePositionSequence (was TypeError in framesOf)", () => {
  const items = enhancedCt();
  const perFrame = items.find((e) => e[0] === 0x52009230)![2] as Item[];
  perFrame[1] = [[0x00209133, "SQ", (perFrame[1][0][2] as Item[])]]; // the tag a flipped bit made of (0020,9113)
  const f = writeCase("reg-no-plane-position.dcm", dicomFile(EXPLICIT_LE, items).bytes);
  throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)} frame 2: no valid ImagePositionPatient \\(0020,0032\\)`));
});

test("regression: a file cut off inside a text element (was a bare string thrown by dicom-parser's readFixedString)", () => {
  const b = dicomFile(EXPLICIT_LE, ctSlice(0)).bytes;
  const f = writeCase("reg-cut-in-uid.dcm", b.slice(0, find(b, "1.2.826.0.1.3680043.2.9") + 5));
  throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)}: .*(runs past the end of the data|damaged DICOM file).*truncated`));
});

test("regression: implicit VR pixel data short by a few bytes (was RangeError: Invalid DataView length)", () => {
  const b = dicomFile(IMPLICIT_LE, ctSlice(0)).bytes;
  const f = writeCase("reg-short-pixels.dcm", b.slice(0, b.length - 7));
  throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)}: element \\(7FE0,0010\\) of 60 bytes at byte \\d+ runs past the end of the data .*truncated or damaged`));
});

test("regression: a single slice with SliceThickness 0 (was a volume with spacing 0)", () => {
  const items = ctSlice(0).map((e): [number, string, Value] => (e[0] === 0x00180050 ? [e[0], e[1], "0"] : e));
  const v = readDicomSeries(writeCase("reg-thickness-0.dcm", dicomFile(EXPLICIT_BE, items).bytes));
  assert.deepEqual(v.spacing, [0.75, 0.5, 1]); // no usable slice step: 1 mm, as for a slice without one
});

test("regression: a damaged slice in a folder is reported, not skipped as a stray file (was '1 slice missing')", () => {
  const dir = join(tmp, "reg-damaged-in-folder");
  mkdirSync(dir);
  for (const z of [0, 1, 2]) {
    const b = dicomFile(EXPLICIT_LE, ctSlice(z)).bytes;
    writeFileSync(join(dir, `s${z}.dcm`), z === 1 ? b.slice(0, b.length - 50) : b);
  }
  writeFileSync(join(dir, "README.txt"), "stray files are still skipped");
  throwsInput(() => readDicomSeries(dir), new RegExp(`${esc(join(dir, "s1.dcm"))}: .*truncated`));
});

test("regression: NumberOfFrames far beyond the pixel data (was TypeError: frames past the per-frame groups)", () => {
  const items = enhancedCt().map((e): [number, string, Value] => (e[0] === 0x00280008 ? [e[0], e[1], "99999999"] : e));
  const f = writeCase("reg-frames.dcm", dicomFile(EXPLICIT_LE, items).bytes);
  throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)}: pixel data hold 180 bytes, but NumberOfFrames 99999999 × Rows 6 × Columns 5 × 16 bits need 5999999940; the file is truncated or its header damaged`));
});

// ---------------------------------------------------------------------------------------------------
// The issue's bad-input list: the cases test/imaging.test.ts does not cover (it has compressed transfer
// syntax, mixed series, missing slice, duplicate position, NIfTI grid mismatch and not-DICOM).

test("bad input: truncated file (meta header, data set, pixel data) — each names the file", () => {
  const b = dicomFile(EXPLICIT_LE, ctSlice(0)).bytes;
  for (const [name, cut] of [["meta", 150], ["dataset", 400], ["pixels", b.length - 10]] as const) {
    const f = writeCase(`truncated-${name}.dcm`, b.slice(0, cut));
    throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)}: .*truncated`));
  }
  // Only the preamble: no DICM marker left.
  const f = writeCase("truncated-preamble.dcm", b.slice(0, 100));
  throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)} is not a DICOM file`));
});

test("bad input: missing pixel data, and pixel data shorter than Rows × Columns", () => {
  const noPixels = ctSlice(0).filter((e) => e[0] !== 0x7fe00010);
  const f = writeCase("no-pixels.dcm", dicomFile(EXPLICIT_LE, noPixels).bytes);
  throwsInput(() => readDicomSeries(f), new RegExp(`${esc(f)}: CT slice without pixel data \\(7FE0,0010\\)`));
  // In a folder too: the slice is not silently dropped.
  const dir = join(tmp, "no-pixels-folder");
  mkdirSync(dir);
  for (const z of [0, 1, 2]) writeFileSync(join(dir, `s${z}.dcm`), dicomFile(EXPLICIT_LE, z === 2 ? ctSlice(z).filter((e) => e[0] !== 0x7fe00010) : ctSlice(z)).bytes);
  throwsInput(() => readDicomSeries(dir), new RegExp(`${esc(join(dir, "s2.dcm"))}: CT slice without pixel data`));
  // A consistent file whose pixel data element is simply too short.
  const short = ctSlice(0).map((e): [number, string, Value] => (e[0] === 0x7fe00010 ? [e[0], e[1], new Uint16Array(ROWS * COLS - 4)] : e));
  const g = writeCase("short-pixels.dcm", dicomFile(EXPLICIT_LE, short).bytes);
  throwsInput(() => readDicomSeries(g), new RegExp(`${esc(g)}: pixel data hold 52 bytes, but Rows 6 × Columns 5 × 16 bits need 60`));
});

test("bad input: mask outside the image (SEG frames beyond the stack, RTSTRUCT contours off the slices)", () => {
  const image = threeSlices(); // z = 0, 2, 4
  const seg = writeCase("seg-outside.dcm", dicomFile(EXPLICIT_LE, segItems({ z: [6, 8] })).bytes);
  throwsInput(() => readMask(seg, { image }), new RegExp(`SEG ${esc(seg)} frame 1 at \\(-10\\.5, -20\\.25, 6\\) mm lies outside the image \\(slice 3 of 0\\.\\.2\\)`));
  const contour = (z: number) => [
    [0x30060042, "CS", "CLOSED_PLANAR"],
    [0x30060050, "DS", [-10, -20, z, -9, -20, z, -9, -18, z].join("\\")],
  ] as Item;
  const rt: Item = [
    [0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.481.3"],
    [0x00080060, "CS", "RTSTRUCT"],
    [0x30060020, "SQ", [[[0x30060022, "IS", "1"], [0x30060026, "LO", "GTV"]]]],
    [0x30060039, "SQ", [[[0x30060084, "IS", "1"], [0x30060040, "SQ", [contour(20), contour(22)]]]]],
  ];
  const rs = writeCase("rtstruct-outside.dcm", dicomFile(EXPLICIT_LE, rt).bytes);
  throwsInput(() => readMask(rs, { image }), new RegExp(`${esc(rs)}: ROI "GTV" has no closed planar contour inside the image`));
  // The same contours on the image's slices are fine.
  const inside = rt.map((e): [number, string, Value] => (e[0] === 0x30060039 ? [e[0], e[1], [[[0x30060084, "IS", "1"], [0x30060040, "SQ", [contour(2)]]]]] : e));
  assert.ok(readMask(writeCase("rtstruct-inside.dcm", dicomFile(EXPLICIT_LE, inside).bytes), { image }).data.some((x) => x === 1));
});

test("bad input: SEG on another grid than the image (size, spacing) says how it differs", () => {
  const image = threeSlices();
  const bigger = writeCase("seg-size.dcm", dicomFile(EXPLICIT_LE, segItems({ rows: ROWS + 2 })).bytes);
  throwsInput(() => readMask(bigger, { image }), new RegExp(`SEG ${esc(bigger)} frames are 5×8 pixels, image slices 5×6`));
  const finer = writeCase("seg-spacing.dcm", dicomFile(EXPLICIT_LE, segItems({ spacing: "0.25\\0.75" })).bytes);
  throwsInput(() => readMask(finer, { image }), new RegExp(`SEG ${esc(finer)} pixel spacing 0\\.75×0\\.25 mm differs from image 0\\.75×0\\.5 mm`));
});
