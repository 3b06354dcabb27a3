import type { Insertable, Selectable } from 'kysely';
import type { Operator, OperatorStatus } from '../../domain/operator.js';
import type { OperatorKind } from '../../domain/mcc-mnc.js';
import type { BindMode, SmppConnection } from '../../domain/smpp-connection.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type { DuplicateField } from '../../domain/operator-management-errors.js';
import type {
  OperatorClash,
  OperatorInsertOutcome,
  OperatorListQuery,
  OperatorRepository,
  OperatorUpdateOutcome,
} from '../../application/ports/operator.repository.port.js';
import { OPS_SCHEMA, appendEvents, inTransaction, isUuidText, uniqueViolation, type OpsDatabase, type OpsTables, type OpsTransaction } from './ops-tables.js';

/** The unique partial indexes of migration 0002 and the duplicate they mean. */
const DUPLICATE_INDEXES: Readonly<Record<string, DuplicateField>> = {
  operators_live_code_key: 'code',
  operators_live_mcc_mnc_key: 'mccMnc',
};

/** Attempts when a unique index refuses a write but the clashing operator is gone by the time we look. */
const DUPLICATE_LOOKUP_ATTEMPTS = 3;

type OperatorRow = Selectable<OpsTables['operators']>;
type ConnectionRow = Selectable<OpsTables['operator_connections']>;

/**
 * Operators in `ops.operators`, `ops.operator_prefixes` and `ops.operator_connections`. Uniqueness
 * of code and MCC/MNC among live operators is the unique partial indexes' job: a violation is
 * mapped by index name to `duplicate`, so of two concurrent creates exactly one wins. Writes lock
 * the operator row first and append the events after it, in the same transaction (per-aggregate
 * order in the outbox). A removed connection keeps its row with `removed_at` set.
 */
export class PostgresOperatorRepository implements OperatorRepository {
  constructor(private readonly database: OpsDatabase) {}

  async findById(id: string): Promise<Operator | null> {
    if (!isUuidText(id)) return null;
    return inTransaction(this.database, async (trx) => {
      const [operator] = await loadOperators(trx, [id]);
      return operator ?? null;
    });
  }

  async findClash(candidate: Pick<Operator, 'code' | 'mcc' | 'mnc'>, exceptOperatorId: string | null): Promise<OperatorClash | null> {
    return inTransaction(this.database, (trx) => findClash(trx, candidate, exceptOperatorId));
  }

  async list(query: OperatorListQuery): Promise<readonly Operator[]> {
    if (query.statuses.length === 0 || query.limit < 1) return [];
    if (query.afterId !== null && !isUuidText(query.afterId)) return [];
    return inTransaction(this.database, async (trx) => {
      let select = trx
        .withSchema(OPS_SCHEMA)
        .selectFrom('operators')
        .select('id')
        .where('status', 'in', [...query.statuses])
        .orderBy('id')
        .limit(query.limit);
      if (query.afterId !== null) select = select.where('id', '>', query.afterId);
      const ids = (await select.execute()).map((r) => r.id);
      return loadOperators(trx, ids);
    });
  }

