/**
 * The hand-written WGSL f32 GEMM, C = A B on row-major storage buffers: the tiled design of the published WebGPU
 * matmul write-ups and of CUDA's shared-memory GEMM. A workgroup of WX x WY invocations computes a BM x BN tile of C
 * (BM = WY * TM, BN = WX * TN); per step of BK along K it stages A's BM x BK and B's BK x BN tiles in workgroup
 * memory (zero past the matrix edges), and each invocation accumulates its TM x TN outputs in registers, reading TM
 * elements of A's tile and TN of B's per k. Stores are guarded, so any M, N and K works; only the real M x N is written.
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
}

/** 16 x 16 invocations of 4 x 4 outputs: a 64 x 64 tile, for adapters that allow 256 invocations a workgroup. */
export const TILING_256: WgslTiling = { wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 };
/** 16 x 8 invocations of 8 x 4: the same 64 x 64 tile within the 128 invocations compatibility mode guarantees. */
export const TILING_128: WgslTiling = { wx: 16, wy: 8, tm: 8, tn: 4, bk: 16 };

/** The tile's rows and columns. */
export function tileOf(t: WgslTiling): { bm: number; bn: number } {
  return { bm: t.wy * t.tm, bn: t.wx * t.tn };
}

/** The WGSL source for a tiling. Bindings: 0 A, 1 B (read), 2 C (read_write), 3 uniform { m, n, k }. */
export function wgslGemmSource(t: WgslTiling): string {
  const { bm, bn } = tileOf(t);
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
      for (var j = 0u; j < TN; j = j + 1u) { br[j] = tileB[p * BN + lid.x * TN + j]; }
      for (var i = 0u; i < TM; i = i + 1u) {
        for (var j = 0u; j < TN; j = j + 1u) { acc[i * TN + j] = acc[i * TN + j] + ar[i] * br[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i = i + 1u) {
    let r = row0 + lid.y * TM + i;
    for (var j = 0u; j < TN; j = j + 1u) {
      let col = col0 + lid.x * TN + j;
      if (r < dims.m && col < dims.n) { c[r * dims.n + col] = acc[i * TN + j]; }
    }
  }
}
`;
}
