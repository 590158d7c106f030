/**
 * Marching cubes on binary masks (lib/features/marchingCubes.ts): properties that follow from the
 * construction, independent of any reference implementation. Agreement with the IBSI reference values
 * (which come from scikit-image's Lewiner marching cubes) is tested in features-ct-phantom.test.ts and
 * features-first-order.test.ts.
 * Tolerances: closedness, orientation and lattice checks are exact (integer half-voxel coordinates);
 * areas and volumes of symmetric images agree to 1e-9 relative (same triangles, different summation
 * order); hand-derived volumes and areas to 1e-12.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { marchingCubes, meshVolumeArea, type Mesh } from "../lib/features/marchingCubes.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Every directed edge once and its reverse once: closed, manifold along edges, consistently oriented. */
function assertClosed(mesh: Mesh, label: string): void {
  const edges = new Map<string, number>();
  for (let f = 0; f < mesh.faces.length; f += 3) {
    for (let e = 0; e < 3; e++) {
      const k = `${mesh.faces[f + e]},${mesh.faces[f + ((e + 1) % 3)]}`;
      edges.set(k, (edges.get(k) ?? 0) + 1);
    }
  }
  for (const [k, c] of edges) {
    const [a, b] = k.split(",");
    assert.equal(c, 1, `${label}: edge ${k} used ${c} times`);
    assert.equal(edges.get(`${b},${a}`), 1, `${label}: edge ${k} has no reverse`);
  }
}

/** Connected components of the surface (triangles sharing a vertex). */
function components(mesh: Mesh): number {
  const n = mesh.halfVoxel.length / 3;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (let f = 0; f < mesh.faces.length; f += 3) {
    parent[find(mesh.faces[f + 1])] = find(mesh.faces[f]);
    parent[find(mesh.faces[f + 2])] = find(mesh.faces[f]);
  }
  let c = 0;
  for (let i = 0; i < n; i++) if (find(i) === i) c++;
  return c;
}

/** Euler characteristic V - E + F of a closed triangle mesh (2 per sphere-like component). */
function euler(mesh: Mesh): number {
  const F = mesh.faces.length / 3;
  return mesh.halfVoxel.length / 3 - (3 * F) / 2 + F;
}

function maskFrom(dims: [number, number, number], voxels: number[][]): Uint8Array {
  const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (const [i, j, k] of voxels) m[i + dims[0] * (j + dims[1] * k)] = 1;
  return m;
}

test("marching cubes: every 2×2×2 configuration and random masks give closed, outward meshes on the half-voxel lattice", () => {
  const one: [number, number, number] = [1, 1, 1];
  for (let config = 1; config < 256; config++) {
    const m = new Uint8Array(8).map((_, c) => (config >> c) & 1);
    const mesh = marchingCubes(m, [2, 2, 2], one);
    assertClosed(mesh, `configuration ${config}`);
    assert.ok(meshVolumeArea(mesh.vertices, mesh.faces).volume > 0, `configuration ${config}: outward`);
  }
  const rand = lcg(19);
  for (const density of [0.2, 0.5, 0.8]) {
    for (let rep = 0; rep < 10; rep++) {
      const dims: [number, number, number] = [7, 6, 5];
      const m = new Uint8Array(210).map(() => (rand() < density ? 1 : 0));
      const mesh = marchingCubes(m, dims, [0.7, 1.3, 2.1]);
      assertClosed(mesh, `random mask, density ${density}`);
      assert.ok(meshVolumeArea(mesh.vertices, mesh.faces).volume > 0);
      // Vertices are edge midpoints: exactly one odd half-voxel coordinate.
      for (let v = 0; v < mesh.halfVoxel.length; v += 3) {
        const odd = (mesh.halfVoxel[v] & 1) + (mesh.halfVoxel[v + 1] & 1) + (mesh.halfVoxel[v + 2] & 1);
        assert.equal(odd, 1);
      }
    }
  }
});

test("marching cubes: area and volume are invariant under the 48 symmetries of the cube", () => {
  // Lewiner's case tables are generated from the base cases by the cube's rotations and reflections, so
  // a rotated or mirrored mask has the same mesh area and volume (1e-9 relative: summation order).
  const n = 5;
  const rand = lcg(23);
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  for (const density of [0.35, 0.6]) {
    const m = new Uint8Array(n * n * n).map(() => (rand() < density ? 1 : 0));
    const ref = meshVolumeArea(...(({ vertices, faces }) => [vertices, faces] as const)(marchingCubes(m, [n, n, n], [1, 1, 1])));
    for (const perm of perms) {
      for (let flips = 0; flips < 8; flips++) {
        const t = new Uint8Array(n * n * n);
        for (let k = 0; k < n; k++)
          for (let j = 0; j < n; j++)
            for (let i = 0; i < n; i++) {
              const src = [i, j, k];
              const dst = [0, 1, 2].map((a) => ((flips >> a) & 1 ? n - 1 - src[perm[a]] : src[perm[a]]));
              t[dst[0] + n * (dst[1] + n * dst[2])] = m[i + n * (j + n * k)];
            }
        const mesh = marchingCubes(t, [n, n, n], [1, 1, 1]);
        const va = meshVolumeArea(mesh.vertices, mesh.faces);
        const label = `density ${density}, axes ${perm}, flips ${flips}`;
        assert.ok(Math.abs(va.area - ref.area) <= 1e-9 * ref.area, `${label}: area ${va.area} vs ${ref.area}`);
        assert.ok(Math.abs(va.volume - ref.volume) <= 1e-9 * ref.volume, `${label}: volume ${va.volume} vs ${ref.volume}`);
      }
    }
  }
});

