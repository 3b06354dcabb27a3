/**
 * The inbox: ids of consumed events already handled, per consumer, stored in the same transaction
 * as the handling's effects, so a redelivered event changes nothing. Throws only on infrastructure faults.
 */
export interface Inbox {
  /** Records the event as handled; false when this consumer has handled it before. */
  markHandled(consumer: string, eventId: string): Promise<boolean>;
}
