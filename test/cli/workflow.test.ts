/**
 * The GitHub Actions workflow calls only chipbench commands and options that
 * exist, on the runner labels docs/ci-gating.md documents.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const workflow = readFileSync(resolve(import.meta.dirname, '../../.github/workflows/bench.yml'), 'utf8');

describe('.github/workflows/bench.yml', { timeout: 60_000 }, () => {
  it('is scheduled and manual, on self-hosted GPU runners', () => {
    expect(workflow).toMatch(/^on:\n {2}schedule:\n {4}- cron: /m);
    expect(workflow).toContain('  workflow_dispatch:');
    expect(workflow).toContain('runs-on: [self-hosted, gpu]');
  });
  it("measures a pull request against its own base, interleaved, and never a fork's code", () => {
    expect(workflow).toMatch(/^ {2}pull_request:$/m);
    expect(workflow).toContain("if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(workflow).toContain('git fetch --depth 1 origin "${{ github.event.pull_request.base.sha }}"');
    expect(workflow).toMatch(/npx chipbench run .*--against "\$BASE_DIR"/);
  });
  it('fails on a high or critical advisory in the locked dependencies, after installing them from the lock file', () => {
    const install = workflow.indexOf('run: npm ci');
    const audit = workflow.indexOf('run: npm audit --audit-level=high');
    expect(install).toBeGreaterThan(0);
    expect(audit).toBeGreaterThan(install);
  });

  it('calls chipbench commands whose options exist', async () => {
    // every --option on the line of a call, past quoted values such as --profile "$PROFILE"
    const calls = [...workflow.matchAll(/npx chipbench (\w[\w-]*)([^\n]*)/g)];
    expect([...new Set(calls.map((c) => c[1]))].sort()).toEqual(['backends', 'calibrate', 'compare', 'history', 'report', 'run']);
    for (const [, command, rest] of calls) {
      const help = await runCli([command!, '--help']);
      expect(help.code, command).toBe(0);
      for (const [option] of (rest ?? '').matchAll(/(?<=\s)--[a-z][\w-]*/g)) expect(help.stdout, `${command} ${option}`).toContain(option);
    }
  });
});

describe('.github/workflows/test.yml', () => {
  const tests = readFileSync(resolve(import.meta.dirname, '../../.github/workflows/test.yml'), 'utf8');
  it('runs what CI runs, on Debian 12, and keeps the report screenshots whatever the outcome', () => {
    expect(tests).toContain('container: debian:12');
    expect(tests).toContain('run: bash .ci/run');
    const upload = tests.indexOf('uses: actions/upload-artifact@v4');
    expect(upload).toBeGreaterThan(tests.indexOf('run: bash .ci/run'));
    expect(tests.slice(tests.lastIndexOf('- name:', upload))).toMatch(/if: always\(\)[\s\S]*test-artifacts\//);
  });
});
