/**
 * Surface mesh of a binary mask (IBSI morphology: marching cubes on the zero-padded morphological
 * mask at iso-level 0.5) and the 3-D convex hull of its vertices.
 *
 * With a binary mask and level 0.5 every mesh vertex is the midpoint of a cube edge, so vertices live
 * on a half-voxel lattice. We keep them as integers in half-voxel units (2 × index + 0/1), which makes
 * the convex hull's orientation tests exact; millimetres come from scaling by spacing / 2 at the end.
 *
 * The triangle table is generated here rather than typed in, so that it reproduces the surface of
 * Lewiner et al.'s marching cubes ("Efficient implementation of marching cubes' cases with topological
 * guarantees", 2003; scikit-image's `marching_cubes`, which MIRP and hence the IBSI reference values
 * use) on binary masks:
 * - Faces. On a binary mask every asymptotic-decider test ties (the four corner values are ±0.5), and
 *   Lewiner's tie rule then connects the two inside corners of an ambiguous face (the outside corners
 *   are cut off). The rule depends only on the face, so neighbouring cubes agree and the mesh is closed.
 * - Loops. On every face the runs of corners to cut off are bounded by a segment between the two cut
 *   edges around the run; the segments chain into closed loops, one per surface patch.
 * - Triangulation. A loop of 4 or more edge midpoints is not planar in general, and the choice of
 *   diagonals changes area and volume. Lewiner's tilings (the 15 Lorensen cases and their subcases)
 *   bulge away from the side of the loop with fewer cube corners, i.e. the patch is triangulated to
 *   give the smaller side its largest volume; a loop with four corners on either side splits the cube
 *   volume evenly (case 11/14). No diagonal may lie in a cube face (the neighbouring cube could lay the
 *   same segment there).
 * The rules refer only to the cube's geometry, so the table is invariant under the 48 symmetries of the
 * cube (rotations and reflections), as Lewiner's tables are, which are generated from the 15 base cases by
 * those symmetries. (It is not invariant under inside/outside exchange: ambiguous faces favour the inside.)
 * Per configuration, the area and the inside volume of each cube's patch equal scikit-image's for 222 of
 * the 254 non-empty configurations.
 *
 * Two families differ from the reference implementation, which on a binary mask chooses tunnel tilings
 * there: three inside corners that pairwise share a face but no edge (Lorensen case 7; the tiling there
 * lays triangles flat in the cube faces, which leaves the mesh non-manifold), and five inside corners
 * whose three outside corners are an edge plus the opposite-face diagonal corner (case 6 complement; a
 * tube through a centre vertex). We keep the plain loops (a cap and a polygon) in both, so that every
 * vertex stays an edge midpoint and the mesh stays closed. The CT phantom masks of IBSI configurations
 * B–E contain neither (their mesh area and volume equal scikit-image's); configuration A has one cube of
 * the second kind (area 0.01% below scikit-image's). See test/marching-cubes.test.ts.
 */

/** Corner c of the unit cube sits at (c & 1, (c >> 1) & 1, (c >> 2) & 1). */
const EDGES: Array<[number, number]> = [];
for (let axis = 0; axis < 3; axis++) {
  for (let c = 0; c < 8; c++) if (!(c & (1 << axis))) EDGES.push([c, c | (1 << axis)]);
}
const edgeOf = (a: number, b: number): number => EDGES.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));

/** Corners of each face in counter-clockwise order seen from outside the cube. */
const FACES: number[][] = (() => {
  const faces: number[][] = [];
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3;
    const v = (axis + 2) % 3;
    for (const side of [0, 1]) {
      const base = side << axis;
      // (u, v, axis) is right-handed, so u → v is counter-clockwise seen from +axis.
      let ring = [base, base | (1 << u), base | (1 << u) | (1 << v), base | (1 << v)];
      if (side === 0) ring = ring.reverse(); // seen from -axis the order flips
      faces.push(ring);
    }
  }
  return faces;
})();

