/**
 * The WebGL ceiling of a GEMM: a hand-written fragment shader on RGBA float textures, drawn through headless-gl
 * (WebGL 1 with OES_texture_float, the API gpu.js's headlessgl kernels use) on the same GL driver, in a context of
 * its own so neither disturbs the other's state. gpu.js's kernels read one float a texel and compute one output a
 * fragment; this one packs four floats a texel and computes four outputs a fragment:
 * - A (M x K) is a texture of K/4 x M texels, four consecutive k of a row in each; B (K x N) one of N/4 x K
 *   texels, four consecutive columns in each; K and N are padded with zeros to multiples of 4;
 * - the fragment at (j, i) computes C[i][4j .. 4j+3]: per step, one texel of A (4 k) and four of B (4 rows of
 *   its 4 columns), 5 texture reads for 32 FLOP, against 2 reads for 2 FLOP;
 * - the output is a float render target of N/4 x M texels, read back with readPixels and the padding dropped.
 * Resident: A and B are textures before timing; a sample is one draw and one gl.finish(), as gpu.js's resident
 * kernels finish once. End-to-end: a sample also uploads A and B and reads C back.
 */
import { createRequire } from 'node:module';
import type { Device, Executed, TimingMode } from '../../results/schema.js';
import type { GemmOperands } from '../../workloads/gemm/inputs.js';
import type { CeilingGemm } from '../session.js';

export const WEBGL_CEILING = {
  id: 'webgl-rgba-1x4',
  description:
    'hand-written WebGL 1 fragment shader GEMM (headless-gl): A and B in RGBA float textures, four floats a texel, ' +
    'each fragment computing four outputs of a row of C from one texel of A and four of B a step; K and N padded to multiples of 4',
} as const;

/** The WebGL 1 calls and constants the kernel uses (headless-gl's context; no DOM types here). */
export interface WebGl {
  readonly [constant: string]: unknown;
  getExtension(name: string): unknown;
  getParameter(p: number): unknown;
  getError(): number;
  isContextLost(): boolean;
  createTexture(): unknown;
  bindTexture(target: number, t: unknown): void;
  texParameteri(target: number, p: number, v: number): void;
  texImage2D(target: number, level: number, internal: number, w: number, h: number, border: number, format: number, type: number, data: Float32Array | null): void;
  texSubImage2D(target: number, level: number, x: number, y: number, w: number, h: number, format: number, type: number, data: Float32Array): void;
  deleteTexture(t: unknown): void;
  createFramebuffer(): unknown;
  bindFramebuffer(target: number, fb: unknown): void;
  framebufferTexture2D(target: number, attachment: number, textarget: number, t: unknown, level: number): void;
  checkFramebufferStatus(target: number): number;
  deleteFramebuffer(fb: unknown): void;
  createShader(type: number): unknown;
  shaderSource(s: unknown, src: string): void;
  compileShader(s: unknown): void;
  getShaderParameter(s: unknown, p: number): unknown;
  getShaderInfoLog(s: unknown): string | null;
  createProgram(): unknown;
  attachShader(p: unknown, s: unknown): void;
  linkProgram(p: unknown): void;
  getProgramParameter(p: unknown, q: number): unknown;
  getProgramInfoLog(p: unknown): string | null;
  useProgram(p: unknown): void;
  getUniformLocation(p: unknown, name: string): unknown;
  uniform1i(l: unknown, v: number): void;
  getAttribLocation(p: unknown, name: string): number;
  createBuffer(): unknown;
  bindBuffer(target: number, b: unknown): void;
  bufferData(target: number, data: Float32Array, usage: number): void;
  enableVertexAttribArray(i: number): void;
  vertexAttribPointer(i: number, size: number, type: number, normalized: boolean, stride: number, offset: number): void;
  activeTexture(unit: number): void;
  viewport(x: number, y: number, w: number, h: number): void;
  drawArrays(mode: number, first: number, count: number): void;
  readPixels(x: number, y: number, w: number, h: number, format: number, type: number, out: Float32Array): void;
  finish(): void;
}

/** A headless-gl context of its own, from the `gl` package gpu.js loads (an optional dependency). */
export function headlessGlContext(): WebGl {
  const createGl = createRequire(import.meta.url)('gl') as (w: number, h: number, o: object) => WebGl | null;
  const gl = createGl(1, 1, { preserveDrawingBuffer: true });
  if (!gl) throw new Error('headless-gl could not create a WebGL context');
  return gl;
}

