import type { OperatorHealth } from '../../domain/operator-health.js';
import type { OpsEvent } from '../../domain/operator-events.js';

/**
 * The current health of each operator (`ops.operator_health`, one row per operator with the
 * latest report of each connection). Saves are compare-and-swap on `version` and write the
 * events (a health-changed event when the state changed) to the outbox in the same transaction.
 * Throws on infrastructure faults.
 */
export interface CurrentHealthRepository {
  get(operatorId: string): Promise<OperatorHealth | null>;

  /** Every operator that has a current health, in operator id order. */
  list(): Promise<readonly OperatorHealth[]>;

  /**
   * Stores `health` when the stored version is `expectedVersion` (`null`: when there is no row
   * yet); `version_conflict` otherwise. `health.version` is the new version.
   */
  save(health: OperatorHealth, expectedVersion: number | null, events: readonly OpsEvent[]): Promise<'saved' | 'version_conflict'>;
}
