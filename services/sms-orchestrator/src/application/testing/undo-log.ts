/** Compensating actions of one in-memory transaction, run in reverse on rollback. */
export class UndoLog {
  private readonly actions: (() => void)[] = [];

  add(action: () => void): void {
    this.actions.push(action);
  }

  rollback(): void {
    for (const action of this.actions.reverse()) action();
    this.actions.length = 0;
  }
}