/** Midpoint of cube edge e in doubled unit-cube coordinates (0, 1 or 2). */
function edgeMid2(e: number): number[] {
  const [a, b] = EDGES[e];
  return [0, 1, 2].map((ax) => ((a >> ax) & 1) + ((b >> ax) & 1));
}

/**
 * Surface loops of one corner configuration, as cyclic lists of cut-edge indices. All loops have the
 * same handedness with respect to the inside (fixed by `orientLoops` below).
 */
function surfaceLoops(config: number): number[][] {
  const inside = (c: number) => ((config >> c) & 1) === 1;
  // next[e] = the cut edge that follows cut edge e along the surface loop.
  const next = new Map<number, number>();
  for (const ring of FACES) {
    // Ambiguous face (inside corners on a diagonal): cut off the outside corners, joining the inside
    // ones; otherwise cut off the runs of inside corners (both give the same segments on such faces).
    const ambiguous = inside(ring[0]) === inside(ring[2]) && inside(ring[1]) === inside(ring[3]) && inside(ring[0]) !== inside(ring[1]);
    const cutInside = !ambiguous;
    const member = (c: number) => inside(c) === cutInside;
    for (let s = 0; s < 4; s++) {
      const c = ring[s];
      const prev = ring[(s + 3) % 4];
      if (!member(c) || member(prev)) continue; // c starts a run
      let t = s;
      while (member(ring[(t + 1) % 4])) t = (t + 1) % 4;
      const first = edgeOf(prev, c);
      const last = edgeOf(ring[t], ring[(t + 1) % 4]);
      // Walking the face counter-clockwise, the surface goes from the outside-to-inside crossing
      // to the inside-to-outside crossing of an inside run; for an outside run that is last → first.
      if (cutInside) next.set(first, last);
      else next.set(last, first);
    }
  }
  const loops: number[][] = [];
  const seen = new Set<number>();
  for (const startEdge of next.keys()) {
    if (seen.has(startEdge)) continue;
    const loop: number[] = [];
    let e = startEdge;
    while (!seen.has(e)) {
      seen.add(e);
      loop.push(e);
      e = next.get(e)!;
    }
    loops.push(loop);
  }
  return loops;
}

/** 6 × signed volume of the tetrahedron (origin, a, b, c), doubled coordinates: exact integers. */
function det3(a: number[], b: number[], c: number[]): number {
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}

/** +1 when a loop's own order (triangles (l0, l1, l2)) faces outward, else -1: checked on a corner cap. */
const LOOP_ORIENTATION: number = (() => {
  const [p, q, r] = surfaceLoops(1)[0].map(edgeMid2); // corner 0 inside: outward is towards (1, 1, 1)
  const n = cross(sub(q, p), sub(r, p));
  return n[0] + n[1] + n[2] > 0 ? 1 : -1;
})();

/** All triangulations of a polygon with n vertices (triangles as index triples into the polygon). */
function polygonTriangulations(n: number): number[][][] {
  const memo = new Map<string, number[][][]>();
  const rec = (i: number, j: number): number[][][] => {
    if (j - i < 2) return [[]];
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const out: number[][][] = [];
    for (let k = i + 1; k < j; k++) for (const a of rec(i, k)) for (const b of rec(k, j)) out.push([[i, k, j], ...a, ...b]);
    memo.set(key, out);
    return out;
  };
  return rec(0, n - 1);
}

/**
 * Triangulations of a loop that use no chord lying in a cube face (two edge midpoints of the same face),
 * as outward-oriented edge-index triples.
 */
function loopTriangulations(loop: number[]): number[][] {
  const n = loop.length;
  const pts = loop.map(edgeMid2);
  // Two edge midpoints share a face plane when some coordinate is 0 or 2 (doubled) for both.
  const inFace = (p: number, q: number) => [0, 1, 2].some((ax) => pts[p][ax] === pts[q][ax] && pts[p][ax] !== 1);
  const out: number[][] = [];
  for (const tri of polygonTriangulations(n)) {
    let ok = true;
    for (const [i, k, j] of tri) {
      for (const [p, q] of [[i, k], [k, j], [i, j]]) if (q - p > 1 && q - p < n - 1 && inFace(p, q)) ok = false;
    }
    if (!ok) continue;
    const flat: number[] = [];
    for (const [i, k, j] of tri) {
      if (LOOP_ORIENTATION > 0) flat.push(loop[i], loop[k], loop[j]);
      else flat.push(loop[i], loop[j], loop[k]);
    }
    out.push(flat);
  }
  return out;
}

