/**
 * Structural tests of the image figures: what each trace plots must be the voxels it comes from.
 * - sliceView: the heatmap's z is the volume's slice (exact, value by value), x/y are the voxel centres
 *   in mm (origin + index × spacing, to 1e-12 abs), each contour trace's z is its mask's slice as 0/1
 *   with a single contour level at 0.5, and the default slice is the one where the masks cover most
 *   voxels (checked against a direct count on a twin patient's four reader masks).
 * - matrixHeatmap: cells, cropping and the log scale (exact / 1e-15 rel).
 * - Bad input: a clear InputError naming the mask or parameter.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sliceView, matrixHeatmap, maskAreaBySlice, type PlotlyTrace } from "../lib/plot/index.js";
import { identityDirection, type Volume } from "../lib/imaging/volume.js";
import { twinTables, twinImages } from "../lib/twin/index.js";
import { InputError } from "../lib/errors.js";
import { close } from "./helpers.js";

type Meta = { role: string; label?: string; slice?: number };
const byRole = (fig: { data: PlotlyTrace[] }, role: string) => fig.data.filter((t) => (t.meta as Meta).role === role);

/** A 6 × 5 × 4 volume whose voxel value encodes its index: v = i + 10 j + 100 k. */
function toyVolume(): Volume {
  const dims: [number, number, number] = [6, 5, 4];
  const data = new Float32Array(6 * 5 * 4);
  for (let k = 0; k < 4; k++) for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) data[i + 6 * (j + 5 * k)] = i + 10 * j + 100 * k;
  return { data, dims, spacing: [0.8, 1.5, 5], origin: [-10, 20, -3], direction: identityDirection(), meta: {} };
}

/** Mask with `count[k]` voxels set on slice k (first voxels of the slice). */
function toyMask(counts: number[]): Uint8Array {
  const m = new Uint8Array(6 * 5 * 4);
  counts.forEach((c, k) => { for (let p = 0; p < c; p++) m[k * 30 + p] = 1; });
  return m;
}

test("sliceView: heatmap is the slice in mm, contours are the mask slices, default slice has the largest area", () => {
  const vol = toyVolume();
  const a = toyMask([0, 3, 7, 2]);
  const b = toyMask([0, 5, 1, 2]); // summed areas per slice: 0, 8, 8, 4 → tie between 1 and 2: the lower index
  const fig = sliceView(vol, { masks: [{ label: "A", mask: a }, { label: "B", mask: { data: b, dims: vol.dims }, color: "#123456" }] });
  const [img] = byRole(fig, "image");
  assert.equal((img.meta as Meta).slice, 1);
  const z = img.z as number[][];
  assert.equal(z.length, 5); // rows = y
  for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) assert.equal(z[j][i], i + 10 * j + 100 * 1);
  (img.x as number[]).forEach((x, i) => close(x, -10 + 0.8 * i, { abs: 1e-12 }, `x[${i}]`));
  (img.y as number[]).forEach((y, j) => close(y, 20 + 1.5 * j, { abs: 1e-12 }, `y[${j}]`));
  const contours = byRole(fig, "contour");
  assert.deepEqual(contours.map((c) => c.name), ["A", "B"]);
  contours.forEach((c, m) => {
    const mask = [a, b][m];
    const cz = c.z as number[][];
    for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) assert.equal(cz[j][i], mask[30 + i + 6 * j]);
    assert.deepEqual(c.x, img.x);
    assert.deepEqual(c.y, img.y);
    const levels = c.contours as { start: number; end: number; coloring: string };
    assert.equal(levels.start, 0.5);
    assert.equal(levels.end, 0.5);
    assert.equal(levels.coloring, "none");
    assert.equal(c.showlegend, true);
  });
  assert.equal((contours[1].line as { color: string }).color, "#123456");
  // Radiology display: y axis reversed (anterior at the top), equal aspect.
  const yaxis = fig.layout.yaxis as { range: number[]; scaleanchor: string; scaleratio: number };
  assert.ok(yaxis.range[0] > yaxis.range[1]);
  assert.equal(yaxis.scaleanchor, "x");
  assert.equal(yaxis.scaleratio, 1);

  // A strict maximum wins; an explicit slice overrides; no mask → the middle slice.
  assert.equal((byRole(sliceView(vol, { masks: [{ label: "A", mask: a }] }), "image")[0].meta as Meta).slice, 2);
  const s3 = sliceView(vol, { slice: 3, masks: [{ label: "A", mask: a }], window: [0, 500] });
  assert.equal((s3.data[0].z as number[][])[4][5], 5 + 40 + 300);
  assert.equal(s3.data[0].zmin, 0);
  assert.equal(s3.data[0].zmax, 500);
  assert.equal((byRole(sliceView(vol), "image")[0].meta as Meta).slice, 2);
});

