// AssemblyScript entry of the hand-written WebAssembly kernels, compiled by `npm run build:wasm` (asc) into
// dist/wasm/ceiling.wasm: the GEMM (gemm.ts) and the STREAM kernels (stream.ts), one module every thread shares.
export { packB, gemmRows } from './gemm';
export { copyRange, triadRange } from './stream';
