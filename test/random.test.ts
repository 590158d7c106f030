// The seeded generator: same seed → same stream; different seeds → different streams; the
// distributions have the right first two moments (tolerances are ~5 standard errors for n = 200,000).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng, foldIds } from "../lib/random/index.js";

test("same seed gives the same numbers, other seeds do not", () => {
  const a = createRng(42), b = createRng(42), c = createRng(43);
  const xa = Array.from({ length: 100 }, () => a.uniform());
  const xb = Array.from({ length: 100 }, () => b.uniform());
  const xc = Array.from({ length: 100 }, () => c.uniform());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  assert.ok(xa.every((v) => v >= 0 && v < 1));
});

test("uniform, normal and exponential moments", () => {
  const r = createRng(7);
  const n = 200_000;
  let su = 0, sn = 0, sn2 = 0, se = 0;
  for (let i = 0; i < n; i++) {
    su += r.uniform();
    const z = r.normal();
    sn += z;
    sn2 += z * z;
    se += r.exponential();
  }
  assert.ok(Math.abs(su / n - 0.5) < 5 * Math.sqrt(1 / 12 / n), `uniform mean ${su / n}`);
  assert.ok(Math.abs(sn / n) < 5 / Math.sqrt(n), `normal mean ${sn / n}`);
  assert.ok(Math.abs(sn2 / n - 1) < 5 * Math.sqrt(2 / n), `normal variance ${sn2 / n}`);
  assert.ok(Math.abs(se / n - 1) < 5 / Math.sqrt(n), `exponential mean ${se / n}`);
});

test("foldIds are balanced, seeded and reject bad nfolds", () => {
  const f = foldIds(78, 10, createRng(1));
  const counts = new Array(11).fill(0);
  for (const v of f) counts[v]++;
  assert.deepEqual(counts.slice(1).sort(), [7, 7, 8, 8, 8, 8, 8, 8, 8, 8]);
  assert.deepEqual(f, foldIds(78, 10, createRng(1)));
  assert.throws(() => foldIds(5, 10, createRng(1)), /nfolds/);
  assert.throws(() => createRng(-1), /seed/);
});
