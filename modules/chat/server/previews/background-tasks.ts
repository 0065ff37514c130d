/**
 * Work an event handler starts but does not wait for (link previews): the
 * dispatcher delivers events one after another, so a slow third-party site
 * must not hold back realtime delivery. Bounded, and drained at shutdown.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private readonly queue: (() => Promise<void>)[] = [];
  private readonly limit: number;
  private readonly maxQueued: number;
  private readonly onError: (e: unknown) => void;

  constructor(opts: { concurrency: number; maxQueued: number; onError: (e: unknown) => void }) {
    this.limit = opts.concurrency;
    this.maxQueued = opts.maxQueued;
    this.onError = opts.onError;
  }

  /** False when the queue is full (the work is dropped: previews are best effort). */
  run(task: () => Promise<void>): boolean {
    if (this.queue.length >= this.maxQueued) return false;
    this.queue.push(task);
    this.pump();
    return true;
  }

  private pump(): void {
    while (this.running.size < this.limit && this.queue.length) {
      const task = this.queue.shift()!;
      const p: Promise<void> = task()
        .catch((e: unknown) => this.onError(e))
        .finally(() => {
          this.running.delete(p);
          this.pump();
        });
      this.running.add(p);
    }
  }

  async drain(): Promise<void> {
    this.queue.length = 0;
    await Promise.allSettled([...this.running]);
  }
}
