/**
 * The hand-written WGSL f32 GEMM, C = A B on row-major storage buffers: the tiled design of the published WebGPU
 * matmul write-ups and of CUDA's shared-memory GEMM. A workgroup of WX x WY invocations computes a BM x BN tile of C
 * (BM = WY * TM, BN = WX * TN); per step of BK along K it stages A's BM x BK and B's BK x BN tiles in workgroup
 * memory (zero past the matrix edges), and each invocation accumulates its TM x TN outputs in registers, reading TM
 * elements of A's tile and TN of B's per k. Stores are guarded, so any M, N and K works; only the real M x N is written.
 *
 * The direct forms stage nothing: each invocation reads its TM elements of A and TN of B from the storage buffers
 * for every k (clamped to the matrix edges) into TM x TN accumulators held in named registers. On a GPU the staged
 * forms reuse each load across the workgroup; on llvmpipe, where workgroup memory is ordinary memory behind the same
 * caches and a barrier costs a switch of every invocation's coroutine, the direct forms were the fastest.
 */

/** Threads of a workgroup and outputs per thread; the tile follows. */
export interface WgslTiling {
  /** invocations along x (columns of C) and y (rows) */
  wx: number;
  wy: number;
  /** outputs per invocation, rows and columns */
  tm: number;
  tn: number;
  /** K step staged in workgroup memory */
  bk: number;
  /** workgroup tiles and accumulators as vec4<f32> (TM and TN multiples of 4): one load brings 4 elements */
  vec4?: boolean;
  /** no workgroup memory: every invocation reads A and B from the storage buffers (bk unused) */
  direct?: boolean;
  /**
   * scalar form: an invocation's columns are lid.x + j * WX rather than lid.x * TN + j, so neighbouring invocations
   * read neighbouring elements of B's tile (and, in one row of invocations, the same element of A's)
   */
  strided?: boolean;
}

/**
 * The tilings the ceiling tries on a device, fastest verified one taken (as a BLAS library picks its blocking per
 * CPU): five staged forms, each a 64 x 64 tile of C, and two direct forms of 128 x 64 and 64 x 128. On a GPU the
 * staged many-invocation forms are the known good ones. On llvmpipe at 1024^3 (2026-12-02, docs/ceilings.md) the
 * direct forms, 8 x 8 invocations of 16 x 8 or 8 x 16 outputs, won the trial through both Dawn paths (0.12 s a call
 * through Vulkan and OpenGL, against the best staged form's 0.20 and 0.22 s); among the staged forms, the order
 * through OpenGL changed from run to run. All fit 128 invocations and 16 KiB of workgroup memory (WebGPU's
 * compatibility-mode guarantees) but the first, which needs 256 invocations.
 */
export const WGSL_TILINGS: readonly WgslTiling[] = [
  { wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 },
  { wx: 16, wy: 8, tm: 8, tn: 4, bk: 16 },
  { wx: 8, wy: 8, tm: 8, tn: 8, bk: 16, vec4: true },
  { wx: 4, wy: 8, tm: 8, tn: 16, bk: 32, vec4: true },
  { wx: 4, wy: 4, tm: 16, tn: 16, bk: 16, vec4: true },
  { wx: 8, wy: 8, tm: 16, tn: 8, bk: 0, direct: true },
  { wx: 8, wy: 8, tm: 8, tn: 16, bk: 0, direct: true },
];

/** A tiling's short name, e.g. 'wgsl-16x8x8x4-k16' (invocations WX x WY, outputs TM x TN, K step), '-v4' for vec4. */
export function tilingName(t: WgslTiling): string {
  return `wgsl-${t.wx}x${t.wy}x${t.tm}x${t.tn}-${t.direct ? 'direct' : `k${t.bk}${t.vec4 ? '-v4' : ''}`}`;
}

/** Bytes of workgroup memory a tiling stages: A's BM x BK and B's BK x BN tiles of f32. */
export function workgroupBytes(t: WgslTiling): number {
  if (t.direct) return 0;
  const { bm, bn } = tileOf(t);
  return 4 * t.bk * (bm + bn);
}

