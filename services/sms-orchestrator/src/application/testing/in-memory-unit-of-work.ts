import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import type { InMemoryIdempotencyStore } from './in-memory-idempotency.store.js';
import type { InMemoryInbox } from './in-memory-inbox.js';
import type { InMemoryMessageStore } from './in-memory-message.store.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';
import { UndoLog } from './undo-log.js';

/**
 * A unit of work over the in-memory stores: the scope is bound to the tenant, writes are undone
 * when the work throws (and the error rethrown), and a scope used after its unit of work settled
 * throws, as a finished transaction would. `failNextCommit` makes the next unit of work fail
 * after its work ran, to test what happens when the database refuses the commit.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  runs = 0;
  private pendingFailure: Error | null = null;

  constructor(
    private readonly stores: {
      readonly messages: InMemoryMessageStore;
      readonly outbox: InMemoryOutbox;
      readonly inbox: InMemoryInbox;
      readonly idempotency: InMemoryIdempotencyStore;
    },
  ) {}

  failNextCommit(error: Error): void {
    this.pendingFailure = error;
  }

  async run<T>(tenantId: string, work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    this.runs += 1;
    const undo = new UndoLog();
    let open = true;
    const guarded = <R>(call: () => Promise<R>): Promise<R> => {
      if (!open) throw new Error('transaction scope used after its unit of work ended');
      return call();
    };
    const messages = this.stores.messages.scoped(tenantId, undo);
    const outbox = this.stores.outbox.scoped(undo);
    const inbox = this.stores.inbox.scoped(tenantId, undo);
    const idempotency = this.stores.idempotency.scoped(undo);
    const scope: TransactionScope = {
      messages: {
        insert: (list) => guarded(() => messages.insert(list)),
        findById: (id) => guarded(() => messages.findById(id)),
        update: (message) => guarded(() => messages.update(message)),
      },
      outbox: { append: (events) => guarded(() => outbox.append(events)) },
      inbox: { markHandled: (consumer, eventId) => guarded(() => inbox.markHandled(consumer, eventId)) },
      idempotency: { record: (input) => guarded(() => idempotency.record(input)) },
    };
    try {
      const result = await work(scope);
      const failure = this.pendingFailure;
      if (failure !== null) {
        this.pendingFailure = null;
        throw failure;
      }
      return result;
    } catch (error) {
      undo.rollback();
      throw error;
    } finally {
      open = false;
    }
  }
}
