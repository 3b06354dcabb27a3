import { sql } from 'kysely';
import { toNumberView } from '../../index.js';
import type { NumberState, NumberView } from '../../index.js';
import { numberFromRow } from './number-row.mapper.js';
import type { Runner } from './numbering-scope.js';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
}

export interface ContractListItem {
  readonly id: string;
  readonly operatorCode: string;
  readonly reference: string;
  readonly startsAt: string;
  readonly endsAt: string | null;
}
export interface BlockListItem {
  readonly id: string;
  readonly contractId: string;
  readonly operatorCode: string;
  readonly reference: string;
  readonly kind: string;
  readonly rangeStart: string;
  readonly rangeEnd: string;
}
export interface PoolListItem {
  readonly id: string;
  readonly reference: string;
  readonly name: string;
  readonly kind: string | null;
  readonly segments: readonly string[];
}

const pageOf = <T>(rows: readonly T[], limit: number, cursor: (last: T) => string): Page<T> => {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last !== undefined ? cursor(last) : null };
};

/**
 * Read models of the admin API (lists of the catalog and the inventory), keyset-paged. They read the
 * tables directly rather than through a use case: they change nothing, and the edge checks the
 * `catalog.read` / `number.lookup` permission before calling them.
 */
export class PostgresCatalogQueries {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  listContracts(query: { readonly operatorCode?: string; readonly after?: string; readonly limit: number }): Promise<Page<ContractListItem>> {
    return this.run(async (db) => {
      let q = db.withSchema(this.schema).selectFrom('operator_contracts').selectAll();
      if (query.operatorCode !== undefined) q = q.where('operator_code', '=', query.operatorCode);
      if (query.after !== undefined) q = q.where(sql<boolean>`(operator_code || ':' || reference) COLLATE "C" > ${query.after}`);
      const rows = await q.orderBy(sql`(operator_code || ':' || reference) COLLATE "C"`).limit(query.limit + 1).execute();
      return pageOf(
        rows.map((r) => ({
          id: r.id,
          operatorCode: r.operator_code,
          reference: r.reference,
          startsAt: r.starts_at.toISOString(),
          endsAt: r.ends_at === null ? null : r.ends_at.toISOString(),
        })),
        query.limit,
        (last) => `${last.operatorCode}:${last.reference}`,
      );
    });
  }

  listBlocks(query: { readonly operatorCode?: string; readonly after?: string; readonly limit: number }): Promise<Page<BlockListItem>> {
    return this.run(async (db) => {
      let q = db.withSchema(this.schema).selectFrom('number_blocks').selectAll();
      if (query.operatorCode !== undefined) q = q.where('operator_code', '=', query.operatorCode);
      if (query.after !== undefined) q = q.where(sql<boolean>`(operator_code || ':' || reference) COLLATE "C" > ${query.after}`);
      const rows = await q.orderBy(sql`(operator_code || ':' || reference) COLLATE "C"`).limit(query.limit + 1).execute();
      return pageOf(
        rows.map((r) => ({
          id: r.id,
          contractId: r.contract_id,
          operatorCode: r.operator_code,
          reference: r.reference,
          kind: r.kind,
          rangeStart: r.range_start,
          rangeEnd: r.range_end,
        })),
        query.limit,
        (last) => `${last.operatorCode}:${last.reference}`,
      );
    });
  }

  listPools(query: { readonly after?: string; readonly limit: number }): Promise<Page<PoolListItem>> {
    return this.run(async (db) => {
      let q = db.withSchema(this.schema).selectFrom('inventory_pools').selectAll();
      if (query.after !== undefined) q = q.where(sql<boolean>`reference COLLATE "C" > ${query.after}`);
      const rows = await q.orderBy(sql`reference COLLATE "C"`).limit(query.limit + 1).execute();
      return pageOf(
        rows.map((r) => ({ id: r.id, reference: r.reference, name: r.name, kind: r.kind, segments: r.segments })),
        query.limit,
        (last) => last.reference,
      );
    });
  }

  listNumbers(query: { readonly state?: NumberState; readonly operatorCode?: string; readonly after?: string; readonly limit: number }): Promise<Page<NumberView>> {
    return this.run(async (db) => {
      let q = db.withSchema(this.schema).selectFrom('numbers').selectAll();
      if (query.state !== undefined) q = q.where('state', '=', query.state);
      if (query.operatorCode !== undefined) q = q.where('operator_code', '=', query.operatorCode);
      if (query.after !== undefined) q = q.where('value', '>', query.after);
      const rows = await q.orderBy('value').limit(query.limit + 1).execute();
      return pageOf(rows.map((r) => toNumberView(numberFromRow(r))), query.limit, (last) => last.number);
    });
  }
}

export interface InventoryCount {
  readonly pool: string;
  readonly kind: string;
  readonly available: number;
  readonly total: number;
}

/** Gauges of the inventory for the metrics endpoint (pool exhaustion, scarcity, overdue jobs). */
export class PostgresInventoryGauges {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  /** Available and total numbers per inventory pool and kind (retired numbers not counted). */
  inventory(): Promise<readonly InventoryCount[]> {
    return this.run(async (db) => {
      const result = await sql<{ pool: string; kind: string; available: number; total: number }>`
        SELECT p.reference AS pool, n.kind, count(*) FILTER (WHERE n.state = 'available')::int AS available, count(*)::int AS total
        FROM ${sql.id(this.schema, 'numbers')} n JOIN ${sql.id(this.schema, 'inventory_pools')} p ON p.id = n.pool_id
        WHERE n.state <> 'retired'
        GROUP BY p.reference, n.kind`.execute(db);
      return result.rows;
    });
  }

  /** Available and total short codes per vanity tier, across pools (retired ones not counted). */
  shortCodes(): Promise<readonly { readonly tier: string; readonly available: number; readonly total: number }[]> {
    return this.run(async (db) => {
      const result = await sql<{ tier: string; available: number; total: number }>`
        SELECT n.tier, count(*) FILTER (WHERE n.state = 'available')::int AS available, count(*)::int AS total
        FROM ${sql.id(this.schema, 'numbers')} n
        WHERE n.kind = 'short_code' AND n.state <> 'retired'
        GROUP BY n.tier`.execute(db);
      return result.rows;
    });
  }

  /** Numbers whose state's deadline passed more than `graceMs` ago (the sweep jobs are behind). */
  overdue(state: 'reserved' | 'quarantined' | 'assigned', at: Date): Promise<number> {
    return this.run(async (db) => {
      const row = await db
        .withSchema(this.schema)
        .selectFrom('numbers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', state)
        .where('deadline_at', '<=', at)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    });
  }
}
