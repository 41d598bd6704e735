/**
 * Whether this process runs in CI: CI set to anything but '', 'false' or '0'.
 * GitHub Actions, GitLab, Buildkite and CircleCI all set CI=true; `.ci/run`
 * is run with CI=true. Progress then prints plain lines, and the tests demand
 * every backend and Chromium instead of skipping what is missing.
 */
export function runningOnCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
