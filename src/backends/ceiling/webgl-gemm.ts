/**
 * The WebGL ceiling of a GEMM: a hand-written fragment shader on RGBA float textures, drawn through headless-gl
 * (WebGL 1 with OES_texture_float, the API gpu.js's headlessgl kernels use) on the same GL driver, in a context of
 * its own so neither disturbs the other's state. gpu.js's kernels read one float a texel and compute one output a
 * fragment; these pack four floats a texel:
 * - A (M x K) is a texture of K/4 x M texels, four consecutive k of a row in each; B (K x N) one of N/4 x K
 *   texels, four consecutive columns in each; K, N (and M, to a multiple of 4) are padded with zeros;
 * - webgl-rgba-1x4: the fragment at (j, i) computes C[i][4j .. 4j+3]: per step one texel of A (4 k) and four of B
 *   (4 rows of its 4 columns), 5 texture reads for 32 FLOP, against gpu.js's 2 reads for 2 FLOP;
 * - webgl-mrt-4x4: with WEBGL_draw_buffers, the fragment at (j, b) computes rows 4b .. 4b+3 of those columns into
 *   four render targets, one a row: 8 reads for 128 FLOP;
 * - the output is float render targets, read back with readPixels and the padding dropped.
 * Both forms are tried on the device (fastest-form.ts) and the fastest verified one kept.
 * Resident: A and B are textures before timing; a sample is one draw and one gl.finish(), as gpu.js's resident
 * kernels finish once. End-to-end: a sample also uploads A and B and reads C back.
 */
import { createRequire } from 'node:module';
import type { Device, Executed, TimingMode } from '../../results/schema.js';
import type { GemmOperands } from '../../workloads/gemm/inputs.js';
import type { CeilingGemm } from '../session.js';
import { fastestForm, type FormTrial } from './fastest-form.js';
import { runWithADoubled } from './doubled-a.js';

const DESCRIPTION =
  'hand-written WebGL 1 fragment shader GEMM (headless-gl): A and B in RGBA float textures, four floats a texel, each fragment ' +
  'computing four columns of C (one row, or four rows into four render targets) from texels of A and B; the faster verified form on this device';

/** The forms, as cases name them: outputs a fragment computes, rows x columns. */
export const WEBGL_FORMS = [
  { id: 'webgl-rgba-1x4', rows: 1 },
  { id: 'webgl-mrt-4x4', rows: 4 },
] as const;
type WebGlForm = (typeof WEBGL_FORMS)[number];

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
  deleteProgram(p: unknown): void;
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

/**
 * The fragment shader of a form: K4 texels of A a row (K padded to 4 * K4), A `aRows` texels high, B N4 wide and
 * 4 * K4 high. gl_FragCoord is a texel's centre, (x + 0.5, y + 0.5); texel x of a W-wide texture is at (x + 0.5) / W.
 */
