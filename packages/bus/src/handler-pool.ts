export interface TaskLease {
  /** True once the task ran past its budget; it must then leave the message alone. */
  readonly expired: boolean;
}

/**
 * Bounded concurrency for handlers: at most `limit` tasks hold a slot, and tasks with the same key (the subject)
 * run one after another in the order they were given, so one subject's messages are handled in order while
 * different subjects proceed in parallel.
 */
export class HandlerPool {
  private taken = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('concurrency must be a positive integer');
  }

  /** Resolves once a slot is free; the caller then passes exactly one task to {@link run}. */
  acquire(): Promise<void> {
    if (this.taken < this.limit) {
      this.taken++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.slotWaiters.push(() => {
        this.taken++;
        resolve();
      });
    });
  }

  /**
   * Runs `task` (which must not reject) after the earlier tasks of `key`, then frees its slot. A task still running
   * after `budgetMs` is given up on, as JetStream gives up on it once its ack wait runs out: its slot and its key are
   * freed so the redelivered copy can run, and `lease.expired` tells the task to drop its outcome.
   */
  run(key: string, budgetMs: number, task: (lease: TaskLease) => Promise<void>): void {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(
      () =>
        new Promise<void>((resolve) => {
          const lease = { expired: false };
          let done = false;
          const finish = (): void => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            this.release();
            resolve();
          };
          const timer = setTimeout(() => {
            lease.expired = true;
            finish();
          }, budgetMs);
          task(lease).then(finish, finish);
        }),
    );
    this.tails.set(key, tail);
    void tail.finally(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /** Resolves when no task holds a slot. */
  idle(): Promise<void> {
    if (this.taken === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private release(): void {
    this.taken--;
    const next = this.slotWaiters.shift();
    if (next) next();
    else if (this.taken === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
