/**
 * The worker's side of an interleaved run (`chipbench run --against`). A
 * case is not sampled in one go: once it is verified, the worker says
 * 'ready' and then takes one slice of samples per 'slice' command from the
 * runner, which alternates the two builds' workers slice by slice. On
 * 'measured' the slices become one Measurement, with their boundaries kept,
 * and the job goes on exactly as after `measure`.
 */
import type { HarnessBudget } from '../config/profiles.js';
import { measurementOfSlices, sampleSteady, warmUp, type MeasureFn, type SampleFn, type WarmUp } from '../harness/measure.js';
import type { ForkMeasurement } from '../results/schema.js';
import type { RunnerCommand, WorkerMessage } from './protocol.js';

/** Commands from the runner, in order, awaited one at a time. */
export class CommandQueue {
  private readonly waiting: RunnerCommand[] = [];
  private taker: ((command: RunnerCommand) => void) | undefined;

  push(command: RunnerCommand): void {
    const take = this.taker;
    if (take) {
      this.taker = undefined;
      take(command);
    } else this.waiting.push(command);
  }

  next(): Promise<RunnerCommand> {
    const first = this.waiting.shift();
    if (first) return Promise.resolve(first);
    return new Promise((resolve) => (this.taker = resolve));
  }
}

/** A MeasureFn that takes its samples in slices on the runner's command. */
export function slicedMeasure(send: (message: WorkerMessage) => Promise<void>, commands: CommandQueue): MeasureFn {
  return async (name: string, sample: SampleFn, budget: HarnessBudget) => {
    const parts: ForkMeasurement[] = [];
    let warm: WarmUp = { samples: 0, seconds: 0, state: 'unchecked' };
    await send({ type: 'ready', id: name });
    for (;;) {
      const command = await commands.next();
      if (command.id !== name) throw new Error(`the runner sent '${command.type}' for ${command.id} while ${name} was waiting`);
      if (command.type === 'measured') break;
      if (command.type !== 'slice') throw new Error(`the runner sent '${command.type}' for ${command.id} while ${name} waited for slices`);
      // the first slice warms the case up to its steady state, as an unsliced case is
      if (command.warmup) warm = await warmUp(sample, budget);
      const slice = await sampleSteady(
        name,
        sample,
        {
          ...budget,
          timeBudgetMs: command.timeBudgetMs,
          // a slice of an alternation may hold a single sample of a slow case (the case has one per slice at least);
          // a case sampled alone asks for the profile's minimum
          minSamples: command.minSamples,
        },
        warm,
        command.maxSamples,
      );
      parts.push(slice);
      await send({ type: 'slice-done', id: name, count: slice.sampleCount });
    }
    if (parts.length === 0) throw new Error(`the runner ended ${name} before any slice was taken`);
    return measurementOfSlices(parts, warm);
  };
}
