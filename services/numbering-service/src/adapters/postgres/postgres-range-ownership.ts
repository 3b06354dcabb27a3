import { sql } from 'kysely';
import type { NumberingDb, Runner } from './numbering-scope.js';

/** Who may change the numbers of a block, and how many times ownership has moved. */
export interface RangeOwner {
  readonly region: string;
  readonly epoch: number;
}

const REGION = /^[a-z][a-z0-9-]{1,31}$/;

/** Checks a region name (`kabul-1`, `eu-central`): lower-case letters, digits and dashes. */
export function isRegionName(value: string): boolean {
  return REGION.test(value);
}

/** The advisory-lock key of one block's ownership fence. */
const fenceKey = (schema: string, blockId: string) => sql`hashtextextended(${`${schema}:range:${blockId}`}, 0)`;

/**
 * Inside the caller's transaction: takes the block's fence lock (shared, until commit) and answers whether
 * `region` owns the block. A transfer takes the same lock exclusively, so it waits for every change that
 * passed the fence to commit, and every change after it sees the new owner (docs/adr/0004).
 */
export async function regionHoldsRange(db: NumberingDb, schema: string, blockId: string, region: string): Promise<boolean> {
  await sql`SELECT pg_advisory_xact_lock_shared(${fenceKey(schema, blockId)})`.execute(db);
  const row = await db.withSchema(schema).selectFrom('range_ownership').select('region').where('block_id', '=', blockId).executeTakeFirst();
  return row?.region === region;
}

/**
 * The range-ownership table (migration 0006) for operations: in a multi-region deployment the consensus
 * engine's control plane (docs/adr/0004) calls `transfer` when a region takes over a block. Runs as the
 * system role.
 */
export class PostgresRangeOwnership {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  ownerOf(blockId: string): Promise<RangeOwner | null> {
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('range_ownership').select(['region', 'epoch']).where('block_id', '=', blockId).executeTakeFirst();
      return row === undefined ? null : { region: row.region, epoch: Number(row.epoch) };
    });
  }

  /**
   * Gives the block to `region` (epoch + 1; 1 for a block nobody owned yet). Waits for the changes of the
   * block's numbers that already passed the fence to commit; changes after it are refused outside `region`.
   */
  transfer(blockId: string, region: string, at: Date): Promise<RangeOwner> {
    if (!isRegionName(region)) return Promise.reject(new RangeError(`not a region name: ${JSON.stringify(region)}`));
    return this.run(async (db) => {
      await sql`SELECT pg_advisory_xact_lock(${fenceKey(this.schema, blockId)})`.execute(db);
      const row = await db
        .withSchema(this.schema)
        .insertInto('range_ownership')
        .values({ block_id: blockId, region, epoch: 1, updated_at: at })
        .onConflict((oc) =>
          oc.column('block_id').doUpdateSet({
            region,
            epoch: sql<number>`${sql.ref('range_ownership.epoch')} + 1`,
            updated_at: at,
          }),
        )
        .returning(['region', 'epoch'])
        .executeTakeFirstOrThrow();
      return { region: row.region, epoch: Number(row.epoch) };
    });
  }
}
