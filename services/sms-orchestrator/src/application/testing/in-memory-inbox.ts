import type { Inbox } from '../ports/inbox.port.js';
import type { UndoLog } from './undo-log.js';

/** Handled event ids in memory, per tenant and consumer. */
export class InMemoryInbox {
  private readonly handled = new Set<string>();

  scoped(tenantId: string, undo: UndoLog): Inbox {
    const handled = this.handled;
    return {
      markHandled(consumer, eventId) {
        const id = JSON.stringify([tenantId, consumer, eventId]);
        if (handled.has(id)) return Promise.resolve(false);
        handled.add(id);
        undo.add(() => handled.delete(id));
        return Promise.resolve(true);
      },
    };
  }

  get size(): number {
    return this.handled.size;
  }
}
