/**
 * readMask: a region of interest as a 0/1 Uint8Array Volume, from a NIfTI mask, a DICOM-SEG, or a
 * DICOM RTSTRUCT rasterised onto an image grid.
 *
 * RTSTRUCT contours are polygons in patient coordinates; they are filled on the image grid by the
 * even–odd rule tested at voxel centres (the convention of MIRP and plastimatch), so a contour drawn
 * inside another on the same slice cuts a hole.
 */
import { readFileSync } from "node:fs";
import type { DataSet } from "dicom-parser";
import { InputError } from "../errors.js";
import {
  decodeFrame,
  frameGroup,
  framesOf,
  hasDicmMarker,
  items,
  num,
  nums,
  openDicom,
  pixelFormat,
  SOP_CLASS,
  str,
  us,
  type DicomFile,
  type Frame,
} from "./dicom.js";
import { checkSameGrid, dot, noNegZero, GRID_TOL_COSINE, GRID_TOL_MM, worldToVoxelFn, type Grid } from "./grid.js";
import { readNifti } from "./nifti.js";
import type { Volume } from "./volume.js";

export interface ReadMaskOptions {
  /** Image whose grid the mask must match (NIfTI, SEG) or is rasterised onto (RTSTRUCT, required). */
  image?: Volume;
  /**
   * Which structure: RTSTRUCT ROI name (or ROI number); SEG segment label (or segment number);
   * NIfTI label value. May be omitted when the file holds a single structure.
   */
  roi?: string | number;
}

const isNiftiBytes = (b: Uint8Array): boolean => {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true;
  if (b.length < 4) return false;
  const v = new DataView(b.buffer, b.byteOffset, 4);
  return [348, 540].includes(v.getInt32(0, true)) || [348, 540].includes(v.getInt32(0, false));
};

