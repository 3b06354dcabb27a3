import { sql } from 'kysely';
import { isUuid } from '@sms/kernel';
import type { InsertOutcome, NumberDeadline, NumberRecord, NumberRepository, SaveOutcome } from '../../index.js';
import { numberFromRow, numberToRow } from './number-row.mapper.js';
import type { NumberingDb, Runner } from './numbering-scope.js';
import { regionHoldsRange } from './postgres-range-ownership.js';

const INSERT_CHUNK = 2000;

const stateOfDeadline: Record<NumberDeadline, string> = {
  reservation_expiry: 'reserved',
  lease_end: 'assigned',
  quarantine_end: 'quarantined',
};

/**
 * {@link NumberRepository} on `numbers`, keeping the tenant-owned `reservations` and `leases` rows in step
 * with every change in the same transaction. `saveIfVersion` is `UPDATE … WHERE id = $1 AND version = $2`:
 * under READ COMMITTED a concurrent writer's row lock makes it wait for that commit, and then it compares
 * against the committed version (zero rows → conflict).
 */
export class PostgresNumberRepository implements NumberRepository {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
    /** With a region, `saveIfVersion` refuses (`not_owner`) numbers of blocks another region owns (docs/adr/0004). */
    private readonly region?: string,
  ) {}

  private table(name: string) {
    return sql.id(this.schema, name);
  }

  findById(id: string): Promise<NumberRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('numbers').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : numberFromRow(row);
    });
  }

  findByValue(value: string): Promise<NumberRecord | null> {
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('numbers').selectAll().where('value', '=', value).executeTakeFirst();
      return row === undefined ? null : numberFromRow(row);
    });
  }

  saveIfVersion(number: NumberRecord, expectedVersion: number): Promise<SaveOutcome> {
    if (number.version !== expectedVersion + 1) {
      return Promise.reject(new Error(`saveIfVersion: version ${number.version} does not follow expected ${expectedVersion}`));
    }
    const row = numberToRow(number);
    return this.run(async (db) => {
      if (this.region !== undefined && !(await regionHoldsRange(db, this.schema, number.blockId, this.region))) return 'not_owner';
      const result = await db
        .withSchema(this.schema)
        .updateTable('numbers')
        .set({
          state: row.state,
          holder_tenant_id: row.holder_tenant_id,
          lifecycle: row.lifecycle,
          deadline_at: row.deadline_at,
          version: row.version,
          updated_at: row.updated_at,
        })
        .where('id', '=', number.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return 'conflict';
      await this.syncHoldings(db, number);
      return 'saved';
    });
  }

  /** Writes the reservation and lease rows that the number's new lifecycle implies. */
  private async syncHoldings(db: NumberingDb, number: NumberRecord): Promise<void> {
    const l = number.lifecycle;
    const at = number.updatedAt;
    const reservations = this.table('reservations');
    const leases = this.table('leases');
    switch (l.state) {
      case 'reserved': {
        const r = l.reservation;
        await sql`
          INSERT INTO ${reservations} (id, number_id, tenant_id, tenant_pool_id, reserved_at, expires_at, status)
          VALUES (${r.id}, ${number.id}, ${r.tenantId}, ${r.tenantPoolId}, ${r.reservedAt}, ${r.expiresAt}, 'active')`.execute(db);
        return;
      }
      case 'assigned': {
        const lease = l.lease;
        await sql`
          WITH converted AS (
            UPDATE ${reservations} SET status = 'assigned', ended_at = ${at}
            WHERE id = ${lease.reservationId} AND status = 'active'
          )
          INSERT INTO ${leases} (id, number_id, reservation_id, tenant_id, tenant_pool_id, uses, starts_at, ends_at, auto_renew, status)
          VALUES (${lease.id}, ${number.id}, ${lease.reservationId}, ${lease.tenantId}, ${lease.tenantPoolId}, ${[...lease.uses]}::text[],
                  ${lease.startsAt}, ${lease.endsAt}, ${lease.autoRenew}, 'active')
          ON CONFLICT (id) DO UPDATE SET uses = EXCLUDED.uses, ends_at = EXCLUDED.ends_at, auto_renew = EXCLUDED.auto_renew,
                                         status = 'active', ended_at = NULL`.execute(db);
        return;
      }
      case 'recalled': {
        const recalledLease = l.recall.lease?.id ?? null;
        await sql`
          WITH held AS (
            UPDATE ${reservations} SET status = 'recalled', ended_at = ${at}
            WHERE number_id = ${number.id} AND status = 'active'
          )
          UPDATE ${leases} SET status = 'recalled'
          WHERE number_id = ${number.id} AND status = 'active' AND id = ${recalledLease}`.execute(db);
        return;
      }
      case 'quarantined':
      case 'available':
      case 'retired': {
        const reservationStatus =
          l.state === 'quarantined' && l.quarantine.reason === 'reservation_cancelled'
            ? 'cancelled'
            : l.state === 'quarantined' && l.quarantine.reason === 'reservation_expired'
              ? 'expired'
              : 'ended';
        await sql`
          WITH ended AS (
            UPDATE ${reservations} SET status = ${reservationStatus}, ended_at = ${at}
            WHERE number_id = ${number.id} AND status = 'active'
          )
          UPDATE ${leases} SET status = 'ended', ended_at = ${at}
          WHERE number_id = ${number.id} AND status IN ('active', 'recalled')`.execute(db);
        return;
      }
    }
  }

  insertNew(numbers: readonly NumberRecord[]): Promise<InsertOutcome> {
    for (const n of numbers) {
      if (n.version !== 1) return Promise.reject(new Error('insertNew: a new number starts at version 1'));
    }
    if (numbers.length === 0) return Promise.resolve({ outcome: 'inserted' });
    // Sorted, so two transactions inserting overlapping sets wait for each other instead of deadlocking.
    const rows = numbers.map(numberToRow).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return this.run(async (db) => {
      await sql`SAVEPOINT numbering_insert_new`.execute(db);
      const inserted = new Set<string>();
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const returned = await db
          .withSchema(this.schema)
          .insertInto('numbers')
          .values(rows.slice(start, start + INSERT_CHUNK))
          .onConflict((oc) => oc.column('value').doNothing())
          .returning('value')
          .execute();
        for (const r of returned) inserted.add(r.value);
      }
      if (inserted.size === rows.length) {
        await sql`RELEASE SAVEPOINT numbering_insert_new`.execute(db);
        return { outcome: 'inserted' };
      }
      await sql`ROLLBACK TO SAVEPOINT numbering_insert_new`.execute(db);
      const taken = [...new Set(rows.map((r) => r.value).filter((v) => !inserted.has(v)))];
      return { outcome: 'duplicate', values: taken };
    });
  }

  findExistingValues(values: readonly string[]): Promise<ReadonlySet<string>> {
    if (values.length === 0) return Promise.resolve(new Set());
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .selectFrom('numbers')
        .select('value')
        .where(sql<boolean>`value = ANY(${[...values]}::text[])`)
        .execute();
      return new Set(rows.map((r) => r.value));
    });
  }

  listHeldByTenant(query: {
    readonly tenantId: string;
    readonly state: 'reserved' | 'assigned' | null;
    readonly afterValue: string | null;
    readonly limit: number;
  }): Promise<readonly NumberRecord[]> {
    const numbers = this.table('numbers');
    const reservations = this.table('reservations');
    const leases = this.table('leases');
    return this.run(async (db) => {
      // The EXISTS clauses read the tenant-owned tables, so in a tenant's transaction row-level security
      // (not only this WHERE clause) keeps the list to that tenant's own reservations and leases.
      const result = await sql<Parameters<typeof numberFromRow>[0]>`
        SELECT n.* FROM ${numbers} n
        WHERE n.holder_tenant_id = ${query.tenantId}
          AND (${query.state}::text IS NULL OR n.state = ${query.state})
          AND (${query.afterValue}::text IS NULL OR n.value > ${query.afterValue})
          AND (
            EXISTS (SELECT 1 FROM ${reservations} r WHERE r.number_id = n.id AND r.status = 'active' AND r.tenant_id = ${query.tenantId})
            OR EXISTS (SELECT 1 FROM ${leases} l WHERE l.number_id = n.id AND l.status = 'active' AND l.tenant_id = ${query.tenantId})
          )
        ORDER BY n.value
        LIMIT ${query.limit}`.execute(db);
      return result.rows.map(numberFromRow);
    });
  }

  findDue(query: { readonly deadline: NumberDeadline; readonly at: Date; readonly limit: number }): Promise<readonly NumberRecord[]> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .selectFrom('numbers')
        .selectAll()
        .where('state', '=', stateOfDeadline[query.deadline])
        .where('deadline_at', '<=', query.at)
        .orderBy('deadline_at')
        .orderBy('id')
        .limit(query.limit)
        .execute();
      return rows.map(numberFromRow);
    });
  }
}