/** The tile's rows and columns. */
export function tileOf(t: WgslTiling): { bm: number; bn: number } {
  return { bm: t.wy * t.tm, bn: t.wx * t.tn };
}

/** The WGSL source for a tiling. Bindings: 0 A, 1 B (read), 2 C (read_write), 3 uniform { m, n, k }. */
export function wgslGemmSource(t: WgslTiling): string {
  return t.direct ? directSource(t) : t.vec4 ? vec4Source(t) : scalarSource(t);
}

/** The direct form, unrolled: a{i} and b{j} the k-th elements of the invocation's rows and columns, acc{i}_{j} its outputs. */
function directSource(t: WgslTiling): string {
  const rows = Array.from({ length: t.tm }, (_, i) => i);
  const cols = Array.from({ length: t.tn }, (_, j) => j);
  const each = (f: (i: number, j: number) => string) => rows.flatMap((i) => cols.map((j) => f(i, j)));
  return /* wgsl */ `${HEADER}
@compute @workgroup_size(${t.wx}, ${t.wy})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r0 = gid.y * ${t.tm}u;
  let c0 = gid.x * ${t.tn}u;
  // rows and columns past the edges read the last real one; their outputs are never stored
${rows.map((i) => `  let ra${i} = min(r0 + ${i}u, dims.m - 1u) * dims.k;`).join('\n')}
${cols.map((j) => `  let cb${j} = min(c0 + ${j}u, dims.n - 1u);`).join('\n')}
${each((i, j) => `  var acc${i}_${j} = 0.0;`).join('\n')}
  for (var p = 0u; p < dims.k; p = p + 1u) {
    let row = p * dims.n;
${rows.map((i) => `    let a${i} = a[ra${i} + p];`).join('\n')}
${cols.map((j) => `    let b${j} = b[row + cb${j}];`).join('\n')}
${each((i, j) => `    acc${i}_${j} = acc${i}_${j} + a${i} * b${j};`).join('\n')}
  }
${each((i, j) => `  if (r0 + ${i}u < dims.m && c0 + ${j}u < dims.n) { c[(r0 + ${i}u) * dims.n + c0 + ${j}u] = acc${i}_${j}; }`).join('\n')}
}
`;
}

const HEADER = `
struct Dims { m: u32, n: u32, k: u32, unused: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;
`;

/**
 * The vec4 form: A's tile holds 4 consecutive rows of one k in a vec4, B's tile 4 consecutive columns; an
 * invocation's TM x TN outputs are TM x TN/4 vec4 accumulators, each step adding a row's A element times B's vec4.
 */
function vec4Source(t: WgslTiling): string {
  const { bm, bn } = tileOf(t);
  const am = bm / 4;
  const bq = bn / 4;
  const tm4 = t.tm / 4;
  const tn4 = t.tn / 4;
  const lanes = ['x', 'y', 'z', 'w'];
  const update = Array.from({ length: 4 }, (_, q) => `acc[(i4 * 4u + ${q}u) * ${tn4}u + j4] = acc[(i4 * 4u + ${q}u) * ${tn4}u + j4] + av.${lanes[q]} * bv;`).join('\n          ');
  return /* wgsl */ `${HEADER}
const BK = ${t.bk}u;
const THREADS = ${t.wx * t.wy}u;

// tileA[p * ${am} + row / 4][row % 4], tileB[p * ${bq} + col / 4][col % 4]
var<workgroup> tileA: array<vec4<f32>, ${am * t.bk}>;
var<workgroup> tileB: array<vec4<f32>, ${t.bk * bq}>;

@compute @workgroup_size(${t.wx}, ${t.wy})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * ${bm}u;
  let col0 = wg.x * ${bn}u;
  var acc: array<vec4<f32>, ${t.tm * tn4}>;
  for (var k0 = 0u; k0 < dims.k; k0 = k0 + BK) {
    for (var e = li; e < ${bm}u * BK; e = e + THREADS) {
      let r = e / BK;
      let p = e % BK;
      var v = 0.0;
      if (row0 + r < dims.m && k0 + p < dims.k) { v = a[(row0 + r) * dims.k + k0 + p]; }
      tileA[p * ${am}u + r / 4u][r % 4u] = v;
    }
    for (var e = li; e < BK * ${bn}u; e = e + THREADS) {
      let p = e / ${bn}u;
      let col = e % ${bn}u;
      var v = 0.0;
      if (k0 + p < dims.k && col0 + col < dims.n) { v = b[(k0 + p) * dims.n + col0 + col]; }
      tileB[p * ${bq}u + col / 4u][col % 4u] = v;
    }
    workgroupBarrier();
    for (var p = 0u; p < BK; p = p + 1u) {
      for (var i4 = 0u; i4 < ${tm4}u; i4 = i4 + 1u) {
        let av = tileA[p * ${am}u + lid.y * ${tm4}u + i4];
        for (var j4 = 0u; j4 < ${tn4}u; j4 = j4 + 1u) {
          let bv = tileB[p * ${bq}u + lid.x * ${tn4}u + j4];
          ${update}
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${t.tm}u; i = i + 1u) {
    let r = row0 + lid.y * ${t.tm}u + i;
    for (var j4 = 0u; j4 < ${tn4}u; j4 = j4 + 1u) {
      let v = acc[i * ${tn4}u + j4];
      for (var q = 0u; q < 4u; q = q + 1u) {
        let col = col0 + lid.x * ${t.tn}u + j4 * 4u + q;
        if (r < dims.m && col < dims.n) { c[r * dims.n + col] = v[q]; }
      }
    }
  }
}
`;
}