export function webglGemmSource(form: WebGlForm, aRows: number, k4: number, n4: number): string {
  const rows = Array.from({ length: form.rows }, (_, r) => r);
  const bRow = (o: number) => `texture2D(B, vec2(bx, (row + ${o}.5) / ${4 * k4}.0))`;
  return `${form.rows > 1 ? '#extension GL_EXT_draw_buffers : require\n' : ''}precision highp float;
precision highp sampler2D;
uniform sampler2D A;
uniform sampler2D B;
void main() {
  float bx = gl_FragCoord.x / ${n4}.0;
  float i0 = ${form.rows}.0 * floor(gl_FragCoord.y);
${rows.map((r) => `  vec4 c${r} = vec4(0.0);`).join('\n')}
  for (int q = 0; q < ${k4}; q++) {
    float fq = float(q);
    float ax = (fq + 0.5) / ${k4}.0;
    float row = 4.0 * fq;
    vec4 b0 = ${bRow(0)};
    vec4 b1 = ${bRow(1)};
    vec4 b2 = ${bRow(2)};
    vec4 b3 = ${bRow(3)};
${rows.map((r) => `    vec4 a${r} = texture2D(A, vec2(ax, (i0 + ${r}.5) / ${aRows}.0));\n    c${r} += a${r}.x * b0 + a${r}.y * b1 + a${r}.z * b2 + a${r}.w * b3;`).join('\n')}
  }
${form.rows > 1 ? rows.map((r) => `  gl_FragData[${r}] = c${r};`).join('\n') : '  gl_FragColor = c0;'}
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

/** One form compiled over the shared textures: its draw (state set each call) and its readback of C. */
interface GlKernel {
  form: WebGlForm;
  draw(): void;
  /** C, M x 4*N4 row-major, padding columns included */
  read(): Float32Array;
  dispose(): void;
}

/** Prepares the ceiling for one shape's operands on `gl`: A and B in textures, every form tried, the fastest kept. */
export async function prepareWebglCeilingGemm(
  ops: GemmOperands,
  gl: WebGl,
  device: Device,
  isRight: (c: Float32Array) => boolean,
  /** a form an earlier fork of the case chose: tried alone, so every fork measures the same kernel */
  pinned?: string,
): Promise<CeilingGemm> {
  const c = gl as unknown as Record<string, number>;
  const { m, n, k } = ops.shape;
  const k4 = Math.ceil(k / 4);
  const n4 = Math.ceil(n / 4);
  const m4 = Math.ceil(m / 4);
  if (!gl.getExtension('OES_texture_float')) throw new Error('this WebGL context has no OES_texture_float: no float textures');
  const maxSide = Number(gl.getParameter(c.MAX_TEXTURE_SIZE!));
  const side = Math.max(4 * m4, k4, n4, 4 * k4);
  if (side > maxSide) throw new Error(`the WebGL ceiling needs a texture side of ${side} texels, past the context's MAX_TEXTURE_SIZE of ${maxSide}`);
  const texture = (w: number, h: number, data: Float32Array | null) => {
    const t = gl.createTexture();
    gl.bindTexture(c.TEXTURE_2D!, t);
    for (const p of [c.TEXTURE_MIN_FILTER!, c.TEXTURE_MAG_FILTER!]) gl.texParameteri(c.TEXTURE_2D!, p, c.NEAREST!);
    for (const p of [c.TEXTURE_WRAP_S!, c.TEXTURE_WRAP_T!]) gl.texParameteri(c.TEXTURE_2D!, p, c.CLAMP_TO_EDGE!);
    gl.texImage2D(c.TEXTURE_2D!, 0, c.RGBA!, w, h, 0, c.RGBA!, c.FLOAT!, data);
    return t;
  };
  /** Throws what the context reports after a call: an error code, or a lost context. */
  const checked = (what: string) => {
    const error = gl.getError();
    if (error !== c.NO_ERROR) throw new Error(`WebGL error 0x${error.toString(16)} ${what}`);
    if (gl.isContextLost()) throw new Error(`the WebGL context was lost ${what}`);
  };
  // A padded to 4 * M4 rows, so the 4-row form never reads past it; the 1-row form reads its first M
  const textureA = texture(k4, 4 * m4, null);
  const textureB = texture(n4, 4 * k4, null);
  const quad = gl.createBuffer();
  gl.bindBuffer(c.ARRAY_BUFFER!, quad);
  gl.bufferData(c.ARRAY_BUFFER!, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), c.STATIC_DRAW!);
  const paddedB = padColumns(ops.b, k, n, 4 * n4, 4 * k4);
  const upload = (a: Float32Array) => {
    gl.bindTexture(c.TEXTURE_2D!, textureA);
    gl.texSubImage2D(c.TEXTURE_2D!, 0, 0, 0, k4, 4 * m4, c.RGBA!, c.FLOAT!, padColumns(a, m, k, 4 * k4, 4 * m4));
    gl.bindTexture(c.TEXTURE_2D!, textureB);
    gl.texSubImage2D(c.TEXTURE_2D!, 0, 0, 0, n4, 4 * k4, c.RGBA!, c.FLOAT!, paddedB);
  };
  const drawBuffers = gl.getExtension('WEBGL_draw_buffers') as { drawBuffersWEBGL(b: number[]): void; readonly [k: string]: unknown } | null;
  const unfit = (form: WebGlForm): string | undefined => {
    if (form.rows === 1) return undefined;
    if (!drawBuffers) return 'this WebGL context has no WEBGL_draw_buffers';
    const most = Math.min(Number(gl.getParameter(drawBuffers.MAX_DRAW_BUFFERS_WEBGL as number)), Number(gl.getParameter(drawBuffers.MAX_COLOR_ATTACHMENTS_WEBGL as number)));
    return most < form.rows ? `${form.rows} render targets, more than the context's ${most}` : undefined;
  };
  const attachment = (r: number) => (r === 0 ? c.COLOR_ATTACHMENT0! : (drawBuffers![`COLOR_ATTACHMENT${r}_WEBGL`] as number));

  const build = (form: WebGlForm): GlKernel => {
    const height = form.rows === 1 ? m : m4;
    // everything the form makes, freed together: by dispose, or at once when the form does not build, so a failed
    // form leaves nothing behind in the context the other forms share
    const outputs = Array.from({ length: form.rows }, () => texture(n4, height, null));
    const framebuffer = gl.createFramebuffer();
    const framebuffers = [framebuffer];
    const programs: unknown[] = [];
    const free = () => {
      for (const t of outputs) gl.deleteTexture(t);
      for (const f of framebuffers) gl.deleteFramebuffer(f);
      for (const p of programs) gl.deleteProgram(p);
    };
    try {
      gl.bindFramebuffer(c.FRAMEBUFFER!, framebuffer);
      outputs.forEach((t, r) => gl.framebufferTexture2D(c.FRAMEBUFFER!, attachment(r), c.TEXTURE_2D!, t, 0));
      if (form.rows > 1) drawBuffers!.drawBuffersWEBGL(outputs.map((_, r) => attachment(r)));
      if (gl.checkFramebufferStatus(c.FRAMEBUFFER!) !== c.FRAMEBUFFER_COMPLETE) throw new Error('this WebGL context cannot render into these float textures');
      // with several render targets, one framebuffer each to read it back from (readPixels reads COLOR_ATTACHMENT0)
      const targets = form.rows === 1 ? [framebuffer] : [];
      for (const t of form.rows === 1 ? [] : outputs) {
        const reader = gl.createFramebuffer();
        framebuffers.push(reader);
        targets.push(reader);
        gl.bindFramebuffer(c.FRAMEBUFFER!, reader);
        gl.framebufferTexture2D(c.FRAMEBUFFER!, c.COLOR_ATTACHMENT0!, c.TEXTURE_2D!, t, 0);
      }
      const program = compileProgram(gl, webglGemmSource(form, 4 * m4, k4, n4));
      programs.push(program);
      const at = gl.getAttribLocation(program, 'p');
      const samplers = [gl.getUniformLocation(program, 'A'), gl.getUniformLocation(program, 'B')];
      checked('setting the kernel up');
      return {
        form,
        draw: () => {
          gl.useProgram(program);
          gl.bindFramebuffer(c.FRAMEBUFFER!, framebuffer);
          gl.bindBuffer(c.ARRAY_BUFFER!, quad);
          gl.enableVertexAttribArray(at);
          gl.vertexAttribPointer(at, 2, c.FLOAT!, false, 0, 0);
          [textureA, textureB].forEach((t, unit) => {
            gl.activeTexture(c.TEXTURE0! + unit);
            gl.bindTexture(c.TEXTURE_2D!, t);
            gl.uniform1i(samplers[unit], unit);
          });
          gl.viewport(0, 0, n4, height);
          gl.drawArrays(c.TRIANGLE_STRIP!, 0, 4);
          gl.finish();
        },
        read: () => {
          const out = new Float32Array(4 * n4 * m);
          const part = new Float32Array(4 * n4 * height);
          targets.forEach((target, r) => {
            gl.bindFramebuffer(c.FRAMEBUFFER!, target);
            gl.readPixels(0, 0, n4, height, c.RGBA!, c.FLOAT!, form.rows === 1 ? out : part);
            // render target r holds rows r, r + 4, r + 8, ... of C
            if (form.rows > 1) for (let b = 0; b * 4 + r < m; b++) out.set(part.subarray(b * 4 * n4, (b + 1) * 4 * n4), (4 * b + r) * 4 * n4);
          });
          checked('reading C back');
          return out;
        },
        dispose: free,
      };
    } catch (error) {
      free();
      throw error;
    }
  };

  const toRowMajor = (output: Float32Array) => (n === 4 * n4 ? output : dropPadding(output, m, n, 4 * n4));
  upload(ops.a);
  const forms: FormTrial<GlKernel>[] = WEBGL_FORMS.filter((f) => pinned === undefined || f.id === pinned).map((form) => ({
    name: form.id,
    unfit: unfit(form),
    build: () => build(form),
    verify: (kernel) => {
      kernel.draw();
      checked('drawing');
      if (!isRight(toRowMajor(kernel.read()))) throw new Error('gave a wrong C');
    },
    call: (kernel) => kernel.draw(),
    discard: (kernel) => kernel.dispose(),
  }));
  let picked: Awaited<ReturnType<typeof fastestForm<GlKernel>>>;
  try {
    picked = await fastestForm(forms, 'WebGL form');
  } catch (error) {
    gl.deleteTexture(textureA);
    gl.deleteTexture(textureB);
    throw error;
  }
  const { kernel, candidates } = picked;
  let readbacks = 0;
  const executed: Executed = { backend: 'headlessgl', kernelClass: `hand-written WebGL fragment shader (${kernel.form.id})`, device };
  const endToEnd = (a: Float32Array) => {
    upload(a);
    kernel.draw();
    return kernel.read();
  };
  return {
    ceiling: { id: kernel.form.id, description: DESCRIPTION, candidates },
    threads: 1,
    timingNotes: {
      resident: 'A and B in RGBA float textures before timing; a sample is one draw of the fragment shader into float render targets and one gl.finish()',
      'end-to-end': 'a sample uploads A and B into RGBA float textures, draws the fragment shader and reads C back with readPixels',
    } satisfies Record<TimingMode, string>,
    toRowMajor: (output) => toRowMajor(output as Float32Array),
    executed: () => executed,
    endToEnd: () => endToEnd(ops.a),
    resident: () => {
      kernel.draw();
      checked('drawing');
    },
    readResident: () => {
      readbacks++;
      return kernel.read();
    },
    readbacks: () => readbacks,
    runDoubled: (timing) => runWithADoubled(ops.a, timing, { place: upload, compute: () => kernel.draw(), read: () => kernel.read(), endToEnd }),
    dispose: () => {
      kernel.dispose();
      gl.deleteTexture(textureA);
      gl.deleteTexture(textureB);
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