/** 48 × (volume of the inside part of the unit cube) for outward triangles `tris` of `config`: exact. */
function insideVolume48(config: number, tris: number[]): number {
  // Divergence theorem over the inside region: the patch, plus the inside parts of the cube faces at
  // coordinate 1 (the faces at 0 contribute nothing). A face's inside part, in eighths of the face: one
  // corner 1, an edge 4, two diagonal corners joined 6, three corners 7, all 8.
  let v = 0;
  for (let t = 0; t < tris.length; t += 3) v += det3(edgeMid2(tris[t]), edgeMid2(tris[t + 1]), edgeMid2(tris[t + 2]));
  for (let axis = 0; axis < 3; axis++) {
    const corners = [0, 1, 2, 3, 4, 5, 6, 7].filter((c) => (c >> axis) & 1 && (config >> c) & 1);
    const k = corners.length;
    const eighths = k === 2 ? (bitCount(corners[0] ^ corners[1]) === 2 ? 6 : 4) : [0, 1, -1, 7, 8][k];
    v += 2 * eighths;
  }
  return v;
}

function bitCount(x: number): number {
  let n = 0;
  for (; x; x >>= 1) n += x & 1;
  return n;
}

function triangleArea2(a: number[], b: number[], c: number[]): number {
  const n = cross(sub(b, a), sub(c, a));
  return Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
}

/** Triangles (as edge-index triples, outward oriented) for each of the 256 corner configurations. */
const TRIANGLES: number[][] = (() => {
  const table: number[][] = [];
  for (let config = 0; config < 256; config++) {
    const loops = surfaceLoops(config);
    const chosen: number[][] = loops.map((loop) => loopTriangulations(loop)[0]);
    loops.forEach((loop, l) => {
      const options = loopTriangulations(loop);
      if (options.length < 2) return;
      // Corners on either side of this loop: the inside and outside ends of its cut edges.
      const inSide = new Set<number>();
      const outSide = new Set<number>();
      for (const e of loop) for (const c of EDGES[e]) ((config >> c) & 1 ? inSide : outSide).add(c);
      const score = (tris: number[]) => {
        chosen[l] = tris;
        const v48 = insideVolume48(config, chosen.flat());
        // Larger is better: the smaller side's volume, or evenness when the sides are equal.
        if (inSide.size < outSide.size) return v48;
        if (inSide.size > outSide.size) return -v48;
        return -Math.abs(2 * v48 - 48);
      };
      const area = (tris: number[]) => {
        let a = 0;
        for (let t = 0; t < tris.length; t += 3) a += triangleArea2(edgeMid2(tris[t]), edgeMid2(tris[t + 1]), edgeMid2(tris[t + 2]));
        return a;
      };
      let best = options[0];
      let bestScore = score(best);
      let bestArea = area(best);
      for (const tris of options.slice(1)) {
        const s = score(tris);
        const a = area(tris);
        // Equal volumes: take the larger area (mirror-image tilings tie exactly on both).
        if (s > bestScore || (s === bestScore && a > bestArea + 1e-9)) [best, bestScore, bestArea] = [tris, s, a];
      }
      chosen[l] = best;
    });
    table.push(chosen.flat());
  }
  return table;
})();

