/**
 * Kills chipbench with SIGKILL at random moments, again and again, and counts what each kill left: processes of
 * its own still running (its workers, its private Xvfb) 5 s after, and whether its result file reads. SIGKILL is
 * what a CI job's timeout and the OOM killer send; no handler of chipbench runs. Each run has a tag in its
 * environment that its children inherit (tagged-processes.ts), and no DISPLAY, so headlessgl gets chipbench's own
 * Xvfb. The moment is uniform between 0.5 s and the last second of a run (measured first).
 *
 * Usage: npm run kill-at-random -- [runs, default 20] [chipbench run options, default --profile quick]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRunResult } from '../src/results/read-result.js';
import { leftAfter, newTag, TAG_ENV } from './tagged-processes.js';

const CLI = resolve(import.meta.dirname, '../src/cli/main.js');

interface Outcome {
  atSeconds: number;
  /** the run ended by itself before the kill came */
  finished: boolean;
  left: string[];
  /** 'absent' (killed before its first write), 'readable N cases', or the reason it does not read */
  file: string;
}

/** One run of chipbench, killed with SIGKILL after `killAfterMs` unless it ends first; resolves with its wall time. */
function runOnce(args: string[], out: string, tag: string, killAfterMs: number): Promise<{ seconds: number; finished: boolean }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'run', ...args, '--quiet', '-o', out], {
    env: { ...process.env, DISPLAY: '', [TAG_ENV]: tag },
    stdio: 'ignore',
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolvePromise) =>
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolvePromise({ seconds: (Date.now() - started) / 1000, finished: signal !== 'SIGKILL' });
    }),
  );
}

function fileState(out: string): string {
  if (!existsSync(out)) return 'absent';
  try {
    return `readable, ${readRunResult(out).cases.length} cases`;
  } catch (error) {
    return `UNREADABLE: ${(error as Error).message.slice(0, 200)}`;
  }
}

async function main(): Promise<void> {
  const [countArg, ...rest] = process.argv.slice(2);
  const runs = Number(countArg ?? 20);
  const args = rest.length > 0 ? rest : ['--profile', 'quick'];
  const dir = mkdtempSync(join(tmpdir(), 'chipbench-kill-'));
  const whole = await runOnce(args, join(dir, 'whole.json'), newTag(), 3_600_000);
  console.log(`chipbench run ${args.join(' ')}: ${whole.seconds.toFixed(1)} s uninterrupted; killing ${runs} runs at random moments in [0.5, ${(whole.seconds - 1).toFixed(1)}] s`);
  const outcomes: Outcome[] = [];
  for (let i = 1; i <= runs; i++) {
    const at = 0.5 + Math.random() * Math.max(0, whole.seconds - 1.5);
    const tag = newTag();
    const out = join(dir, `run-${i}.json`);
    const { finished } = await runOnce(args, out, tag, at * 1000);
    const outcome = { atSeconds: at, finished, left: await leftAfter(tag), file: fileState(out) };
    outcomes.push(outcome);
    console.log(`${String(i).padStart(2)}: killed at ${at.toFixed(1)} s${finished ? ' (had finished)' : ''}: ${outcome.left.length} process(es) left; file ${outcome.file}`);
    for (const p of outcome.left) console.log(`    left: ${p}`);
  }
  const left = outcomes.reduce((n, o) => n + o.left.length, 0);
  const unreadable = outcomes.filter((o) => o.file.startsWith('UNREADABLE')).length;
  const absent = outcomes.filter((o) => o.file === 'absent').length;
  console.log(`${runs} runs killed: ${left} process(es) left, ${runs - unreadable - absent} readable result files, ${absent} killed before the first write, ${unreadable} unreadable (files in ${dir})`);
  process.exitCode = left > 0 || unreadable > 0 ? 1 : 0;
}

await main();