  async insert(operator: Operator, events: readonly OpsEvent[]): Promise<OperatorInsertOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await inTransaction(this.database, async (trx) => {
          await trx.withSchema(OPS_SCHEMA).insertInto('operators').values(operatorRow(operator)).execute();
          await writePrefixes(trx, operator);
          await writeConnections(trx, operator, []);
          await appendEvents(trx, events);
        });
        return { kind: 'inserted' };
      } catch (error) {
        const clash = await this.clashOf(error, operator, null);
        if (clash) return { kind: 'duplicate', ...clash };
        if (!isDuplicate(error) || attempt >= DUPLICATE_LOOKUP_ATTEMPTS) throw error;
      }
    }
  }

  async update(operator: Operator, expectedVersion: number, events: readonly OpsEvent[]): Promise<OperatorUpdateOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await inTransaction(this.database, async (trx): Promise<OperatorUpdateOutcome> => {
          const { id: _id, created_at: _created, ...changes } = operatorRow(operator);
          const updated = await trx
            .withSchema(OPS_SCHEMA)
            .updateTable('operators')
            .set(changes)
            .where('id', '=', operator.id)
            .where('version', '=', expectedVersion)
            .returning('id')
            .executeTakeFirst();
          if (!updated) {
            const current = await trx.withSchema(OPS_SCHEMA).selectFrom('operators').select('version').where('id', '=', operator.id).executeTakeFirst();
            if (!current) throw new Error(`operator ${operator.id} does not exist`);
            return { kind: 'version_conflict', actualVersion: current.version };
          }
          const stored = await trx
            .withSchema(OPS_SCHEMA)
            .selectFrom('operator_connections')
            .select('id')
            .where('operator_id', '=', operator.id)
            .where('removed_at', 'is', null)
            .execute();
          await writePrefixes(trx, operator);
          await writeConnections(trx, operator, stored.map((r) => r.id));
          await appendEvents(trx, events);
          return { kind: 'updated' };
        });
      } catch (error) {
        const clash = await this.clashOf(error, operator, operator.id);
        if (clash) return { kind: 'duplicate', ...clash };
        if (!isDuplicate(error) || attempt >= DUPLICATE_LOOKUP_ATTEMPTS) throw error;
      }
    }
  }

  /** The live operator a unique-index violation was about; null when the error is another one or the clash is gone. */
  private async clashOf(error: unknown, operator: Operator, exceptOperatorId: string | null): Promise<OperatorClash | null> {
    const field = fieldOf(error);
    if (field === null) return null;
    const clash = await inTransaction(this.database, (trx) => findClash(trx, operator, exceptOperatorId));
    if (!clash) return null;
    // Report the rule the index named, even if the other operator also shares the other value.
    return { field, existingOperatorId: clash.existingOperatorId };
  }
}

const fieldOf = (error: unknown): DuplicateField | null => {
  const constraint = uniqueViolation(error);
  return constraint === null ? null : (DUPLICATE_INDEXES[constraint] ?? null);
};

const isDuplicate = (error: unknown): boolean => fieldOf(error) !== null;

async function findClash(
  trx: OpsTransaction,
  candidate: Pick<Operator, 'code' | 'mcc' | 'mnc'>,
  exceptOperatorId: string | null,
): Promise<OperatorClash | null> {
  const { mcc, mnc } = candidate;
  let query = trx
    .withSchema(OPS_SCHEMA)
    .selectFrom('operators')
    .select(['id', 'code'])
    .where('status', '<>', 'deleted')
    .where((eb) =>
      mcc !== null && mnc !== null
        ? eb.or([eb('code', '=', candidate.code), eb.and([eb('mcc', '=', mcc), eb('mnc', '=', mnc)])])
        : eb('code', '=', candidate.code),
    )
    .orderBy('id');
  if (exceptOperatorId !== null && isUuidText(exceptOperatorId)) query = query.where('id', '<>', exceptOperatorId);
  const rows = await query.execute();
  const byCode = rows.find((r) => r.code === candidate.code);
  if (byCode) return { field: 'code', existingOperatorId: byCode.id };
  const byMccMnc = rows[0];
  return byMccMnc ? { field: 'mccMnc', existingOperatorId: byMccMnc.id } : null;
}

function operatorRow(operator: Operator): Insertable<OpsTables['operators']> & { created_at: Date } {
  return {
    id: operator.id,
    code: operator.code,
    name: operator.name,
    kind: operator.kind,
    mcc: operator.mcc,
    mnc: operator.mnc,
    country: operator.country,
    status: operator.status,
    version: operator.version,
    created_at: operator.createdAt,
    updated_at: operator.updatedAt,
    deleted_at: operator.deletedAt,
  };
}

