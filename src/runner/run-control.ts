/**
 * Stopping a run from outside (SIGINT, SIGTERM): the CLI calls stop(), which
 * kills every worker the run started (a probe, a backend's cases, and in an
 * interleaved run both builds' workers at once); the runner checks
 * `stopped` between steps.
 */
export class RunControl {
  stopped = false;
  private readonly kills = new Set<() => void>();

  /** Registers the kill function of a worker as it starts (killing one that has already ended does nothing). */
  attach(kill: () => void): void {
    this.kills.add(kill);
  }

  stop(): void {
    this.stopped = true;
    for (const kill of this.kills) kill();
  }
}

/** Thrown when a run is stopped before its result file was created: there is nothing to keep. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}
