// AssemblyScript, compiled with gemm.ts into dist/wasm/ceiling.wasm (index.ts is the entry); not TypeScript for tsc.
//
// Hand-written STREAM kernels (McCalpin) on 128-bit WebAssembly SIMD, over element ranges so that threads sharing
// one memory each take their own: copy out = x, triad out = x + s*y (STREAM's a = b + s*c, f32x4.mul then
// f32x4.add, the same rounding as the scalar loop). Four vectors (64 bytes, one cache line) a step; the last
// 0 to 15 elements one at a time. WebAssembly has no non-temporal stores, so every store reads its line first, as
// gpu.js's kernels' stores do.

/** out[i] = x[i] for i in [start, end); x and out are byte offsets of f32 arrays. */
export function copyRange(x: usize, out: usize, start: i32, end: i32): void {
  let i = start;
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    const src = x + o;
    const dst = out + o;
    v128.store(dst, v128.load(src));
    v128.store(dst, v128.load(src, 16), 16);
    v128.store(dst, v128.load(src, 32), 32);
    v128.store(dst, v128.load(src, 48), 48);
  }
  for (; i < end; i++) store<f32>(out + (<usize>i << 2), load<f32>(x + (<usize>i << 2)));
}

/** out[i] = x[i] + s * y[i] for i in [start, end). */
export function triadRange(x: usize, y: usize, out: usize, s: f32, start: i32, end: i32): void {
  const vs = f32x4.splat(s);
  let i = start;
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    const b = x + o;
    const c = y + o;
    const a = out + o;
    v128.store(a, f32x4.add(v128.load(b), f32x4.mul(vs, v128.load(c))));
    v128.store(a, f32x4.add(v128.load(b, 16), f32x4.mul(vs, v128.load(c, 16))), 16);
    v128.store(a, f32x4.add(v128.load(b, 32), f32x4.mul(vs, v128.load(c, 32))), 32);
    v128.store(a, f32x4.add(v128.load(b, 48), f32x4.mul(vs, v128.load(c, 48))), 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) + s * load<f32>(y + o));
  }
}
