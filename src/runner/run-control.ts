/**
 * Stopping a run from outside (SIGINT, SIGTERM): the CLI calls stop(), which
 * kills the worker that is running (a probe or a backend's cases); the
 * runner checks `stopped` between steps.
 */
export class RunControl {
  stopped = false;
  private killWorker: (() => void) | undefined;

  /** Registers the kill function of the worker that runs now. */
  attach(kill: () => void): void {
    this.killWorker = kill;
  }

  stop(): void {
    this.stopped = true;
    this.killWorker?.();
  }
}

/** Thrown when a run is stopped before its result file was created: there is nothing to keep. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}