export function readMask(path: string, options: ReadMaskOptions = {}): Volume {
  let b: Uint8Array;
  try {
    b = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (!hasDicmMarker(b) && isNiftiBytes(b)) return niftiMask(path, options);
  const f = openDicom(path, b);
  const sop = str(f.ds, "x00080016") ?? "";
  const modality = str(f.ds, "x00080060");
  if (sop === SOP_CLASS.seg || modality === "SEG") return segMask(f, options);
  if (sop === SOP_CLASS.rtstruct || modality === "RTSTRUCT") return rtstructMask(f, options);
  throw new InputError(`${path} is a DICOM ${modality ?? "object"} (SOP class ${sop}), not a SEG or RTSTRUCT mask`);
}

const gridOf = (v: Grid): Grid => ({ dims: [...v.dims], spacing: [...v.spacing], origin: [...v.origin], direction: [...v.direction] });

function niftiMask(path: string, { image, roi }: ReadMaskOptions): Volume {
  const v = readNifti(path);
  const n = v.data.length;
  const labels = new Set<number>();
  for (let p = 0; p < n && labels.size <= 256; p++) if (v.data[p] !== 0) labels.add(v.data[p]);
  const sorted = [...labels].sort((a, b) => a - b);
  let label: number | undefined;
  if (roi !== undefined) {
    label = Number(roi);
    if (!Number.isFinite(label)) throw new InputError(`${path}: roi "${roi}" must be a label value for a NIfTI mask`);
    if (!labels.has(label)) throw new InputError(`${path} has no voxel with label ${label}; labels present: ${sorted.join(", ") || "none"}`);
  } else if (sorted.length > 1 && sorted.every(Number.isInteger) && labels.size <= 256) {
    throw new InputError(`${path} is a label map with labels ${sorted.join(", ")}; choose one with { roi }`);
  }
  const data = new Uint8Array(n);
  for (let p = 0; p < n; p++) data[p] = label === undefined ? (v.data[p] !== 0 ? 1 : 0) : v.data[p] === label ? 1 : 0;
  if (image) checkSameGrid(v, image, `mask ${path}`, "image");
  return { ...gridOf(image ?? v), data, meta: { ...v.meta, format: "nifti-mask", label, labels: sorted } };
}

// ---------------------------------------------------------------------------------------------------
// DICOM-SEG

interface Segment {
  number: number;
  label: string;
}

const listSegments = (segs: Segment[]): string => segs.map((s) => `${s.number} "${s.label}"`).join(", ");

function pickSegment(file: string, segs: Segment[], roi: string | number | undefined): Segment {
  if (segs.length === 0) throw new InputError(`${file}: SEG has no SegmentSequence (0062,0002)`);
  if (roi === undefined) {
    if (segs.length === 1) return segs[0];
    throw new InputError(`${file} holds ${segs.length} segments (${listSegments(segs)}); choose one with { roi } (label or number)`);
  }
  const byLabel = segs.filter((s) => s.label === String(roi));
  if (byLabel.length === 1) return byLabel[0];
  const byNumber = segs.find((s) => s.number === Number(roi));
  if (byNumber && (typeof roi === "number" || /^\d+$/.test(roi))) return byNumber;
  const loose = segs.filter((s) => s.label.trim().toLowerCase() === String(roi).trim().toLowerCase());
  if (loose.length === 1) return loose[0];
  throw new InputError(`${file}: no segment "${roi}"; segments: ${listSegments(segs)}`);
}

/** Grid (with the slice step) made from the SEG's own frames, for when no image is given. */
function segOwnGrid(frames: Frame[], file: string): Grid {
  const ref = frames[0];
  const n = ref.normal;
  const d = [...new Set(frames.map((f) => dot(n, f.position)))].sort((a, b) => a - b);
  const pos: number[] = [d[0]];
  for (const x of d) if (x - pos[pos.length - 1] > GRID_TOL_MM) pos.push(x);
  // SEG may leave out empty slices, so gaps are multiples of the step; the declared SpacingBetweenSlices wins.
  let step = ref.spacingBetweenSlices ?? 0;
  if (!(step > 0)) {
    step = pos.length > 1 ? Math.min(...pos.slice(1).map((x, i) => x - pos[i])) : ref.sliceThickness ?? 1;
  }
  const nz = Math.round((pos[pos.length - 1] - pos[0]) / step) + 1;
  const first = frames.find((f) => Math.abs(dot(n, f.position) - pos[0]) <= GRID_TOL_MM)!;
  const r = ref.rowCos;
  const c = ref.colCos;
  if (!(nz >= 1 && nz < 1e5)) throw new InputError(`${file}: SEG frame positions do not form a slice grid`);
  return {
    dims: [ref.cols, ref.rows, nz],
    spacing: [ref.spacing[0], ref.spacing[1], step],
    origin: [...first.position],
    direction: [r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]].map(noNegZero) as Grid["direction"],
  };
}

const fmt = (x: number): string => String(Math.round(x * 1e4) / 1e4);

