/**
 * The four column loops of the coordinate-descent solvers, as a tiny WebAssembly module with
 * 128-bit SIMD (two doubles per instruction), with a plain-JavaScript twin that does the same
 * operations in the same order — so both give bit-identical results and the JS version is the
 * fallback where WebAssembly SIMD is unavailable (and the check in test/kernels.test.ts).
 *
 * Why: a path spends nearly all its time in x_j·r (gradient) and r −= δ·w∘x_j (residual update).
 * In V8, loops over Float64Array pay a bounds/detach check per access and run 3–4× slower than the
 * -O2 Fortran glmnet is built with; the SIMD module runs them faster than that Fortran.
 *
 * All vectors live in one Float64Array `heap` (the module's memory, or a plain array for the
 * fallback) and are addressed by element offsets. Sums keep four partial sums (s0..s3 over
 * i mod 4), added as (s0 + s1) + (s2 + s3) after the tail has gone into s0.
 *
 * The module is assembled here from opcodes (no build step, no binary file in the repository).
 */

export interface Kernels {
  /** The heap; valid until the next reserve(). */
  heap: Float64Array;
  /** Makes the heap hold at least `doubles` values (contents are not kept) and returns it. */
  reserve(doubles: number): Float64Array;
  /** Σ_{i<n} heap[v+i]·heap[x+i]. */
  dot(x: number, v: number, n: number): number;
  /** Σ_{i<n} heap[w+i]·heap[x+i]². */
  wsq(x: number, w: number, n: number): number;
  /** heap[r+i] −= (del·heap[w+i])·heap[x+i]. */
  update(r: number, del: number, w: number, x: number, n: number): void;
  /** heap[f+i] += b·heap[x+i]. */
  axpy(f: number, b: number, x: number, n: number): void;
  simd: boolean;
}

// ---------------------------------------------------------------- JavaScript twin
export function jsKernels(): Kernels {
  const k: Kernels = {
    heap: new Float64Array(0),
    simd: false,
    reserve(doubles: number): Float64Array {
      if (k.heap.length < doubles) k.heap = new Float64Array(Math.max(doubles, Math.ceil(k.heap.length * 1.5)));
      return k.heap;
    },
    dot(x, v, n) {
      const h = k.heap;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i < n - 3; i += 4) {
        s0 += h[v + i] * h[x + i];
        s1 += h[v + i + 1] * h[x + i + 1];
        s2 += h[v + i + 2] * h[x + i + 2];
        s3 += h[v + i + 3] * h[x + i + 3];
      }
      for (; i < n; i++) s0 += h[v + i] * h[x + i];
      return s0 + s1 + (s2 + s3);
    },
    wsq(x, w, n) {
      const h = k.heap;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i < n - 3; i += 4) {
        s0 += h[w + i] * h[x + i] * h[x + i];
        s1 += h[w + i + 1] * h[x + i + 1] * h[x + i + 1];
        s2 += h[w + i + 2] * h[x + i + 2] * h[x + i + 2];
        s3 += h[w + i + 3] * h[x + i + 3] * h[x + i + 3];
      }
      for (; i < n; i++) s0 += h[w + i] * h[x + i] * h[x + i];
      return s0 + s1 + (s2 + s3);
    },
    update(r, del, w, x, n) {
      const h = k.heap;
      for (let i = 0; i < n; i++) h[r + i] -= del * h[w + i] * h[x + i];
    },
    axpy(f, b, x, n) {
      const h = k.heap;
      for (let i = 0; i < n; i++) h[f + i] += b * h[x + i];
    },
  };
  return k;
}

