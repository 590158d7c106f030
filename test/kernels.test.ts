/**
 * The solvers' column kernels (lib/penalized/kernels.ts): the WebAssembly SIMD module and its
 * JavaScript twin must give bit-identical results (tolerance 0: same operations in the same
 * order), for every length including the tails of the 4-wide / 2-wide loops.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels, wasmKernels } from "../lib/penalized/kernels.js";
import { createRng } from "../lib/random/index.js";

test("WebAssembly SIMD kernels equal the JavaScript twin bit for bit", () => {
  const w = wasmKernels();
  assert.ok(w, "WebAssembly SIMD is available in Node 20");
  const j = jsKernels();
  const rng = createRng(7);
  for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 70, 71, 1001]) {
    const N = 4 * n + 11;
    const hw = w.reserve(N);
    const hj = j.reserve(N);
    for (let i = 0; i < N; i++) hw[i] = hj[i] = rng.normal();
    // Unaligned offsets on purpose (odd element offsets are not 16-byte aligned).
    assert.ok(Object.is(w.dot(1, n + 2, n), j.dot(1, n + 2, n)), `dot n=${n}`);
    assert.ok(Object.is(w.wsq(3, n + 5, n), j.wsq(3, n + 5, n)), `wsq n=${n}`);
    w.update(2 * n + 7, 0.37, 1, n + 3, n);
    j.update(2 * n + 7, 0.37, 1, n + 3, n);
    w.axpy(5, -1.3, 3 * n + 6, n);
    j.axpy(5, -1.3, 3 * n + 6, n);
    for (let i = 0; i < N; i++) assert.ok(Object.is(w.heap[i], j.heap[i]), `heap[${i}] after update/axpy, n=${n}`);
  }
});