function sub(a: number[], b: number[]): number[] {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export interface Mesh {
  /** Vertex positions in half-voxel units of the unpadded grid: 2 × index (voxel centre at 2i). */
  halfVoxel: Int32Array;
  /** Vertex positions in mm (relative to voxel (0, 0, 0)). */
  vertices: Float64Array;
  /** Triangles as vertex-index triples, oriented with outward normals. */
  faces: Int32Array;
}

/** Marching cubes on a binary mask (1 = inside), padded with one layer of zeros. */
export function marchingCubes(mask: Uint8Array, dims: [number, number, number], spacing: [number, number, number]): Mesh {
  const [nx, ny, nz] = dims;
  // Padded grid value at (i, j, k) in padded coordinates (original index + 1).
  const px = nx + 2;
  const py = ny + 2;
  const pz = nz + 2;
  // Zero-padded copy of the mask, so every cube corner is a plain array read.
  const pad = new Uint8Array(px * py * pz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const src = nx * (j + ny * k);
      const dst = 1 + px * (j + 1 + py * (k + 1));
      for (let i = 0; i < nx; i++) pad[dst + i] = mask[src + i] ? 1 : 0;
    }
  const cornerOffset = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => (c & 1) + px * (((c >> 1) & 1) + py * ((c >> 2) & 1)));
  // One vertex per cut cube edge, keyed by (lower corner, axis) in the padded grid.
  const vertexId = new Int32Array(3 * px * py * pz).fill(-1);
  const halfVoxel: number[] = [];
  const faces: number[] = [];
  const cubeEdgeVertex = new Int32Array(12);
  for (let k = 0; k < pz - 1; k++) {
    for (let j = 0; j < py - 1; j++) {
      for (let i = 0; i < px - 1; i++) {
        const base = i + px * (j + py * k);
        let config = 0;
        for (let c = 0; c < 8; c++) config |= pad[base + cornerOffset[c]] << c;
        if (config === 0 || config === 255) continue;
        const tris = TRIANGLES[config];
        cubeEdgeVertex.fill(-1);
        for (let t = 0; t < tris.length; t++) {
          const e = tris[t];
          if (cubeEdgeVertex[e] < 0) {
            const [a, b] = EDGES[e];
            const ai = i + (a & 1);
            const aj = j + ((a >> 1) & 1);
            const ak = k + ((a >> 2) & 1);
            const axis = (a ^ b) === 1 ? 0 : (a ^ b) === 2 ? 1 : 2;
            const key = 3 * (ai + px * (aj + py * ak)) + axis;
            let id = vertexId[key];
            if (id < 0) {
              id = halfVoxel.length / 3;
              vertexId[key] = id;
              // Midpoint of the edge, in half-voxel units of the unpadded grid.
              halfVoxel.push(2 * (ai - 1) + (axis === 0 ? 1 : 0), 2 * (aj - 1) + (axis === 1 ? 1 : 0), 2 * (ak - 1) + (axis === 2 ? 1 : 0));
            }
            cubeEdgeVertex[e] = id;
          }
          faces.push(cubeEdgeVertex[e]);
        }
      }
    }
  }
  const hv = Int32Array.from(halfVoxel);
  const vertices = new Float64Array(hv.length);
  for (let v = 0; v < hv.length; v += 3) {
    vertices[v] = (hv[v] * spacing[0]) / 2;
    vertices[v + 1] = (hv[v + 1] * spacing[1]) / 2;
    vertices[v + 2] = (hv[v + 2] * spacing[2]) / 2;
  }
  return { halfVoxel: hv, vertices, faces: Int32Array.from(faces) };
}

/** Signed volume (divergence theorem) and area of a closed triangle mesh given in mm. */
export function meshVolumeArea(vertices: Float64Array, faces: Int32Array): { volume: number; area: number } {
  let vol = 0;
  let area = 0;
  for (let f = 0; f < faces.length; f += 3) {
    const a = 3 * faces[f];
    const b = 3 * faces[f + 1];
    const c = 3 * faces[f + 2];
    const ax = vertices[a], ay = vertices[a + 1], az = vertices[a + 2];
    const bx = vertices[b], by = vertices[b + 1], bz = vertices[b + 2];
    const cx = vertices[c], cy = vertices[c + 1], cz = vertices[c + 2];
    vol += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    const ux = bx - ax, uy = by - ay, uz = bz - az;
    const vx = cx - ax, vy = cy - ay, vz = cz - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    area += Math.sqrt(nx * nx + ny * ny + nz * nz);
  }
  return { volume: vol / 6, area: area / 2 };
}