// ---------------------------------------------------------------- WebAssembly assembler
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// Instructions.
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const i32c = (v: number) => [0x41, ...sleb(v)];
const i32add = [0x6a];
const i32sub = [0x6b];
const i32shl = [0x74];
const i32lts = [0x48];
const i32ges = [0x4e];
const f64add = [0xa0];
const f64sub = [0xa1];
const f64mul = [0xa2];
const f64load = (off = 0) => [0x2b, 3, ...uleb(off)];
const f64store = (off = 0) => [0x39, 3, ...uleb(off)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const v128load = (off = 0) => [...simd(0x00), 3, ...uleb(off)];
const v128store = (off = 0) => [...simd(0x0b), 3, ...uleb(off)];
const splat = simd(0x14);
const lane = (l: number) => [...simd(0x21), l];
const vadd = simd(0xf0);
const vsub = simd(0xf1);
const vmul = simd(0xf2);
const vzero = [...simd(0x0c), ...new Array(16).fill(0)];
const block = (body: number[]) => [0x02, 0x40, ...body, 0x0b];
const loop = (body: number[]) => [0x03, 0x40, ...body, 0x0b];
const brIf = (d: number) => [0x0d, ...uleb(d)];
const br = (d: number) => [0x0c, ...uleb(d)];
/** `while (a < b) body` on i32 locals a, b. */
const whileLt = (a: number, b: number, body: number[]) => block(loop([...get(a), ...get(b), ...i32ges, ...brIf(1), ...body, ...br(0)]));
/** local p += c (i32). */
const bump = (p: number, c: number) => [...get(p), ...i32c(c), ...i32add, ...set(p)];
/** byte address of element offset in local l. */
const bytes = (l: number) => [...get(l), ...i32c(3), ...i32shl];

interface Fn {
  params: number[];
  results: number[];
  locals: number[];
  body: number[];
}

// dot(x, v, n) -> f64. Locals after params: 3 px, 4 pv, 5 end4, 6 end, 7 a0, 8 a1, 9 s0.
const dotFn: Fn = {
  params: [I32, I32, I32],
  results: [F64],
  locals: [I32, I32, I32, I32, V128, V128, F64],
  body: [
    ...bytes(0), ...set(3),
    ...bytes(1), ...set(4),
    ...get(3), ...get(2), ...i32c(3), ...i32sub, ...i32c(3), ...i32shl, ...i32add, ...set(5),
    ...get(3), ...get(2), ...i32c(3), ...i32shl, ...i32add, ...set(6),
    ...vzero, ...set(7), ...vzero, ...set(8),
    ...whileLt(3, 5, [
      ...get(7), ...get(4), ...v128load(0), ...get(3), ...v128load(0), ...vmul, ...vadd, ...set(7),
      ...get(8), ...get(4), ...v128load(16), ...get(3), ...v128load(16), ...vmul, ...vadd, ...set(8),
      ...bump(3, 32), ...bump(4, 32),
    ]),
    ...get(7), ...lane(0), ...set(9),
    ...whileLt(3, 6, [
      ...get(9), ...get(4), ...f64load(0), ...get(3), ...f64load(0), ...f64mul, ...f64add, ...set(9),
      ...bump(3, 8), ...bump(4, 8),
    ]),
    ...get(9), ...get(7), ...lane(1), ...f64add,
    ...get(8), ...lane(0), ...get(8), ...lane(1), ...f64add,
    ...f64add,
  ],
};

// wsq(x, w, n) -> f64: Σ (w·x)·x. Same locals as dot (pw in 4).
const wsqFn: Fn = {
  params: [I32, I32, I32],
  results: [F64],
  locals: [I32, I32, I32, I32, V128, V128, F64, V128, V128],
  body: [
    ...bytes(0), ...set(3),
    ...bytes(1), ...set(4),
    ...get(3), ...get(2), ...i32c(3), ...i32sub, ...i32c(3), ...i32shl, ...i32add, ...set(5),
    ...get(3), ...get(2), ...i32c(3), ...i32shl, ...i32add, ...set(6),
    ...vzero, ...set(7), ...vzero, ...set(8),
    ...whileLt(3, 5, [
      ...get(3), ...v128load(0), ...set(10),
      ...get(7), ...get(4), ...v128load(0), ...get(10), ...vmul, ...get(10), ...vmul, ...vadd, ...set(7),
      ...get(3), ...v128load(16), ...set(11),
      ...get(8), ...get(4), ...v128load(16), ...get(11), ...vmul, ...get(11), ...vmul, ...vadd, ...set(8),
      ...bump(3, 32), ...bump(4, 32),
    ]),
    ...get(7), ...lane(0), ...set(9),
    ...whileLt(3, 6, [
      ...get(9), ...get(4), ...f64load(0), ...get(3), ...f64load(0), ...f64mul, ...get(3), ...f64load(0), ...f64mul, ...f64add, ...set(9),
      ...bump(3, 8), ...bump(4, 8),
    ]),
    ...get(9), ...get(7), ...lane(1), ...f64add,
    ...get(8), ...lane(0), ...get(8), ...lane(1), ...f64add,
    ...f64add,
  ],
};

// update(r, del, w, x, n): r −= (del·w)·x. Locals: 5 pr, 6 pw, 7 px, 8 end2, 9 end, 10 d2.
const updateFn: Fn = {
  params: [I32, F64, I32, I32, I32],
  results: [],
  locals: [I32, I32, I32, I32, I32, V128],
  body: [
    ...bytes(0), ...set(5),
    ...bytes(2), ...set(6),
    ...bytes(3), ...set(7),
    ...get(7), ...get(4), ...i32c(1), ...i32sub, ...i32c(3), ...i32shl, ...i32add, ...set(8),
    ...get(7), ...get(4), ...i32c(3), ...i32shl, ...i32add, ...set(9),
    ...get(1), ...splat, ...set(10),
    ...whileLt(7, 8, [
      ...get(5),
      ...get(5), ...v128load(0), ...get(10), ...get(6), ...v128load(0), ...vmul, ...get(7), ...v128load(0), ...vmul, ...vsub,
      ...v128store(0),
      ...bump(5, 16), ...bump(6, 16), ...bump(7, 16),
    ]),
    ...whileLt(7, 9, [
      ...get(5),
      ...get(5), ...f64load(0), ...get(1), ...get(6), ...f64load(0), ...f64mul, ...get(7), ...f64load(0), ...f64mul, ...f64sub,
      ...f64store(0),
      ...bump(5, 8), ...bump(6, 8), ...bump(7, 8),
    ]),
  ],
};

// axpy(f, b, x, n): f += b·x. Locals: 4 pf, 5 px, 6 end2, 7 end, 8 b2.
const axpyFn: Fn = {
  params: [I32, F64, I32, I32],
  results: [],
  locals: [I32, I32, I32, I32, V128],
  body: [
    ...bytes(0), ...set(4),
    ...bytes(2), ...set(5),
    ...get(5), ...get(3), ...i32c(1), ...i32sub, ...i32c(3), ...i32shl, ...i32add, ...set(6),
    ...get(5), ...get(3), ...i32c(3), ...i32shl, ...i32add, ...set(7),
    ...get(1), ...splat, ...set(8),
    ...whileLt(5, 6, [
      ...get(4),
      ...get(4), ...v128load(0), ...get(8), ...get(5), ...v128load(0), ...vmul, ...vadd,
      ...v128store(0),
      ...bump(4, 16), ...bump(5, 16),
    ]),
    ...whileLt(5, 7, [
      ...get(4),
      ...get(4), ...f64load(0), ...get(1), ...get(5), ...f64load(0), ...f64mul, ...f64add,
      ...f64store(0),
      ...bump(4, 8), ...bump(5, 8),
    ]),
  ],
};

function assemble(fns: Array<[string, Fn]>): Uint8Array {
  const types = fns.map(([, f]) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const funcs = fns.map((_, i) => uleb(i));
  const memory = [0x00, ...uleb(1)]; // at least one page, no maximum
  const exports = [
    ...fns.map(([name], i) => [...vec([...new TextEncoder().encode(name)].map((b) => [b])), 0x00, ...uleb(i)]),
    [...vec([..."mem"].map((c) => [c.charCodeAt(0)])), 0x02, 0x00],
  ];
  const codes = fns.map(([, f]) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs)),
    ...section(5, vec([memory])),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ]);
}

