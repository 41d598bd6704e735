/**
 * Carries out a schedule on host Float32Arrays, step by step: the reference
 * that the gpu.js executors are checked against, and the executor of the
 * tests that prove every step matters. Within a step, every transfer first
 * copies its source range into a staging buffer (the message on the wire),
 * then every staged message is applied; so transfers of one step see the
 * state before the step, as parallel sends do.
 */
import type { Schedule } from './schedule.js';

export function executeOnHost(
  schedule: Schedule,
  buffers: Float32Array[],
  onStep?: (stepIndex: number, buffers: readonly Float32Array[]) => void,
  skipStep = -1,
): void {
  schedule.steps.forEach((step, index) => {
    if (index === skipStep) return;
    const staged = step.transfers.map((t) => buffers[t.from]!.slice(t.start, t.end));
    step.transfers.forEach((t, k) => {
      const target = buffers[t.to]!;
      const message = staged[k]!;
      if (t.op === 'copy') target.set(message, t.start);
      else for (let i = 0; i < message.length; i++) target[t.start + i]! += message[i]!;
    });
    onStep?.(index, buffers);
  });
}
