import type { NumberRecord } from '../../domain/number.js';

/**
 * What a conditional write did: written; refused because the stored version moved on; or refused because
 * this deployment's region does not own the number's range (multi-region fence, docs/adr/0004).
 */
export type SaveOutcome = 'saved' | 'conflict' | 'not_owner';

export type InsertOutcome = { readonly outcome: 'inserted' } | { readonly outcome: 'duplicate'; readonly values: readonly string[] };

/** Which deadline a scheduled job looks for (issue 7's jobs page through these). */
export type NumberDeadline = 'reservation_expiry' | 'lease_end' | 'quarantine_end';

/**
 * The inventory of numbers. Inside a unit of work it reads that transaction's own writes; outside,
 * each call stands alone. Every method throws on an infrastructure fault (connection lost, timeout).
 */
export interface NumberRepository {
  findById(id: string): Promise<NumberRecord | null>;
  /** By canonical value (`+93701234567`, `4040`). */
  findByValue(value: string): Promise<NumberRecord | null>;
  /**
   * Compare-and-swap: writes `number` only if the stored version still equals `expectedVersion`, and
   * answers `conflict` otherwise (in Postgres: `UPDATE … WHERE id = $1 AND version = $2`, zero rows →
   * conflict; a concurrent writer's row lock makes this wait for its commit, then compare). `number.version`
   * must be `expectedVersion + 1`; anything else is a programmer error and throws.
   */
  saveIfVersion(number: NumberRecord, expectedVersion: number): Promise<SaveOutcome>;
  // With a region fence (Postgres adapter given a region), the same transaction first checks that the region
  // owns the number's block, under a lock an ownership transfer must wait for; `not_owner` otherwise.
  /** Adds new numbers (version 1), all or none; `duplicate` names values that already exist (nothing inserted). */
  insertNew(numbers: readonly NumberRecord[]): Promise<InsertOutcome>;
  /** Which of these values already exist in the inventory. */
  findExistingValues(values: readonly string[]): Promise<ReadonlySet<string>>;
  /** A tenant's reservations and leases, ordered by value, after `afterValue` (keyset paging). */
  listHeldByTenant(query: {
    readonly tenantId: string;
    readonly state: 'reserved' | 'assigned' | null;
    readonly afterValue: string | null;
    readonly limit: number;
  }): Promise<readonly NumberRecord[]>;
  /** Numbers whose `deadline` is at or before `at`, oldest deadline first. */
  findDue(query: { readonly deadline: NumberDeadline; readonly at: Date; readonly limit: number }): Promise<readonly NumberRecord[]>;
}
