/**
 * The gpu.js collective executor on the backends that can run in the test
 * process (cpu, webasm: no native addon). headlessgl and webgpu run the same
 * executor; they need their own processes and are covered through workers.
 */
import { describe, expect, it } from 'vitest';
import { GpujsSession } from '../../src/backends/gpujs-session.js';
import { REDUCE_SPEC, scheduleBuffers, scheduleWrong } from '../helpers/builtin-suites.js';
import { ALLREDUCE_ALGORITHMS, allGatherSchedule, allreduceSchedule, reduceScatterSchedule } from '../../src/workloads/allreduce/schedule.js';

describe.each(['cpu', 'webasm'])('collectives on gpu.js %s', { timeout: 120_000 }, (backend) => {
  it('every collective and algorithm is exact for R in {2, 3, 5, 8}, sizes that do and do not divide, twice in a row', async () => {
    const session = await GpujsSession.create(backend);
    try {
      for (const ranks of [2, 3, 5, 8]) {
        for (const elements of [ranks * 4, ranks * 4 + 3]) {
          const schedules = [
            ...ALLREDUCE_ALGORITHMS.map((a) => allreduceSchedule(a, ranks, elements)),
            reduceScatterSchedule(ranks, elements),
            allGatherSchedule(ranks, elements),
          ];
          for (const schedule of schedules) {
            const prepared = await session.prepareCollective(schedule, scheduleBuffers(schedule), REDUCE_SPEC);
            const label = `${schedule.collective}/${schedule.algorithm} R=${ranks} N=${elements}`;
            await prepared.run();
            expect({ label, wrong: scheduleWrong(schedule, await prepared.readBack()) }).toEqual({ label, wrong: 0 });
            // A second run starts from the same inputs, as every timed sample must.
            await prepared.run();
            expect({ label, wrong: scheduleWrong(schedule, await prepared.readBack()) }).toEqual({ label, wrong: 0 });
            expect(prepared.executed().backend).toBe(backend);
            prepared.dispose();
          }
        }
      }
    } finally {
      await session.dispose();
    }
  });
});