/** Slice index of `f` on `grid`; throws, saying how, when the frame is not one of the grid's slices. */
function sliceOf(f: Frame, grid: Grid, toVoxel: (p: ArrayLike<number>) => number[], what: string, against: string): number {
  const where = `${what} frame ${f.frame + 1}`;
  if (f.cols !== grid.dims[0] || f.rows !== grid.dims[1]) {
    throw new InputError(`${what} frames are ${f.cols}×${f.rows} pixels, ${against} slices ${grid.dims[0]}×${grid.dims[1]}`);
  }
  if (Math.abs(f.spacing[0] - grid.spacing[0]) > GRID_TOL_MM || Math.abs(f.spacing[1] - grid.spacing[1]) > GRID_TOL_MM) {
    throw new InputError(
      `${what} pixel spacing ${fmt(f.spacing[0])}×${fmt(f.spacing[1])} mm differs from ${against} ${fmt(grid.spacing[0])}×${fmt(grid.spacing[1])} mm`,
    );
  }
  const g = grid.direction;
  const col = (j: number) => [g[j], g[3 + j], g[6 + j]];
  const bad = (u: number[], v: number[]) => u.some((x, a) => Math.abs(x - v[a]) > GRID_TOL_COSINE);
  if (bad(f.rowCos, col(0)) || bad(f.colCos, col(1))) {
    throw new InputError(
      `${what} orientation (ImageOrientationPatient ${[...f.rowCos, ...f.colCos].map(fmt).join("\\")}) differs from ${against} ` +
        `(${[...col(0), ...col(1)].map(fmt).join("\\")})`,
    );
  }
  const [i, j, k] = toVoxel(f.position);
  const kr = Math.round(k);
  if (Math.abs(i) * grid.spacing[0] > GRID_TOL_MM || Math.abs(j) * grid.spacing[1] > GRID_TOL_MM || Math.abs(k - kr) * grid.spacing[2] > GRID_TOL_MM) {
    throw new InputError(
      `${where} at (${f.position.map(fmt).join(", ")}) mm is not on a slice of the ${against} grid ` +
        `(voxel coordinates ${fmt(i)}, ${fmt(j)}, ${fmt(k)}; origin or slice positions differ)`,
    );
  }
  if (kr < 0 || kr >= grid.dims[2]) {
    throw new InputError(`${where} at (${f.position.map(fmt).join(", ")}) mm lies outside the ${against} (slice ${kr} of 0..${grid.dims[2] - 1})`);
  }
  return kr;
}

function segMask(f: DicomFile, { image, roi }: ReadMaskOptions): Volume {
  const { ds, file } = f;
  const type = str(ds, "x00620001") ?? "BINARY";
  if (type !== "BINARY" && type !== "FRACTIONAL") throw new InputError(`${file}: SEG type ${type} is not supported (BINARY or FRACTIONAL)`);
  const segments: Segment[] = items(ds, "x00620002").map((s, i) => ({
    number: us(s, "x00620004") ?? i + 1,
    label: str(s, "x00620005") ?? "",
  }));
  const seg = pickSegment(file, segments, roi);
  const frames = framesOf(f);
  const segOfFrame = (fr: number): number | undefined => {
    const g = frameGroup(ds, fr, "x0062000a");
    return g ? us(g, "x0062000b") : undefined;
  };
  const chosen = frames.filter((fr) => segOfFrame(fr.frame) === seg.number || (segments.length === 1 && segOfFrame(fr.frame) === undefined));
  const grid = image ? gridOf(image) : segOwnGrid(frames, file);
  const toVoxel = worldToVoxelFn(grid);
  const [nx, ny, nz] = grid.dims;
  const nPix = nx * ny;
  const data = new Uint8Array(nPix * nz);
  const pf = pixelFormat(ds, file);
  // FRACTIONAL segments store occupancy 0..MaximumFractionalValue; IBSI's partial-volume threshold is 0.5.
  const maxFrac = type === "FRACTIONAL" ? num(ds, "x0062000e") ?? 255 : 1;
  const buf = new Float64Array(nPix);
  const what = `SEG ${file}`;
  for (const fr of chosen) {
    const k = sliceOf(fr, grid, toVoxel, what, image ? "image" : "SEG grid");
    decodeFrame(ds, file, pf, f.littleEndian, fr.frame, nPix, buf, 0);
    const off = k * nPix;
    for (let p = 0; p < nPix; p++) if (buf[p] / maxFrac >= 0.5) data[off + p] = 1;
  }
  return {
    ...grid,
    data,
    meta: {
      format: "dicom-seg",
      file,
      segmentNumber: seg.number,
      segmentLabel: seg.label,
      segments,
      segmentationType: type,
      frames: chosen.length,
      gridFrom: image ? "image" : "seg",
      seriesUid: str(ds, "x0020000e"),
      frameOfReferenceUid: str(ds, "x00200052"),
      referencedSeriesUid: str(item(ds, "x00081115"), "x0020000e"),
    },
  };
}

