import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isUuid } from '@sms/kernel';
import { digitsOf, NUMBER_KINDS, TENANT_SEGMENTS, VANITY_TIERS } from '../../index.js';
import type {
  CatalogInsertOutcome,
  CatalogRepository,
  InventoryPool,
  NumberBlock,
  NumberKind,
  OperatorContract,
  TenantPool,
} from '../../index.js';
import type { InventoryPoolsTable, NumberBlocksTable, OperatorContractsTable, TenantPoolsTable } from './numbering-tables.js';
import type { Runner } from './numbering-scope.js';

const kind = z.enum(NUMBER_KINDS);
const segments = z.array(z.enum(TENANT_SEGMENTS));
const tiers = z.array(z.enum(VANITY_TIERS));

const contractOf = (row: Selectable<OperatorContractsTable>): OperatorContract => ({
  id: row.id,
  operatorCode: row.operator_code,
  reference: row.reference,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  createdAt: row.created_at,
});

const blockOf = (row: Selectable<NumberBlocksTable>): NumberBlock => ({
  id: row.id,
  contractId: row.contract_id,
  operatorCode: row.operator_code,
  reference: row.reference,
  kind: kind.parse(row.kind),
  rangeStart: row.range_start,
  rangeEnd: row.range_end,
  createdAt: row.created_at,
});

const poolOf = (row: Selectable<InventoryPoolsTable>): InventoryPool => ({
  id: row.id,
  reference: row.reference,
  name: row.name,
  kind: row.kind === null ? null : kind.parse(row.kind),
  segments: segments.parse(row.segments),
  createdAt: row.created_at,
});

const tenantPoolOf = (row: Selectable<TenantPoolsTable>): TenantPool => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  segment: z.enum(TENANT_SEGMENTS).parse(row.segment),
  allowedTiers: tiers.parse(row.allowed_tiers),
  createdAt: row.created_at,
});

const outcomeOf = (inserted: number): CatalogInsertOutcome => (inserted > 0 ? 'inserted' : 'duplicate');

/**
 * {@link CatalogRepository} on `operator_contracts`, `number_blocks`, `inventory_pools` and `tenant_pools`.
 * Uniqueness is the tables' unique constraints: an insert that would break one does nothing and answers
 * `duplicate` (`ON CONFLICT DO NOTHING`; a concurrent insert of the same reference waits for the first
 * transaction and then sees whether it committed). Tenant pools are under row-level security.
 */
export class PostgresCatalogRepository implements CatalogRepository {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  findContractById(id: string): Promise<OperatorContract | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('operator_contracts').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : contractOf(row);
    });
  }

  findContractByReference(operatorCode: string, reference: string): Promise<OperatorContract | null> {
    return this.run(async (db) => {
      const row = await db
        .withSchema(this.schema)
        .selectFrom('operator_contracts')
        .selectAll()
        .where('operator_code', '=', operatorCode)
        .where('reference', '=', reference)
        .executeTakeFirst();
      return row === undefined ? null : contractOf(row);
    });
  }

  insertContract(contract: OperatorContract): Promise<CatalogInsertOutcome> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .insertInto('operator_contracts')
        .values({
          id: contract.id,
          operator_code: contract.operatorCode,
          reference: contract.reference,
          starts_at: contract.startsAt,
          ends_at: contract.endsAt,
          created_at: contract.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      return outcomeOf(rows.length);
    });
  }

  findBlockById(id: string): Promise<NumberBlock | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('number_blocks').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : blockOf(row);
    });
  }

  findBlockByReference(operatorCode: string, reference: string): Promise<NumberBlock | null> {
    return this.run(async (db) => {
      const row = await db
        .withSchema(this.schema)
        .selectFrom('number_blocks')
        .selectAll()
        .where('operator_code', '=', operatorCode)
        .where('reference', '=', reference)
        .executeTakeFirst();
      return row === undefined ? null : blockOf(row);
    });
  }

  findOverlappingBlocks(kindOf: NumberKind, rangeStart: string, rangeEnd: string): Promise<readonly NumberBlock[]> {
    const start = digitsOf(rangeStart);
    const end = digitsOf(rangeEnd);
    return this.run(async (db) => {
      // Equal-length digit strings order like the numbers they spell (bytewise, COLLATE "C" on the columns).
      const rows = await db
        .withSchema(this.schema)
        .selectFrom('number_blocks')
        .selectAll()
        .where('kind', '=', kindOf)
        .where(sql<boolean>`length(ltrim(range_start, '+')) = ${start.length}`)
        .where(sql<boolean>`ltrim(range_start, '+') <= ${end} COLLATE "C"`)
        .where(sql<boolean>`${start} COLLATE "C" <= ltrim(range_end, '+')`)
        .orderBy('range_start')
        .execute();
      return rows.map(blockOf);
    });
  }

  insertBlock(block: NumberBlock): Promise<CatalogInsertOutcome> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .insertInto('number_blocks')
        .values({
          id: block.id,
          contract_id: block.contractId,
          operator_code: block.operatorCode,
          reference: block.reference,
          kind: block.kind,
          range_start: block.rangeStart,
          range_end: block.rangeEnd,
          created_at: block.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      return outcomeOf(rows.length);
    });
  }

  findPoolById(id: string): Promise<InventoryPool | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('inventory_pools').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : poolOf(row);
    });
  }

  findPoolByReference(reference: string): Promise<InventoryPool | null> {
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('inventory_pools').selectAll().where('reference', '=', reference).executeTakeFirst();
      return row === undefined ? null : poolOf(row);
    });
  }

  insertPool(pool: InventoryPool): Promise<CatalogInsertOutcome> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .insertInto('inventory_pools')
        .values({
          id: pool.id,
          reference: pool.reference,
          name: pool.name,
          kind: pool.kind,
          segments: [...pool.segments],
          created_at: pool.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      return outcomeOf(rows.length);
    });
  }

  findTenantPool(id: string): Promise<TenantPool | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('tenant_pools').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : tenantPoolOf(row);
    });
  }

  listTenantPools(tenantId: string): Promise<readonly TenantPool[]> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .selectFrom('tenant_pools')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy(sql`name COLLATE "C"`)
        .execute();
      return rows.map(tenantPoolOf);
    });
  }

  insertTenantPool(pool: TenantPool): Promise<CatalogInsertOutcome> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .insertInto('tenant_pools')
        .values({
          id: pool.id,
          tenant_id: pool.tenantId,
          name: pool.name,
          segment: pool.segment,
          allowed_tiers: [...pool.allowedTiers],
          created_at: pool.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      return outcomeOf(rows.length);
    });
  }
}