function scalarSource(t: WgslTiling): string {
  const { bm, bn } = tileOf(t);
  const colOf = (j: string) => (t.strided ? `lid.x + ${j} * ${t.wx}u` : `lid.x * TN + ${j}`);
  return /* wgsl */ `
struct Dims { m: u32, n: u32, k: u32, unused: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

const BM = ${bm}u;
const BN = ${bn}u;
const BK = ${t.bk}u;
const TM = ${t.tm}u;
const TN = ${t.tn}u;
const THREADS = ${t.wx * t.wy}u;

// tileA[p * BM + row], tileB[p * BN + col]: one k of the tile is contiguous for the inner loop
var<workgroup> tileA: array<f32, ${bm * t.bk}>;
var<workgroup> tileB: array<f32, ${t.bk * bn}>;

@compute @workgroup_size(${t.wx}, ${t.wy})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  var acc: array<f32, ${t.tm * t.tn}>;
  var ar: array<f32, ${t.tm}>;
  var br: array<f32, ${t.tn}>;
  for (var k0 = 0u; k0 < dims.k; k0 = k0 + BK) {
    for (var e = li; e < BM * BK; e = e + THREADS) {
      let r = e / BK;
      let p = e % BK;
      var v = 0.0;
      if (row0 + r < dims.m && k0 + p < dims.k) { v = a[(row0 + r) * dims.k + k0 + p]; }
      tileA[p * BM + r] = v;
    }
    for (var e = li; e < BK * BN; e = e + THREADS) {
      let p = e / BN;
      let col = e % BN;
      var v = 0.0;
      if (k0 + p < dims.k && col0 + col < dims.n) { v = b[(k0 + p) * dims.n + col0 + col]; }
      tileB[p * BN + col] = v;
    }
    workgroupBarrier();
    for (var p = 0u; p < BK; p = p + 1u) {
      for (var i = 0u; i < TM; i = i + 1u) { ar[i] = tileA[p * BM + lid.y * TM + i]; }
      for (var j = 0u; j < TN; j = j + 1u) { br[j] = tileB[p * BN + ${colOf('j')}]; }
      for (var i = 0u; i < TM; i = i + 1u) {
        for (var j = 0u; j < TN; j = j + 1u) { acc[i * TN + j] = acc[i * TN + j] + ar[i] * br[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i = i + 1u) {
    let r = row0 + lid.y * TM + i;
    for (var j = 0u; j < TN; j = j + 1u) {
      let col = col0 + ${colOf('j')};
      if (r < dims.m && col < dims.n) { c[r * dims.n + col] = acc[i * TN + j]; }
    }
  }
}
`;
}