/** The part of the WebAssembly JS API used here (the project's TS lib settings do not declare it). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

export function wasmKernels(): Kernels | null {
  try {
    const WebAssembly = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!WebAssembly) return null;
    const bytesOut = assemble([
      ["dot", dotFn],
      ["wsq", wsqFn],
      ["update", updateFn],
      ["axpy", axpyFn],
    ]);
    if (!WebAssembly.validate(bytesOut)) return null;
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytesOut), {});
    const ex = inst.exports as unknown as {
      mem: WasmMemory;
      dot(x: number, v: number, n: number): number;
      wsq(x: number, w: number, n: number): number;
      update(r: number, del: number, w: number, x: number, n: number): void;
      axpy(f: number, b: number, x: number, n: number): void;
    };
    const k: Kernels = {
      heap: new Float64Array(ex.mem.buffer),
      simd: true,
      reserve(doubles: number): Float64Array {
        const need = doubles * 8;
        const have = ex.mem.buffer.byteLength;
        if (need > have) ex.mem.grow(Math.ceil((need - have) / 65536));
        k.heap = new Float64Array(ex.mem.buffer);
        return k.heap;
      },
      dot: ex.dot,
      wsq: ex.wsq,
      update: ex.update,
      axpy: ex.axpy,
    };
    return k;
  } catch {
    return null;
  }
}

let shared: Kernels | null = null;
/** The process-wide kernels: WebAssembly SIMD when available, else the JavaScript twin. */
export function kernels(): Kernels {
  if (!shared) shared = (typeof process !== "undefined" && process.env?.RADSURV_NO_WASM ? null : wasmKernels()) ?? jsKernels();
  return shared;
}