export interface ConvexHull {
  /** Indices (into the input points) of the hull vertices. */
  vertices: Int32Array;
  /** Hull triangles as point-index triples, outward oriented. */
  faces: Int32Array;
}

/**
 * 3-D convex hull of integer points (x, y, z triples) by quickhull with exact orientation tests
 * (integer coordinates below ~2^20 keep every determinant exact in doubles). Coplanar points are not
 * hull vertices. Returns null when the points are coplanar (no volume).
 */
export function convexHull3d(points: Int32Array): ConvexHull | null {
  const nAll = points.length / 3;
  if (nAll < 4) return null;
  const cand = extremeCandidates(points);
  const P = points;
  const np = nAll;
  // Initial tetrahedron from extreme points.
  let i0 = cand[0];
  for (const i of cand) if (P[3 * i] < P[3 * i0]) i0 = i;
  const d2 = (a: number, b: number) => (P[3 * a] - P[3 * b]) ** 2 + (P[3 * a + 1] - P[3 * b + 1]) ** 2 + (P[3 * a + 2] - P[3 * b + 2]) ** 2;
  let i1 = -1;
  let best = 0;
  for (const i of cand) {
    const d = d2(i, i0);
    if (d > best) [best, i1] = [d, i];
  }
  if (i1 < 0) return null;
  let i2 = -1;
  best = 0;
  for (const i of cand) {
    const c = crossAt(P, i0, i1, i);
    const m = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    if (m > best) [best, i2] = [m, i];
  }
  if (i2 < 0) return null;
  let i3 = -1;
  best = 0;
  const n012 = crossAt(P, i0, i1, i2);
  for (const i of cand) {
    const o = Math.abs(n012[0] * (P[3 * i] - P[3 * i0]) + n012[1] * (P[3 * i + 1] - P[3 * i0 + 1]) + n012[2] * (P[3 * i + 2] - P[3 * i0 + 2]));
    if (o > best) [best, i3] = [o, i];
  }
  if (i3 < 0) return null;

  // Face storage.
  const fa: number[] = [], fb: number[] = [], fc: number[] = [];
  const fn: number[] = []; // normal x, y, z and offset, 4 per face
  const alive: boolean[] = [];
  const conflict: number[][] = [];
  const edgeFace = new Map<number, number>();
  const key = (u: number, v: number) => u * np + v;
  const orient = (f: number, p: number) => fn[4 * f] * P[3 * p] + fn[4 * f + 1] * P[3 * p + 1] + fn[4 * f + 2] * P[3 * p + 2] - fn[4 * f + 3];
  const addFace = (a: number, b: number, c: number): number => {
    const f = fa.length;
    fa.push(a);
    fb.push(b);
    fc.push(c);
    const nrm = crossAt(P, a, b, c);
    fn.push(nrm[0], nrm[1], nrm[2], nrm[0] * P[3 * a] + nrm[1] * P[3 * a + 1] + nrm[2] * P[3 * a + 2]);
    alive.push(true);
    conflict.push([]);
    edgeFace.set(key(a, b), f);
    edgeFace.set(key(b, c), f);
    edgeFace.set(key(c, a), f);
    return f;
  };
  const tet = [i0, i1, i2, i3];
  for (const [a, b, c, d] of [
    [i0, i1, i2, i3],
    [i0, i1, i3, i2],
    [i0, i2, i3, i1],
    [i1, i2, i3, i0],
  ]) {
    const nrm = crossAt(P, a, b, c);
    const o = nrm[0] * (P[3 * d] - P[3 * a]) + nrm[1] * (P[3 * d + 1] - P[3 * a + 1]) + nrm[2] * (P[3 * d + 2] - P[3 * a + 2]);
    if (o > 0) addFace(a, c, b);
    else addFace(a, b, c);
  }
  const assign = (p: number, facesToTry: number[]) => {
    for (const f of facesToTry) {
      if (alive[f] && orient(f, p) > 0) {
        conflict[f].push(p);
        return;
      }
    }
  };
  const initial = [0, 1, 2, 3];
  for (const p of cand) if (!tet.includes(p)) assign(p, initial);

  const stack = [0, 1, 2, 3];
  while (stack.length) {
    const f0 = stack.pop()!;
    if (!alive[f0] || conflict[f0].length === 0) continue;
    // Furthest point of this face (orient is distance × |normal|, same factor within one face).
    let apex = -1;
    best = 0;
    for (const p of conflict[f0]) {
      const o = orient(f0, p);
      if (o > best) [best, apex] = [o, p];
    }
    // Visible faces: connected region around f0 that sees the apex strictly.
    const visible: number[] = [f0];
    const isVisible = new Set<number>([f0]);
    for (let q = 0; q < visible.length; q++) {
      const f = visible[q];
      for (const [u, v] of [[fa[f], fb[f]], [fb[f], fc[f]], [fc[f], fa[f]]]) {
        const g = edgeFace.get(key(v, u))!;
        if (!isVisible.has(g) && orient(g, apex) > 0) {
          isVisible.add(g);
          visible.push(g);
        }
      }
    }
    const horizon: Array<[number, number]> = [];
    for (const f of visible) {
      for (const [u, v] of [[fa[f], fb[f]], [fb[f], fc[f]], [fc[f], fa[f]]]) {
        if (!isVisible.has(edgeFace.get(key(v, u))!)) horizon.push([u, v]);
      }
    }
    const orphans: number[] = [];
    for (const f of visible) {
      alive[f] = false;
      edgeFace.delete(key(fa[f], fb[f]));
      edgeFace.delete(key(fb[f], fc[f]));
      edgeFace.delete(key(fc[f], fa[f]));
      for (const p of conflict[f]) if (p !== apex) orphans.push(p);
      conflict[f] = [];
    }
    const created: number[] = [];
    for (const [u, v] of horizon) created.push(addFace(u, v, apex));
    for (const p of orphans) assign(p, created);
    for (const f of created) stack.push(f);
  }
  const faces: number[] = [];
  const vset = new Set<number>();
  for (let f = 0; f < fa.length; f++) {
    if (!alive[f]) continue;
    faces.push(fa[f], fb[f], fc[f]);
    vset.add(fa[f]);
    vset.add(fb[f]);
    vset.add(fc[f]);
  }
  return { vertices: Int32Array.from([...vset].sort((a, b) => a - b)), faces: Int32Array.from(faces) };
}

