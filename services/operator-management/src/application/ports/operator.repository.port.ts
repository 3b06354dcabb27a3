import type { Operator, OperatorStatus } from '../../domain/operator.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type { DuplicateField } from '../../domain/operator-management-errors.js';

/** Which live operator a new or changed operator would clash with. */
export interface OperatorClash {
  readonly field: DuplicateField;
  readonly existingOperatorId: string;
}

export type OperatorInsertOutcome = { readonly kind: 'inserted' } | ({ readonly kind: 'duplicate' } & OperatorClash);

export type OperatorUpdateOutcome =
  | { readonly kind: 'updated' }
  | ({ readonly kind: 'duplicate' } & OperatorClash)
  | { readonly kind: 'version_conflict'; readonly actualVersion: number };

export interface OperatorListQuery {
  /** Only operators in these states; the API default is active and suspended. */
  readonly statuses: readonly OperatorStatus[];
  /** At most this many, ordered by id (uuidv7: creation order). */
  readonly limit: number;
  /** Keyset cursor: only ids greater than this one. */
  readonly afterId: string | null;
}

/**
 * Operators and their connections (table `ops.operators` and `ops.operator_connections`; no
 * password column anywhere). Soft-deleted operators stay readable by id.
 *
 * Uniqueness among operators that are not deleted: the operator code, and the MCC/MNC pair when
 * both are set. The Postgres adapter enforces both with unique partial indexes
 * (`... (code) WHERE status <> 'deleted'`, `... (mcc, mnc) WHERE status <> 'deleted' AND mcc IS NOT NULL`)
 * and maps a unique violation to `duplicate` by constraint name, so two concurrent creates of
 * the same code cannot both succeed: one gets `duplicate`.
 *
 * Writes take the events of the change and store them in the outbox (`ops.outbox`) in the same
 * transaction as the row. Infrastructure faults throw.
 */
export interface OperatorRepository {
  /** The operator with this id, deleted or not; null when there is none. */
  findById(id: string): Promise<Operator | null>;

  /**
   * A live operator (not deleted, other than `exceptOperatorId`) that already has `code`, or the
   * same MCC/MNC; null when none. A pre-check for a clear answer; insert and update still enforce.
   */
  findClash(
    candidate: Pick<Operator, 'code' | 'mcc' | 'mnc'>,
    exceptOperatorId: string | null,
  ): Promise<OperatorClash | null>;

  list(query: OperatorListQuery): Promise<readonly Operator[]>;

  /** Inserts a new operator (version 1) and its events; `duplicate` when a uniqueness rule refuses it. */
  insert(operator: Operator, events: readonly OpsEvent[]): Promise<OperatorInsertOutcome>;

  /**
   * Replaces the stored operator if its version is still `expectedVersion` (compare-and-swap),
   * with its events. Throws when no operator has this id (a programmer error: callers read first).
   */
  update(operator: Operator, expectedVersion: number, events: readonly OpsEvent[]): Promise<OperatorUpdateOutcome>;
}