/** The fragment shader for K4 texels of A a row (K padded to 4 * K4), over textures of the given sizes. */
export function webglGemmSource(m: number, k4: number, n4: number): string {
  return `precision highp float;
precision highp sampler2D;
uniform sampler2D A;
uniform sampler2D B;
void main() {
  // gl_FragCoord is the texel's centre: (j + 0.5, i + 0.5); texel x of a W-wide texture is at (x + 0.5) / W
  float bx = gl_FragCoord.x / ${n4}.0;
  float ay = gl_FragCoord.y / ${m}.0;
  vec4 acc = vec4(0.0);
  for (int q = 0; q < ${k4}; q++) {
    float fq = float(q);
    vec4 a = texture2D(A, vec2((fq + 0.5) / ${k4}.0, ay));
    float row = 4.0 * fq;
    acc += a.x * texture2D(B, vec2(bx, (row + 0.5) / ${4 * k4}.0));
    acc += a.y * texture2D(B, vec2(bx, (row + 1.5) / ${4 * k4}.0));
    acc += a.z * texture2D(B, vec2(bx, (row + 2.5) / ${4 * k4}.0));
    acc += a.w * texture2D(B, vec2(bx, (row + 3.5) / ${4 * k4}.0));
  }
  gl_FragColor = acc;
}
`;
}

const VERTEX_SOURCE = 'attribute vec2 p; void main() { gl_Position = vec4(p, 0.0, 1.0); }';

/** `values` (rows x cols, row-major) in a zero-padded rows x paddedCols array. */
function padColumns(values: Float32Array, rows: number, cols: number, paddedCols: number, paddedRows = rows): Float32Array {
  if (cols === paddedCols && rows === paddedRows) return values;
  const out = new Float32Array(paddedRows * paddedCols);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * cols, (r + 1) * cols), r * paddedCols);
  return out;
}

function compileProgram(gl: WebGl, fragment: string): unknown {
  const c = gl as unknown as Record<string, number>;
  const shader = (type: number, source: string) => {
    const s = gl.createShader(type);
    gl.shaderSource(s, source);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, c.COMPILE_STATUS!)) throw new Error(`the shader did not compile: ${(gl.getShaderInfoLog(s) ?? '').split('\n')[0]}`);
    return s;
  };
  const program = gl.createProgram();
  gl.attachShader(program, shader(c.VERTEX_SHADER!, VERTEX_SOURCE));
  gl.attachShader(program, shader(c.FRAGMENT_SHADER!, fragment));
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, c.LINK_STATUS!)) throw new Error(`the program did not link: ${(gl.getProgramInfoLog(program) ?? '').split('\n')[0]}`);
  return program;
}