async function writePrefixes(trx: OpsTransaction, operator: Operator): Promise<void> {
  await trx.withSchema(OPS_SCHEMA).deleteFrom('operator_prefixes').where('operator_id', '=', operator.id).execute();
  if (operator.prefixes.length === 0) return;
  await trx
    .withSchema(OPS_SCHEMA)
    .insertInto('operator_prefixes')
    .values(operator.prefixes.map((prefix) => ({ operator_id: operator.id, prefix })))
    .execute();
}

/**
 * Makes the live connection rows equal the operator's connections: connections no longer there
 * are marked removed first (so the unique index on the live binds sees the final set), then each
 * current one is inserted or updated in place.
 */
async function writeConnections(trx: OpsTransaction, operator: Operator, storedLiveIds: readonly string[]): Promise<void> {
  const current = new Set(operator.connections.map((c) => c.id));
  const removed = storedLiveIds.filter((id) => !current.has(id));
  if (removed.length > 0) {
    await trx
      .withSchema(OPS_SCHEMA)
      .updateTable('operator_connections')
      .set({ removed_at: operator.updatedAt })
      .where('operator_id', '=', operator.id)
      .where('id', 'in', removed)
      .execute();
  }
  for (const [position, c] of operator.connections.entries()) {
    const settings = {
      position,
      host: c.host,
      port: c.port,
      system_id: c.systemId,
      system_type: c.systemType,
      bind_mode: c.bindMode,
      tls: c.tls,
      window_size: c.windowSize,
      throughput_limit: c.throughputLimit,
      auth_version: c.authentication?.version ?? null,
      auth_changed_at: c.authentication?.changedAt ?? null,
    };
    await trx
      .withSchema(OPS_SCHEMA)
      .insertInto('operator_connections')
      .values({ id: c.id, operator_id: operator.id, created_at: operator.updatedAt, removed_at: null, ...settings })
      .onConflict((oc) => oc.column('id').doUpdateSet(settings).where('operator_connections.operator_id', '=', operator.id))
      .execute();
  }
}

/** Operators with their prefixes and live connections, in the order of `ids`. */
async function loadOperators(trx: OpsTransaction, ids: readonly string[]): Promise<Operator[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const db = trx.withSchema(OPS_SCHEMA);
  const rows: OperatorRow[] = await db.selectFrom('operators').selectAll().where('id', 'in', list).execute();
  const prefixes = await db.selectFrom('operator_prefixes').selectAll().where('operator_id', 'in', list).execute();
  const connections: ConnectionRow[] = await db
    .selectFrom('operator_connections')
    .selectAll()
    .where('operator_id', 'in', list)
    .where('removed_at', 'is', null)
    .orderBy('operator_id')
    .orderBy('position')
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return list.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      toOperator(
        row,
        prefixes.filter((p) => p.operator_id === id).map((p) => p.prefix),
        connections.filter((c) => c.operator_id === id),
      ),
    ];
  });
}

function toOperator(row: OperatorRow, prefixes: string[], connections: ConnectionRow[]): Operator {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as OperatorKind,
    mcc: row.mcc,
    mnc: row.mnc,
    country: row.country,
    status: row.status as OperatorStatus,
    // The domain's order (code-unit sort), not the database collation's.
    prefixes: [...prefixes].sort(),
    connections: connections.map(toConnection),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

function toConnection(row: ConnectionRow): SmppConnection {
  return {
    id: row.id,
    host: row.host,
    port: row.port,
    systemId: row.system_id,
    systemType: row.system_type,
    bindMode: row.bind_mode as BindMode,
    tls: row.tls,
    windowSize: row.window_size,
    throughputLimit: row.throughput_limit,
    authentication: row.auth_version === null || row.auth_changed_at === null ? null : { version: row.auth_version, changedAt: row.auth_changed_at },
  };
}
