/**
 * Turns: a first-come, first-served lock for the cases of one worker that are
 * sampled in turn (turn-slices.ts). Exactly one case holds the turn at any
 * moment and does everything it does (compile, verify, warm up, sample,
 * re-check) while holding it, so no two cases' work ever overlaps, not even
 * across an await; it hands the turn on only between two slices of its
 * samples, and then waits at the back of the queue.
 */
export class Turns {
  private held = false;
  private readonly queue: Array<() => void> = [];

  /** Waits until the turn is free and takes it. */
  take(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** Hands the turn to the longest waiter (the turn stays held), or frees it. */
  pass(): void {
    if (!this.held) throw new Error('Turns.pass: the turn is not held');
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }

  /** Hands the turn on and waits for it again; returns at once when nobody else waits. */
  async yieldTurn(): Promise<void> {
    if (this.queue.length === 0) return;
    const back = this.take();
    this.pass();
    await back;
  }

  /** Runs `task` holding the turn from start to end (it may yield it in between). */
  async hold<T>(task: () => Promise<T>): Promise<T> {
    await this.take();
    try {
      return await task();
    } finally {
      this.pass();
    }
  }
}
