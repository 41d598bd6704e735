// AssemblyScript, compiled with stream.ts into dist/wasm/ceiling.wasm (index.ts is the entry); not TypeScript for tsc.
//
// A hand-written f32 GEMM, C = A B (A: M x K row-major, B: K x N row-major, C: M x N row-major), on 128-bit
// WebAssembly SIMD without FMA (f32x4.mul then f32x4.add, the same rounding as the scalar loop). The well-known
// blocked design of BLAS libraries (Goto and van de Geijn, "Anatomy of high-performance matrix multiplication",
// ACM TOMS 34(3), 2008), at the scale of one core's caches:
// - B is packed once per call into panels of NR = 8 columns, K rows each, the columns of a row side by side
//   (panel j holds B[p][8j .. 8j+7] at p*8), zero-padded past N;
// - a 4 x 8 micro-kernel keeps 8 f32x4 accumulators (4 rows x 2 vectors) in registers and, per step p, loads two
//   vectors of the panel and splats four elements of A: 16 vector operations for 64 FLOP;
// - K is cut into blocks of KC = 256 (a panel's slice, 8 KiB, stays in L1) and the rows into blocks of MC = 64
//   (A's block, 64 KiB, stays in L2 while every panel passes); C is written after the first K block and
//   accumulated after the others.
// Threads share one memory: each calls gemmRows on its own rows, so no two write one element of C.

const NR: i32 = 8;
const MR: i32 = 4;
const KC: i32 = 256;
const MC: i32 = 64;

/** Packs row-major B (K x N) at `b` into panels of NR columns at `packed`: ceil(N / NR) * K * NR floats. */
export function packB(b: usize, packed: usize, k: i32, n: i32): void {
  const panels = (n + NR - 1) / NR;
  for (let j = 0; j < panels; j++) {
    const col = j * NR;
    const width = min(NR, n - col);
    const panel = packed + (<usize>j * <usize>k * <usize>NR << 2);
    for (let p = 0; p < k; p++) {
      const src = b + ((<usize>p * <usize>n + <usize>col) << 2);
      const dst = panel + (<usize>p * <usize>NR << 2);
      if (width == NR) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < width ? load<f32>(src + (<usize>c << 2)) : 0);
      }
    }
  }
}

/** Rows [rowStart, rowEnd) of C from A at `a` and packed B at `packed`. */
export function gemmRows(a: usize, packed: usize, c: usize, m: i32, n: i32, k: i32, rowStart: i32, rowEnd: i32): void {
  if (rowStart >= rowEnd || n <= 0) return;
  const panels = (n + NR - 1) / NR;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const accumulate = k0 > 0;
    for (let i0 = rowStart; i0 < rowEnd; i0 += MC) {
      const i1 = min(i0 + MC, rowEnd);
      for (let j = 0; j < panels; j++) {
        const col = j * NR;
        const width = min(NR, n - col);
        const bp = packed + ((<usize>j * <usize>k + <usize>k0) * <usize>NR << 2);
        let i = i0;
        for (; i + MR <= i1; i += MR) block4(a, bp, c, n, k, k0, kc, i, col, width, accumulate);
        for (; i < i1; i++) block1(a, bp, c, n, k, k0, kc, i, col, width, accumulate);
      }
    }
  }
}

/** Adds (or, on the first K block, writes) a vector's `width` lanes at `dst`, the C row's next columns. */
// @ts-ignore: decorator
@inline function put(dst: usize, v: v128, width: i32, accumulate: bool): void {
  if (width >= 4) {
    v128.store(dst, accumulate ? f32x4.add(v128.load(dst), v) : v);
    return;
  }
  if (width <= 0) return;
  // 1 to 3 columns left: lane by lane (no allocation: this module has no heap, its memory is the operands')
  putLane(dst, f32x4.extract_lane(v, 0), accumulate);
  if (width > 1) putLane(dst + 4, f32x4.extract_lane(v, 1), accumulate);
  if (width > 2) putLane(dst + 8, f32x4.extract_lane(v, 2), accumulate);
}

// @ts-ignore: decorator
@inline function putLane(at: usize, x: f32, accumulate: bool): void {
  store<f32>(at, accumulate ? load<f32>(at) + x : x);
}

/** The 4 x 8 micro-kernel: rows i .. i+3, the panel's columns col .. col+width-1, over K's block k0 .. k0+kc-1. */
function block4(a: usize, bp: usize, c: usize, n: i32, k: i32, k0: i32, kc: i32, i: i32, col: i32, width: i32, accumulate: bool): void {
  const rowBytes = <usize>k << 2;
  const a0 = a + ((<usize>i * <usize>k + <usize>k0) << 2);
  const a1 = a0 + rowBytes;
  const a2 = a1 + rowBytes;
  const a3 = a2 + rowBytes;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const bq = bp + (<usize>p << 5);
    const b0 = v128.load(bq);
    const b1 = v128.load(bq, 16);
    const off = <usize>p << 2;
    const x0 = v128.load32_splat(a0 + off);
    c00 = f32x4.add(c00, f32x4.mul(x0, b0));
    c01 = f32x4.add(c01, f32x4.mul(x0, b1));
    const x1 = v128.load32_splat(a1 + off);
    c10 = f32x4.add(c10, f32x4.mul(x1, b0));
    c11 = f32x4.add(c11, f32x4.mul(x1, b1));
    const x2 = v128.load32_splat(a2 + off);
    c20 = f32x4.add(c20, f32x4.mul(x2, b0));
    c21 = f32x4.add(c21, f32x4.mul(x2, b1));
    const x3 = v128.load32_splat(a3 + off);
    c30 = f32x4.add(c30, f32x4.mul(x3, b0));
    c31 = f32x4.add(c31, f32x4.mul(x3, b1));
  }
  const cRow = <usize>n << 2;
  const d0 = c + ((<usize>i * <usize>n + <usize>col) << 2);
  put(d0, c00, width, accumulate);
  put(d0 + 16, c01, width - 4, accumulate);
  put(d0 + cRow, c10, width, accumulate);
  put(d0 + cRow + 16, c11, width - 4, accumulate);
  put(d0 + 2 * cRow, c20, width, accumulate);
  put(d0 + 2 * cRow + 16, c21, width - 4, accumulate);
  put(d0 + 3 * cRow, c30, width, accumulate);
  put(d0 + 3 * cRow + 16, c31, width - 4, accumulate);
}

/** One row (the 1 to 3 rows left of a row block), the panel's columns, over K's block. */
function block1(a: usize, bp: usize, c: usize, n: i32, k: i32, k0: i32, kc: i32, i: i32, col: i32, width: i32, accumulate: bool): void {
  const a0 = a + ((<usize>i * <usize>k + <usize>k0) << 2);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const bq = bp + (<usize>p << 5);
    const x0 = v128.load32_splat(a0 + (<usize>p << 2));
    c00 = f32x4.add(c00, f32x4.mul(x0, v128.load(bq)));
    c01 = f32x4.add(c01, f32x4.mul(x0, v128.load(bq, 16)));
  }
  const d0 = c + ((<usize>i * <usize>n + <usize>col) << 2);
  put(d0, c00, width, accumulate);
  put(d0 + 16, c01, width - 4, accumulate);
}
