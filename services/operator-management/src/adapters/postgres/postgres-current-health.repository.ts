import type { Selectable } from 'kysely';
import type { BindState, ConnectionHealth, HealthState, OperatorHealth } from '../../domain/operator-health.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type { CurrentHealthRepository } from '../../application/ports/current-health.repository.port.js';
import { OPS_SCHEMA, appendEvents, inTransaction, isUuidText, type OpsDatabase, type OpsTables } from './ops-tables.js';

/** One connection's latest report as stored in `ops.operator_health.connections`. */
interface StoredConnectionHealth {
  readonly connectionId: string;
  readonly bindState: BindState;
  readonly latencyMs: number;
  readonly errorRate: number;
  readonly throughputPerSecond: number;
  readonly at: string;
}

type HealthRow = Selectable<OpsTables['operator_health']>;

/**
 * The current health of each operator in `ops.operator_health` (one row per operator; the latest
 * report of each connection as a JSON array, so their order survives). Saves are compare-and-swap
 * on `version`: the first save inserts (a concurrent first save loses on the primary key), later
 * ones update where the version is still the expected one. Events go to the outbox in the same
 * transaction.
 */
export class PostgresCurrentHealthRepository implements CurrentHealthRepository {
  constructor(private readonly database: OpsDatabase) {}

  async get(operatorId: string): Promise<OperatorHealth | null> {
    if (!isUuidText(operatorId)) return null;
    return inTransaction(this.database, async (trx) => {
      const row = await trx.withSchema(OPS_SCHEMA).selectFrom('operator_health').selectAll().where('operator_id', '=', operatorId).executeTakeFirst();
      return row ? toHealth(row) : null;
    });
  }

  async list(): Promise<readonly OperatorHealth[]> {
    return inTransaction(this.database, async (trx) => {
      const rows = await trx.withSchema(OPS_SCHEMA).selectFrom('operator_health').selectAll().orderBy('operator_id').execute();
      return rows.map(toHealth);
    });
  }

  async save(health: OperatorHealth, expectedVersion: number | null, events: readonly OpsEvent[]): Promise<'saved' | 'version_conflict'> {
    const values = {
      state: health.state,
      reason: health.reason,
      connections: JSON.stringify([...health.connections.values()].map(storedConnection)),
      state_changed_at: health.stateChangedAt,
      last_report_at: health.lastReportAt,
      version: health.version,
    };
    return inTransaction(this.database, async (trx) => {
      const db = trx.withSchema(OPS_SCHEMA);
      const written =
        expectedVersion === null
          ? await db
              .insertInto('operator_health')
              .values({ operator_id: health.operatorId, ...values })
              .onConflict((oc) => oc.column('operator_id').doNothing())
              .returning('operator_id')
              .executeTakeFirst()
          : await db
              .updateTable('operator_health')
              .set(values)
              .where('operator_id', '=', health.operatorId)
              .where('version', '=', expectedVersion)
              .returning('operator_id')
              .executeTakeFirst();
      if (!written) return 'version_conflict';
      await appendEvents(trx, events);
      return 'saved';
    });
  }
}

const storedConnection = (h: ConnectionHealth): StoredConnectionHealth => ({
  connectionId: h.connectionId,
  bindState: h.bindState,
  latencyMs: h.latencyMs,
  errorRate: h.errorRate,
  throughputPerSecond: h.throughputPerSecond,
  at: h.at.toISOString(),
});

function toHealth(row: HealthRow): OperatorHealth {
  const stored = row.connections as StoredConnectionHealth[];
  return {
    operatorId: row.operator_id,
    state: row.state as HealthState,
    reason: row.reason,
    connections: new Map(stored.map((c) => [c.connectionId, { ...c, at: new Date(c.at) }])),
    stateChangedAt: row.state_changed_at,
    lastReportAt: row.last_report_at,
    version: row.version,
  };
}
