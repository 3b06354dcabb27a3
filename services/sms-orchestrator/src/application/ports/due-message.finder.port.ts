/** A message, named across tenants. */
export interface MessageRef {
  readonly tenantId: string;
  readonly messageId: string;
}

/**
 * Finds messages whose scheduled pipeline retry is due, across tenants (runs as the
 * orchestrator's system role, which its own row-level security policy lets read these columns).
 *
 * @throws only for infrastructure faults.
 */
export interface DueMessageFinder {
  /** Up to `limit` messages in status `accepted` with a retry due at or before `now`, oldest due first. */
  findDue(now: Date, limit: number): Promise<readonly MessageRef[]>;
}