test("marching cubes: voxels sharing an edge are one surface, voxels sharing only a corner are two", () => {
  // Lewiner's tie rule on a binary mask joins the inside corners of an ambiguous face (18-connectivity
  // of the object), while the body diagonal stays separate (case 4.1).
  const one: [number, number, number] = [1, 1, 1];
  const corner = marchingCubes(maskFrom([2, 2, 2], [[0, 0, 0], [1, 1, 1]]), [2, 2, 2], one);
  assertClosed(corner, "corner pair");
  assert.equal(components(corner), 2);
  assert.equal(euler(corner), 4);
  // Two octahedra with vertices 0.5 from the centre: volume 2 · 4/3 · 0.5³ = 1/3, area 2 · √3 (exact).
  const cva = meshVolumeArea(corner.vertices, corner.faces);
  assert.ok(Math.abs(cva.volume - 1 / 3) < 1e-12, `corner pair volume ${cva.volume}`);
  assert.ok(Math.abs(cva.area - 2 * Math.sqrt(3)) < 1e-12, `corner pair area ${cva.area}`);

  const edge = marchingCubes(maskFrom([2, 2, 1], [[0, 0, 0], [1, 1, 0]]), [2, 2, 1], one);
  assertClosed(edge, "edge pair");
  assert.equal(components(edge), 1);
  assert.equal(euler(edge), 2); // one sphere
  // The joined surface encloses the two octahedra and the bridge between them: more than 1/3.
  assert.ok(meshVolumeArea(edge.vertices, edge.faces).volume > 1 / 3);

  // A ring of 8 voxels around a hole in one slice is a torus (Euler characteristic 0).
  const ringVoxels: number[][] = [];
  for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) if (i !== 1 || j !== 1) ringVoxels.push([i, j, 0]);
  const ring = marchingCubes(maskFrom([3, 3, 1], ringVoxels), [3, 3, 1], one);
  assertClosed(ring, "ring");
  assert.equal(components(ring), 1);
  assert.equal(euler(ring), 0);
});

test("marching cubes: hand-derived areas and volumes", () => {
  const one: [number, number, number] = [1, 1, 1];
  // A 2×1×1 bar: the two end caps are the halves of an octahedron (together 1/6, area √3), and between
  // the voxel centres runs a prism of length 1 whose cross-section is a square of half-diagonal 1/2
  // (area 1/2, side √2/2): volume 1/6 + 1/2 = 2/3, area √3 + 4 · √2/2 (exact).
  const bar = marchingCubes(new Uint8Array([1, 1]), [2, 1, 1], one);
  assertClosed(bar, "bar");
  const va = meshVolumeArea(bar.vertices, bar.faces);
  assert.ok(Math.abs(va.volume - 2 / 3) < 1e-12, `bar volume ${va.volume}`);
  assert.ok(Math.abs(va.area - (Math.sqrt(3) + 2 * Math.SQRT2)) < 1e-12, `bar area ${va.area}`);
  // Volumes as sums over the cubes between voxel centres. Inside volume of one cube (in 48ths): one
  // corner 1 (a corner tetrahedron of legs 1/2), an edge 6 (a prism 1/8 × 1), a face 24. Three corners
  // in an L on a face (Lorensen case 5): the pentagon is fanned from the vertex above an end corner, so
  // that it bulges away from the three corners: 1/4 (the half-square under the flat triangle at height
  // 1/2) + 1/12 + 1/48 (the two sloping triangles) = 17/48; fanning from the vertex above the middle
  // corner would give 11/48. Five corners (case 5 complement) bulge away from the three outside ones:
  // 48 - 17 = 31.
  // L of three voxels in one slice: per half-layer 17 (centre cube) + 2 × 6 + 5 × 1 = 34; two half-layers.
  const L = marchingCubes(maskFrom([2, 2, 1], [[0, 0, 0], [1, 0, 0], [0, 1, 0]]), [2, 2, 1], one);
  assert.ok(Math.abs(meshVolumeArea(L.vertices, L.faces).volume - 68 / 48) < 1e-12);
  // Full 2×2 slice with one voxel above it: below 24 + 4 × 6 + 4 × 1 = 52; between the slices the centre
  // cube has five inside corners (31), two cubes an L (2 × 17), three cubes an edge (3 × 6) and three a
  // corner (3 × 1): 86; above, four cubes with one corner: 4. Total 142/48.
  const top = marchingCubes(maskFrom([2, 2, 2], [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 1, 1]]), [2, 2, 2], one);
  assertClosed(top, "slice plus one voxel");
  assert.ok(Math.abs(meshVolumeArea(top.vertices, top.faces).volume - 142 / 48) < 1e-12);
});