const item = (ds: DataSet, tag: string): DataSet => items(ds, tag)[0] ?? ds;

// ---------------------------------------------------------------------------------------------------
// RTSTRUCT

interface RoiInfo {
  number: number;
  name: string;
  frameOfReferenceUid?: string;
}

function pickRoi(file: string, rois: RoiInfo[], roi: string | number | undefined): RoiInfo {
  const names = rois.map((r) => `"${r.name}"`).join(", ");
  if (rois.length === 0) throw new InputError(`${file}: RTSTRUCT has no StructureSetROISequence (3006,0020)`);
  if (roi === undefined) {
    if (rois.length === 1) return rois[0];
    throw new InputError(`${file} holds ${rois.length} ROIs (${names}); choose one with { roi }`);
  }
  const exact = rois.filter((r) => r.name === String(roi));
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw new InputError(`${file}: ${exact.length} ROIs are named "${roi}" (ROI numbers ${exact.map((r) => r.number).join(", ")}); pass the ROI number`);
  if (typeof roi === "number") {
    const byNumber = rois.find((r) => r.number === roi);
    if (byNumber) return byNumber;
  }
  // Names are typed by hand in planning systems; forgive case and surrounding blanks when that is unambiguous.
  const loose = rois.filter((r) => r.name.trim().toLowerCase() === String(roi).trim().toLowerCase());
  if (loose.length === 1) return loose[0];
  throw new InputError(`${file}: no ROI named "${roi}"; ROIs: ${names}`);
}

/**
 * Fills the polygons (voxel coordinates, several per slice) by the even–odd rule at voxel centres:
 * voxel (i, j) is inside when a ray from its centre in +i direction crosses the edges an odd number of
 * times, crossings counted with the half-open rule (y0 > j) ≠ (y1 > j) so shared vertices count once.
 * For a row j with sorted crossings c0 ≤ c1 ≤ …, that is i ∈ [c0, c1) ∪ [c2, c3) ∪ ….
 */
export function fillPolygons(polygons: Float64Array[], nx: number, ny: number, out: Uint8Array, offset: number): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const poly of polygons) {
    for (let p = 1; p < poly.length; p += 2) {
      if (poly[p] < minY) minY = poly[p];
      if (poly[p] > maxY) maxY = poly[p];
    }
  }
  const j0 = Math.max(0, Math.ceil(minY));
  const j1 = Math.min(ny - 1, Math.floor(maxY));
  const xs: number[] = [];
  for (let j = j0; j <= j1; j++) {
    xs.length = 0;
    for (const poly of polygons) {
      const m = poly.length / 2;
      for (let a = 0, b = m - 1; a < m; b = a++) {
        const ya = poly[2 * a + 1];
        const yb = poly[2 * b + 1];
        if (ya > j !== yb > j) {
          const xa = poly[2 * a];
          const xb = poly[2 * b];
          xs.push(xa + ((j - ya) * (xb - xa)) / (yb - ya));
        }
      }
    }
    xs.sort((a, b) => a - b);
    const row = offset + j * nx;
    for (let q = 0; q + 1 < xs.length; q += 2) {
      const i0 = Math.max(0, Math.ceil(xs[q]));
      const i1 = Math.min(nx - 1, Math.ceil(xs[q + 1]) - 1);
      for (let i = i0; i <= i1; i++) out[row + i] = 1;
    }
  }
}

