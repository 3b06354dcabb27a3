import type { EventEnvelope } from '@sms/kernel';
import type { EventOutbox } from '../ports/event-outbox.port.js';
import type { UndoLog } from './undo-log.js';

/** The outbox in memory: committed events in append order, for assertions. */
export class InMemoryOutbox {
  readonly events: EventEnvelope[] = [];

  scoped(undo: UndoLog): EventOutbox {
    const events = this.events;
    return {
      append(appended) {
        const before = events.length;
        events.push(...appended);
        undo.add(() => events.splice(before, appended.length));
        return Promise.resolve();
      },
    };
  }

  ofType(type: string): EventEnvelope[] {
    return this.events.filter((event) => event.type === type);
  }
}