/** Prepares the ceiling for one shape's operands on `gl`: textures of A and B in place, the shader compiled. */
export function prepareWebglCeilingGemm(ops: GemmOperands, gl: WebGl, device: Device): CeilingGemm {
  const c = gl as unknown as Record<string, number>;
  const { m, n, k } = ops.shape;
  const k4 = Math.ceil(k / 4);
  const n4 = Math.ceil(n / 4);
  if (!gl.getExtension('OES_texture_float')) throw new Error('this WebGL context has no OES_texture_float: no float textures');
  const maxSide = Number(gl.getParameter(c.MAX_TEXTURE_SIZE!));
  const side = Math.max(m, k4, n4, 4 * k4);
  if (side > maxSide) throw new Error(`the WebGL ceiling needs a texture side of ${side} texels, past the context's MAX_TEXTURE_SIZE of ${maxSide}`);
  const texture = (w: number, h: number, data: Float32Array | null) => {
    const t = gl.createTexture();
    gl.bindTexture(c.TEXTURE_2D!, t);
    for (const p of [c.TEXTURE_MIN_FILTER!, c.TEXTURE_MAG_FILTER!]) gl.texParameteri(c.TEXTURE_2D!, p, c.NEAREST!);
    for (const p of [c.TEXTURE_WRAP_S!, c.TEXTURE_WRAP_T!]) gl.texParameteri(c.TEXTURE_2D!, p, c.CLAMP_TO_EDGE!);
    gl.texImage2D(c.TEXTURE_2D!, 0, c.RGBA!, w, h, 0, c.RGBA!, c.FLOAT!, data);
    return t;
  };
  const textureA = texture(k4, m, null);
  const textureB = texture(n4, 4 * k4, null);
  const textureC = texture(n4, m, null);
  const framebuffer = gl.createFramebuffer();
  gl.bindFramebuffer(c.FRAMEBUFFER!, framebuffer);
  gl.framebufferTexture2D(c.FRAMEBUFFER!, c.COLOR_ATTACHMENT0!, c.TEXTURE_2D!, textureC, 0);
  if (gl.checkFramebufferStatus(c.FRAMEBUFFER!) !== c.FRAMEBUFFER_COMPLETE) throw new Error('this WebGL context cannot render into a float texture');
  const program = compileProgram(gl, webglGemmSource(m, k4, n4));
  gl.useProgram(program);
  const quad = gl.createBuffer();
  gl.bindBuffer(c.ARRAY_BUFFER!, quad);
  gl.bufferData(c.ARRAY_BUFFER!, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), c.STATIC_DRAW!);
  const at = gl.getAttribLocation(program, 'p');
  gl.enableVertexAttribArray(at);
  gl.vertexAttribPointer(at, 2, c.FLOAT!, false, 0, 0);
  gl.activeTexture(c.TEXTURE0!);
  gl.bindTexture(c.TEXTURE_2D!, textureA);
  gl.uniform1i(gl.getUniformLocation(program, 'A'), 0);
  gl.activeTexture(c.TEXTURE1!);
  gl.bindTexture(c.TEXTURE_2D!, textureB);
  gl.uniform1i(gl.getUniformLocation(program, 'B'), 1);
  gl.viewport(0, 0, n4, m);

  /** Throws what the context reports after a call: an error code, or a lost context. */
  const checked = (what: string) => {
    const error = gl.getError();
    if (error !== c.NO_ERROR) throw new Error(`WebGL error 0x${error.toString(16)} ${what}`);
    if (gl.isContextLost()) throw new Error(`the WebGL context was lost ${what}`);
  };
  const paddedB = padColumns(ops.b, k, n, 4 * n4, 4 * k4);
  const upload = (a: Float32Array) => {
    gl.activeTexture(c.TEXTURE0!);
    gl.bindTexture(c.TEXTURE_2D!, textureA);
    gl.texSubImage2D(c.TEXTURE_2D!, 0, 0, 0, k4, m, c.RGBA!, c.FLOAT!, padColumns(a, m, k, 4 * k4));
    gl.activeTexture(c.TEXTURE1!);
    gl.bindTexture(c.TEXTURE_2D!, textureB);
    gl.texSubImage2D(c.TEXTURE_2D!, 0, 0, 0, n4, 4 * k4, c.RGBA!, c.FLOAT!, paddedB);
  };
  /** One draw over C's texels, then gl.finish(): the resident sample. */
  const compute = () => {
    gl.drawArrays(c.TRIANGLE_STRIP!, 0, 4);
    gl.finish();
  };
  const readC = () => {
    const out = new Float32Array(4 * n4 * m);
    gl.readPixels(0, 0, n4, m, c.RGBA!, c.FLOAT!, out);
    checked('reading C back');
    return out;
  };
  upload(ops.a);
  checked('setting the kernel up');
  let readbacks = 0;
  const executed: Executed = { backend: 'headlessgl', kernelClass: `hand-written WebGL fragment shader (${WEBGL_CEILING.id})`, device };
  const endToEnd = (a: Float32Array) => {
    upload(a);
    compute();
    return readC();
  };
  return {
    ceiling: WEBGL_CEILING,
    threads: 1,
    timingNotes: {
      resident: 'A and B in RGBA float textures before timing; a sample is one draw of the fragment shader into a float texture and one gl.finish()',
      'end-to-end': 'a sample uploads A and B into RGBA float textures, draws the fragment shader and reads C back with readPixels',
    } satisfies Record<TimingMode, string>,
    toRowMajor: (output) => (n === 4 * n4 ? (output as Float32Array) : dropPadding(output as Float32Array, m, n, 4 * n4)),
    executed: () => executed,
    endToEnd: () => endToEnd(ops.a),
    resident: () => {
      compute();
      checked('drawing');
    },
    readResident: () => {
      readbacks++;
      return readC();
    },
    readbacks: () => readbacks,
    runDoubled: (timing) => {
      const doubled = ops.a.map((x) => 2 * x);
      const out = timing === 'end-to-end' ? endToEnd(doubled) : (upload(doubled), compute(), readC());
      upload(ops.a);
      return out;
    },
    dispose: () => {
      gl.deleteTexture(textureA);
      gl.deleteTexture(textureB);
      gl.deleteTexture(textureC);
      gl.deleteFramebuffer(framebuffer);
      (gl.getExtension('STACKGL_destroy_context') as { destroy(): void } | null)?.destroy();
    },
  };
}

/** The real M x N of C from rows of `paddedCols` floats. */
function dropPadding(values: Float32Array, rows: number, cols: number, paddedCols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * paddedCols, r * paddedCols + cols), r * cols);
  return out;
}
