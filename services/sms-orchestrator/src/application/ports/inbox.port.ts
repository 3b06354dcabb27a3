/**
 * The consumer inbox: ids of events already handled, written in the same transaction as their
 * effect, so a redelivered event is recognised and skipped.
 *
 * @throws only for infrastructure faults.
 */
export interface Inbox {
  /** Records that `consumer` handled `eventId`; false when it was already recorded (a redelivery). */
  markHandled(consumer: string, eventId: string): Promise<boolean>;
}
