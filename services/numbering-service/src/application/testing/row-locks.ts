/**
 * Exclusive locks held until the owning transaction ends, with waiting, as Postgres row locks behave:
 * a second writer waits for the first to commit or roll back instead of failing at once.
 */
export class RowLocks {
  private readonly held = new Map<string, { owner: number; waiters: (() => void)[] }>();
  private readonly byOwner = new Map<number, Set<string>>();

  async acquire(key: string, owner: number): Promise<void> {
    for (;;) {
      const lock = this.held.get(key);
      if (lock === undefined) {
        this.held.set(key, { owner, waiters: [] });
        const keys = this.byOwner.get(owner) ?? new Set<string>();
        keys.add(key);
        this.byOwner.set(owner, keys);
        return;
      }
      if (lock.owner === owner) return;
      await new Promise<void>((resolve) => lock.waiters.push(resolve));
    }
  }

  releaseAll(owner: number): void {
    for (const key of this.byOwner.get(owner) ?? []) {
      const lock = this.held.get(key);
      this.held.delete(key);
      for (const wake of lock?.waiters ?? []) wake();
    }
    this.byOwner.delete(owner);
  }
}