test("sliceView on a twin patient: image slice and four reader contours, largest-area slice by default", () => {
  const tables = twinTables(20210503);
  const [p] = twinImages(tables, { ids: [tables.clinical[0].id] });
  const masks = p.masks.map((m) => ({ label: `Reader ${m.reader}, reading ${m.reading}`, mask: m.data }));
  const fig = sliceView(p.image, { masks });
  const [nx, ny, nz] = p.image.dims;
  // Direct count of the summed mask area per slice.
  let best = 0, bestArea = -1;
  for (let k = 0; k < nz; k++) {
    let area = 0;
    for (const m of p.masks) for (let q = 0; q < nx * ny; q++) area += m.data[k * nx * ny + q];
    if (area > bestArea) { best = k; bestArea = area; }
  }
  assert.deepEqual(Array.from(maskAreaBySlice(p.image.dims, p.masks.map((m) => m.data))).reduce((s, x) => s + x, 0),
    p.masks.reduce((s, m) => s + m.data.reduce((t, v) => t + v, 0), 0));
  const [img] = byRole(fig, "image");
  assert.equal((img.meta as Meta).slice, best);
  const z = img.z as number[][];
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) assert.equal(z[j][i], p.image.data[i + nx * (j + ny * best)]);
  const contours = byRole(fig, "contour");
  assert.equal(contours.length, 4);
  contours.forEach((c, m) => {
    const cz = c.z as number[][];
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) assert.equal(cz[j][i], p.masks[m].data[i + nx * (j + ny * best)]);
  });
  // Default window: the slice's 1st–99th percentile, inside the slice's range.
  const flat = z.flat();
  assert.ok((img.zmin as number) >= Math.min(...flat) && (img.zmax as number) <= Math.max(...flat) && (img.zmin as number) < (img.zmax as number));
});

test("sliceView bad input names the mask or parameter", () => {
  const vol = toyVolume();
  const throwsInput = (fn: () => unknown, re: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof InputError && re.test((e as Error).message));
  throwsInput(() => sliceView(vol, { masks: [{ label: "short", mask: new Uint8Array(10) }] }), /mask "short" has 10 voxels, the volume 120/);
  throwsInput(() => sliceView(vol, { masks: [{ label: "grid", mask: { data: new Uint8Array(120), dims: [5, 6, 4] } }] }), /mask "grid" has dims 5×6×4/);
  throwsInput(() => sliceView(vol, { slice: 4 }), /slice must be an integer in 0\.\.3, got 4/);
  throwsInput(() => sliceView(vol, { masks: [{ label: "empty", mask: new Uint8Array(120) }] }), /every mask is empty/);
  throwsInput(() => sliceView(vol, { window: [3, 3] }), /window must be \[lo, hi\]/);
});

test("matrixHeatmap: cells row by row, cropping to the non-zero block, log scale", () => {
  // 4 × 4 matrix with counts only in rows/cols 2..3 (1-based).
  const m = new Float64Array([0, 0, 0, 0, 0, 5, 1, 0, 0, 1, 9, 0, 0, 0, 0, 0]);
  const full = matrixHeatmap(m);
  assert.deepEqual(full.data[0].z, [[0, 0, 0, 0], [0, 5, 1, 0], [0, 1, 9, 0], [0, 0, 0, 0]]);
  assert.deepEqual(full.data[0].x, [1, 2, 3, 4]);
  const crop = matrixHeatmap(m, { cropToNonZero: true, logScale: true });
  assert.deepEqual(crop.data[0].x, [2, 3]);
  assert.deepEqual(crop.data[0].y, [2, 3]);
  assert.deepEqual(crop.data[0].customdata, [[5, 1], [1, 9]]);
  const z = crop.data[0].z as number[][];
  [[5, 1], [1, 9]].forEach((row, r) => row.forEach((v, c) => close(z[r][c], Math.log10(1 + v), { rel: 1e-15 }, `log cell ${r},${c}`)));
  assert.deepEqual(matrixHeatmap(m, { cropToNonZero: true, zeroAsBlank: true }).data[0].z, [[5, 1], [1, 9]]);
  assert.deepEqual(matrixHeatmap(new Float64Array([0, 2, 0, 0]), { zeroAsBlank: true }).data[0].z, [[null, 2], [null, null]]);
  const rect = matrixHeatmap(new Float64Array(6), { nRows: 2 });
  assert.equal((rect.data[0].z as number[][]).length, 2);
  assert.throws(() => matrixHeatmap(new Float64Array(6)), InputError);
});
