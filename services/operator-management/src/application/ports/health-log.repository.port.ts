import type { ConnectionHealthReport } from '../../domain/operator-health.js';

export interface HealthLogEntry extends ConnectionHealthReport {
  /** When operator-management received the report (its own clock). */
  readonly receivedAt: Date;
}

/**
 * The append-only history of health reports: `ops.operator_health_log`, partitioned by `at`
 * (pg_partman where configured, otherwise this service's partition maintenance job), old partitions
 * dropped by retention. Appending the same report twice (same operator, connection and `at`)
 * stores it once. Throws on infrastructure faults.
 */
export interface HealthLogRepository {
  append(entry: HealthLogEntry): Promise<void>;
}