function rtstructMask(f: DicomFile, { image, roi }: ReadMaskOptions): Volume {
  const { ds, file } = f;
  if (!image) throw new InputError(`${file} is an RTSTRUCT: pass { image } (the series it was drawn on) to rasterise it onto`);
  const rois: RoiInfo[] = items(ds, "x30060020").map((r) => ({
    number: Number(str(r, "x30060022")),
    name: str(r, "x30060026") ?? "",
    frameOfReferenceUid: str(r, "x30060024"),
  }));
  const chosen = pickRoi(file, rois, roi);
  const imageFor = typeof image.meta.frameOfReferenceUid === "string" ? image.meta.frameOfReferenceUid : undefined;
  if (imageFor && chosen.frameOfReferenceUid && imageFor !== chosen.frameOfReferenceUid) {
    throw new InputError(
      `${file}: ROI "${chosen.name}" is drawn in frame of reference ${chosen.frameOfReferenceUid}, the image is in ${imageFor}; ` +
        `its coordinates do not refer to this image`,
    );
  }
  const roiContour = items(ds, "x30060039").find((rc) => Number(str(rc, "x30060084")) === chosen.number);
  const contours = roiContour ? items(roiContour, "x30060040") : [];
  const [nx, ny, nz] = image.dims;
  const toVoxel = worldToVoxelFn(image);
  const bySlice = new Map<number, Float64Array[]>();
  const warnings: string[] = [];
  let nClosed = 0;
  contours.forEach((c, ci) => {
    const type = str(c, "x30060042") ?? "CLOSED_PLANAR";
    const pts = nums(c, "x30060050");
    if (type !== "CLOSED_PLANAR") {
      warnings.push(`contour ${ci + 1} is ${type}, not CLOSED_PLANAR; ignored`);
      return;
    }
    if (!pts || pts.length < 9 || pts.length % 3 !== 0 || pts.some((x) => !Number.isFinite(x))) {
      warnings.push(`contour ${ci + 1} has fewer than 3 valid points; ignored`);
      return;
    }
    const m = pts.length / 3;
    const poly = new Float64Array(2 * m);
    let kMin = Infinity;
    let kMax = -Infinity;
    let kSum = 0;
    for (let p = 0; p < m; p++) {
      const [i, j, k] = toVoxel([pts[3 * p], pts[3 * p + 1], pts[3 * p + 2]]);
      poly[2 * p] = i;
      poly[2 * p + 1] = j;
      kSum += k;
      if (k < kMin) kMin = k;
      if (k > kMax) kMax = k;
    }
    // A contour must lie in one image slice plane; one spanning slices was drawn on another orientation.
    if ((kMax - kMin) * image.spacing[2] > Math.max(GRID_TOL_MM, 0.1 * image.spacing[2])) {
      throw new InputError(
        `${file}: contour ${ci + 1} of ROI "${chosen.name}" is not parallel to the image slices ` +
          `(spans ${fmt((kMax - kMin) * image.spacing[2])} mm along the slice normal)`,
      );
    }
    const kMean = kSum / m;
    const k = Math.round(kMean);
    // Matched to the nearest slice within half a slice; beyond the stack it belongs to no slice.
    if (k < 0 || k >= nz) {
      warnings.push(`contour ${ci + 1} lies outside the image (slice coordinate ${fmt(kMean)}); ignored`);
      return;
    }
    nClosed++;
    const list = bySlice.get(k) ?? [];
    list.push(poly);
    bySlice.set(k, list);
  });
  if (nClosed === 0) throw new InputError(`${file}: ROI "${chosen.name}" has no closed planar contour inside the image`);
  const data = new Uint8Array(nx * ny * nz);
  for (const [k, polys] of bySlice) fillPolygons(polys, nx, ny, data, k * nx * ny);
  return {
    ...gridOf(image),
    data,
    meta: {
      format: "dicom-rtstruct",
      file,
      roiName: chosen.name,
      roiNumber: chosen.number,
      rois: rois.map((r) => r.name),
      contours: nClosed,
      slices: [...bySlice.keys()].sort((a, b) => a - b),
      frameOfReferenceUid: chosen.frameOfReferenceUid,
      warnings,
    },
  };
}
