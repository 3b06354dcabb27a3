import type { HealthLogEntry, HealthLogRepository } from '../../application/ports/health-log.repository.port.js';
import { isMissingPartition, type HealthLogPartitions } from './health-log-partitions.js';
import { OPS_SCHEMA, inTransaction, isUuidText, type OpsDatabase } from './ops-tables.js';

/** What happened to one appended report. */
export type HealthLogAppendOutcome = 'stored' | 'duplicate' | 'past_retention';

/**
 * The health log in `ops.operator_health_log` (partitioned by `at`). A report already stored
 * (same operator, connection and `at`) is not stored again. A report whose day has no partition
 * yet gets one on the spot (the maintenance job creates them ahead, so this is for reports from
 * before the service first ran); one older than the retention is not kept at all, since the
 * maintenance would drop it anyway.
 */
export class PostgresHealthLogRepository implements HealthLogRepository {
  constructor(
    private readonly database: OpsDatabase,
    private readonly partitions: HealthLogPartitions,
  ) {}

  async append(entry: HealthLogEntry): Promise<void> {
    await this.appendReport(entry);
  }

  /** {@link append}, saying what happened (for metrics and tests). */
  async appendReport(entry: HealthLogEntry): Promise<HealthLogAppendOutcome> {
    if (!isUuidText(entry.operatorId) || !isUuidText(entry.connectionId)) {
      throw new Error('health log entries name operators and connections by their UUID');
    }
    if (entry.at.getTime() < this.partitions.retentionCutoff(entry.receivedAt).getTime()) return 'past_retention';
    try {
      return await this.insert(entry);
    } catch (error) {
      if (!isMissingPartition(error)) throw error;
    }
    await this.partitions.ensureDays([entry.at]);
    return this.insert(entry);
  }

  private async insert(entry: HealthLogEntry): Promise<HealthLogAppendOutcome> {
    return inTransaction(this.database, async (trx) => {
      const inserted = await trx
        .withSchema(OPS_SCHEMA)
        .insertInto('operator_health_log')
        .values({
          operator_id: entry.operatorId,
          connection_id: entry.connectionId,
          at: entry.at,
          bind_state: entry.bindState,
          latency_ms: entry.latencyMs,
          error_rate: entry.errorRate,
          throughput_per_second: entry.throughputPerSecond,
          received_at: entry.receivedAt,
        })
        .onConflict((oc) => oc.columns(['operator_id', 'connection_id', 'at']).doNothing())
        .returning('operator_id')
        .executeTakeFirst();
      return inserted ? 'stored' : 'duplicate';
    });
  }
}
