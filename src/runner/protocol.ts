/**
 * Messages between the runner (parent) and a backend worker (child
 * process). Each backend runs in its own child so that a native crash
 * (headless-gl, Dawn) or a hang ends that child only.
 */
import type { HarnessBudget } from '../config/profiles.js';
import type { BackendStatus, CaseResult } from '../results/schema.js';
import type { Job } from '../plan/plan.js';
import type { DeviceLimits } from '../backends/session.js';


/** parent -> child: the only request a worker receives. */
export interface WorkerRequest {
  backend: string;
  /** probe only: report availability, device and limits, then exit */
  probeOnly: boolean;
  jobs: Job[];
  budget: HarnessBudget;
  /**
   * Interleaved run: sample no case on its own. When a case is verified, say 'ready' and take one slice of
   * samples per 'slice' command until 'measured' (src/runner/sliced-measure.ts).
   */
  sliced?: boolean;
  /**
   * After each case-result, wait for the runner's 'recorded' before going on: the runner writes the result file
   * while the worker is idle, not while it times the next case on a shared core.
   */
  awaitRecorded?: boolean;
}

/**
 * What this build's worker speaks. 2: 'ready', 'slice' and 'measured' for interleaved runs. 3: a case's
 * measurement holds its forks (result schemaVersion 2). 4: 'recorded' after each case-result. 5: kernel jobs (suite files). A probe without it,
 * or with less, comes from an older build, which cannot be the base of an interleaved run.
 */
export const WORKER_PROTOCOL = 5;

/** parent -> child, after the request: the slices of an interleaved run. */
export type RunnerCommand =
  /** take one slice of samples of the ready case; warm up first only when asked (the first slice) */
  | { type: 'slice'; id: string; timeBudgetMs: number; warmup: boolean; minSamples: number; maxSamples: number }
  /** no more slices: finish the case */
  | { type: 'measured'; id: string }
  /** the case's result is in the result file: go on (requests with awaitRecorded) */
  | { type: 'recorded'; id: string };

/** child -> parent. */
export type WorkerMessage =
  | { type: 'probe'; status: BackendStatus; limits: DeviceLimits; protocol?: number }
  /** the worker begins a case (for the first timing of a shape this includes compiling and verifying) */
  | { type: 'case-start'; id: string }
  | { type: 'case-result'; result: CaseResult }
  /** cases sampled in turn: this open case takes its turn again (the watchdog blames the case that runs) */
  | { type: 'turn'; id: string }
  /** sliced requests: the case is verified and waits for slices */
  | { type: 'ready'; id: string }
  /** sliced requests: one slice was taken, of `count` samples */
  | { type: 'slice-done'; id: string; count: number }
  | { type: 'done' };