function crossAt(P: Int32Array, a: number, b: number, c: number): number[] {
  const ux = P[3 * b] - P[3 * a], uy = P[3 * b + 1] - P[3 * a + 1], uz = P[3 * b + 2] - P[3 * a + 2];
  const vx = P[3 * c] - P[3 * a], vy = P[3 * c + 1] - P[3 * a + 1], vz = P[3 * c + 2] - P[3 * a + 2];
  return [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
}

/**
 * Points that can be hull vertices: a point strictly between two others on an axis-parallel line lies
 * on their segment, so only the two ends of every x-, y- and z-line are kept (applied in turn).
 */
function extremeCandidates(P: Int32Array): number[] {
  let idx: number[] = [];
  for (let i = 0; i < P.length / 3; i++) idx.push(i);
  for (let axis = 0; axis < 3; axis++) {
    const u = (axis + 1) % 3;
    const v = (axis + 2) % 3;
    const lo = new Map<number, number>();
    const hi = new Map<number, number>();
    for (const i of idx) {
      const k = P[3 * i + u] * 4194304 + P[3 * i + v];
      const a = lo.get(k);
      if (a === undefined || P[3 * i + axis] < P[3 * a + axis]) lo.set(k, i);
      const b = hi.get(k);
      if (b === undefined || P[3 * i + axis] > P[3 * b + axis]) hi.set(k, i);
    }
    const keep = new Set<number>([...lo.values(), ...hi.values()]);
    idx = idx.filter((i) => keep.has(i));
  }
  return idx;
}
