import type { OpsEvent } from '../../domain/operator-events.js';

/** The outbox the in-memory repositories write events into, in commit order. */
export class InMemoryOutbox {
  private readonly stored: OpsEvent[] = [];

  append(events: readonly OpsEvent[]): void {
    this.stored.push(...structuredClone(events));
  }

  get events(): readonly OpsEvent[] {
    return this.stored;
  }

  ofType<T extends OpsEvent['type']>(type: T): Extract<OpsEvent, { type: T }>[] {
    return this.stored.filter((e): e is Extract<OpsEvent, { type: T }> => e.type === type);
  }
}
