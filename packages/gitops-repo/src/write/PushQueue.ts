/**
 * Serializes the pushes to one remote inside this process. Tasks of one backend then never race
 * each other for the branch head; only another process can move it between fetch and push, and
 * the git server's atomic ref update turns that into a rejected push that is rebased and retried.
 *
 * @public
 */
export class PushQueue {
  /** The queue every GitRepository of this process uses unless given its own. */
  static readonly shared = new PushQueue();

  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier `fn` queued under `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many keys have work queued or running (for tests and diagnostics). */
  get busyKeys(): number {
    return this.tails.size;
  }
}

/**
 * Exponential backoff with jitter: around `baseMs · 2^attempt`, capped at `capMs`, drawn from
 * [d/2, 3d/2) so that writers rejected together do not come back together.
 *
 * @public
 */
export function jitteredBackoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const d = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(d / 2 + random() * d);
}
