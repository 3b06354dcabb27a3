import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { withSystem, withTenant } from '@sms/db';
import { SYSTEM_SCOPE, tenantScope } from '../../src/adapters/postgres/numbering-scope.js';
import type { NumberingTables } from '../../src/adapters/postgres/numbering-tables.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const A = 'tenant-a';
const B = 'tenant-b';
const LEASED = '+93703330001';
const RESERVED = '+93703330002';
const FREE = '+93703330003';

describe('row-level security on numbers, reservations, leases and tenant pools', () => {
  let fixture: PostgresFixture;
  let world: PostgresWorld;
  let ids: Record<string, string>;

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_rls');
    world = await createPostgresWorld(fixture, { tenants: [A, B] });
    const added = await world.addNumbers([LEASED, RESERVED, FREE]);
    ids = Object.fromEntries(added.map((n) => [n.value, n.id]));
    const a = world.useCases.forActor(tenant(A));
    const pool = world.tenantPools[A] ?? '';
    for (const number of [LEASED, RESERVED]) {
      await a.reserve.execute({ actor: tenant(A), idempotencyKey: world.key(), number, tenantId: A, tenantPoolId: pool });
    }
    await a.assign.execute({ actor: tenant(A), idempotencyKey: world.key(), number: LEASED, tenantId: A, uses: ['otp'] });
  });
  afterAll(async () => {
    await fixture.close();
  });

  const asTenant = <T>(tenantId: string, work: (trx: Transaction<NumberingTables>) => Promise<T>): Promise<T> =>
    withTenant(fixture.database.db, { tenantId, role: fixture.roles.appRole }, work);
  const table = (name: string) => sql.id(world.schema.name, name);
  const countIn = async (trx: Transaction<NumberingTables>, name: string): Promise<number> =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table(name)}`.execute(trx)).rows[0]?.n ?? -1;
  const failure = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'succeeded',
      (error: Error) => error.message,
    );

  it("shows a tenant its own reservations, leases and tenant pools and none of another tenant's", async () => {
    const mine = await asTenant(A, async (trx) => [await countIn(trx, 'reservations'), await countIn(trx, 'leases'), await countIn(trx, 'tenant_pools')]);
    const theirs = await asTenant(B, async (trx) => [
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table('reservations')} WHERE tenant_id = ${A}`.execute(trx)).rows[0]?.n,
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table('leases')} WHERE tenant_id = ${A}`.execute(trx)).rows[0]?.n,
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table('tenant_pools')} WHERE tenant_id = ${A}`.execute(trx)).rows[0]?.n,
    ]);

    expect([mine, theirs]).toEqual([
      [2, 1, 1],
      [0, 0, 0],
    ]);
  });

  it('shows nothing to the app role when no tenant is set', async () => {
    const counts = await withSystem(fixture.database.db, { role: fixture.roles.appRole }, async (trx) => [
      await countIn(trx, 'reservations'),
      await countIn(trx, 'leases'),
      await countIn(trx, 'tenant_pools'),
    ]);

    expect(counts).toEqual([0, 0, 0]);
  });

  it("does not let a tenant's transaction change a number another tenant holds", async () => {
    const updated = await asTenant(B, async (trx) =>
      Number((await sql`UPDATE ${table('numbers')} SET updated_at = now() WHERE id = ${ids[LEASED]}`.execute(trx)).numAffectedRows),
    );

    expect(updated).toBe(0);
  });

  it("does not let a tenant's transaction give a free number to another tenant", async () => {
    const message = await failure(
      asTenant(B, (trx) =>
        sql`UPDATE ${table('numbers')} SET state = 'reserved', holder_tenant_id = ${A},
              lifecycle = jsonb_set(lifecycle, '{state}', '"reserved"') WHERE id = ${ids[FREE]}`.execute(trx),
      ),
    );

    expect(message).toContain('row-level security');
  });

  it("does not let a tenant's transaction write a reservation or lease for another tenant", async () => {
    const reservation = await failure(
      asTenant(B, (trx) =>
        sql`INSERT INTO ${table('reservations')} (id, number_id, tenant_id, tenant_pool_id, reserved_at, expires_at, status)
            VALUES (gen_random_uuid(), ${ids[FREE]}, ${A}, gen_random_uuid(), now(), now() + interval '1 hour', 'active')`.execute(trx),
      ),
    );
    const leaseUpdated = await asTenant(B, async (trx) =>
      Number((await sql`UPDATE ${table('leases')} SET ends_at = ends_at + interval '1 day' WHERE tenant_id = ${A}`.execute(trx)).numAffectedRows),
    );

    expect([reservation.includes('row-level security'), leaseUpdated]).toEqual([true, 0]);
  });

  it("does not let a tenant's transaction add or delete numbers", async () => {
    const insert = await failure(
      asTenant(B, (trx) =>
        sql`INSERT INTO ${table('numbers')} SELECT (n).* FROM (SELECT n FROM ${table('numbers')} n LIMIT 1) x
            ON CONFLICT DO NOTHING`.execute(trx),
      ),
    );
    const deleted = await asTenant(B, async (trx) => Number((await sql`DELETE FROM ${table('numbers')} WHERE id = ${ids[FREE]}`.execute(trx)).numAffectedRows));

    expect([insert.includes('row-level security'), deleted]).toEqual([true, 0]);
  });

  it("lists none of another tenant's holdings through the repository even when asked for them by id", async () => {
    const query = { tenantId: A, state: null, afterValue: null, limit: 10 } as const;

    const asB = await world.schema.store.scoped(tenantScope(B)).numbers.listHeldByTenant(query);
    const asSystem = await world.schema.store.scoped(SYSTEM_SCOPE).numbers.listHeldByTenant(query);

    expect([asB.length, asSystem.map((n) => n.value)]).toEqual([0, [LEASED, RESERVED]]);
  });
});
