import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import {
  InvalidTenantIdError,
  UnsafeAppRoleError,
  createDatabase,
  dropAppRole,
  ensureAppRole,
  scopeTransaction,
  tenantIsolationSql,
  withSystem,
  withTenant,
} from '@sms/db';
import type { Database } from '@sms/db';

interface Note {
  id: number;
  tenant_id: string;
  body: string;
}
interface Tables {
  notes: Note;
}

describe('tenant-scoped transactions under row-level security', () => {
  let fresh: FreshDatabase;
  let database: Database<Tables>;
  const schema = uniqueName('tenancy');
  const appRole = uniqueName('app');
  const systemRole = uniqueName('system');
  const scoped = (): ReturnType<Database<Tables>['db']['withSchema']> => database.db.withSchema(schema);

  beforeAll(async () => {
    fresh = await createFreshDatabase('tenancy');
    // One connection: proves that what a transaction sets does not stay on the pooled session.
    database = createDatabase<Tables>({ url: fresh.url, poolMax: 1 });
    await sql
      .raw(
        `CREATE SCHEMA "${schema}";
         CREATE TABLE "${schema}".notes (id integer PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL);`,
      )
      .execute(database.db);
    await ensureAppRole({ db: database.db, role: appRole, schemas: [schema] });
    await ensureAppRole({ db: database.db, role: systemRole, schemas: [schema] });
    await sql.raw(tenantIsolationSql({ schema, table: 'notes', systemRole })).execute(database.db);
    // Seeded as the superuser, which row-level security does not filter.
    await sql
      .raw(`INSERT INTO "${schema}".notes VALUES (1, 'tenant-a', 'a1'), (2, 'tenant-a', 'a2'), (3, 'tenant-b', 'b1')`)
      .execute(database.db);
  });
  afterAll(async () => {
    await dropAppRole(database.db, appRole);
    await dropAppRole(database.db, systemRole);
    await database.close();
    await fresh.drop();
  });

  const asTenant = <T>(tenantId: string, fn: (trx: Transaction<Tables>) => Promise<T>): Promise<T> =>
    withTenant(database.db, { tenantId, role: appRole }, fn);

  it("returns only the tenant's own rows", async () => {
    const rows = await asTenant('tenant-b', (trx) => trx.withSchema(schema).selectFrom('notes').select('id').orderBy('id').execute());

    expect(rows).toEqual([{ id: 3 }]);
  });

  it("updates none of another tenant's rows", async () => {
    const result = await asTenant('tenant-b', (trx) =>
      trx.withSchema(schema).updateTable('notes').set({ body: 'stolen' }).where('id', '=', 1).executeTakeFirst(),
    );

    expect(result.numUpdatedRows).toBe(0n);
    const row = await scoped().selectFrom('notes').select('body').where('id', '=', 1).executeTakeFirst();
    expect(row?.body).toBe('a1');
  });

  it("deletes none of another tenant's rows", async () => {
    const result = await asTenant('tenant-b', (trx) => trx.withSchema(schema).deleteFrom('notes').where('tenant_id', '=', 'tenant-a').executeTakeFirst());

    expect(result.numDeletedRows).toBe(0n);
    const rows = await scoped().selectFrom('notes').select('id').where('tenant_id', '=', 'tenant-a').execute();
    expect(rows).toHaveLength(2);
  });

  it("refuses to insert a row carrying another tenant's id", async () => {
    const insert = asTenant('tenant-b', (trx) =>
      trx.withSchema(schema).insertInto('notes').values({ id: 10, tenant_id: 'tenant-a', body: 'planted' }).execute(),
    );

    await expect(insert).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('row-level security') as unknown });
  });

  it("refuses to move the tenant's own row to another tenant", async () => {
    const update = asTenant('tenant-b', (trx) => trx.withSchema(schema).updateTable('notes').set({ tenant_id: 'tenant-a' }).where('id', '=', 3).execute());

    await expect(update).rejects.toMatchObject({ code: '42501' });
  });

  it('inserts a row for the tenant of the transaction', async () => {
    await asTenant('tenant-c', (trx) => trx.withSchema(schema).insertInto('notes').values({ id: 20, tenant_id: 'tenant-c', body: 'c1' }).execute());

    const rows = await asTenant('tenant-c', (trx) => trx.withSchema(schema).selectFrom('notes').select('id').execute());
    expect(rows).toEqual([{ id: 20 }]);
  });

  it('sees no rows in a transaction that sets no tenant', async () => {
    const rows = await database.db.transaction().execute(async (trx) => {
      await scopeTransaction(trx, { role: appRole });
      return trx.withSchema(schema).selectFrom('notes').select('id').execute();
    });

    expect(rows).toEqual([]);
  });

  it('sees no rows as the application role outside withTenant, even after a tenant transaction on the same connection', async () => {
    await asTenant('tenant-a', (trx) => trx.withSchema(schema).selectFrom('notes').select('id').execute());

    const rows = await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE ${sql.id(appRole)}`.execute(trx);
      return trx.withSchema(schema).selectFrom('notes').select('id').execute();
    });

    expect(rows).toEqual([]);
  });

  it('leaves the pooled connection without the role and tenant once the transaction ends', async () => {
    await asTenant('tenant-a', () => Promise.resolve());

    const result = await sql<{ role: string; tenant: string | null }>`SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant`.execute(
      database.db,
    );

    expect(result.rows[0]?.role).not.toBe(appRole);
    expect(result.rows[0]?.tenant ?? '').toBe('');
  });

  it("lets the system role read every tenant's rows through its own policy", async () => {
    const rows = await withSystem(database.db, { role: systemRole }, (trx) =>
      trx.withSchema(schema).selectFrom('notes').select('tenant_id').distinct().orderBy('tenant_id').execute(),
    );

    expect(rows.map((r) => r.tenant_id)).toEqual(expect.arrayContaining(['tenant-a', 'tenant-b']));
  });

  it('gives the application role nothing through withSystem, since only the system role has a policy', async () => {
    const rows = await withSystem(database.db, { role: appRole }, (trx) => trx.withSchema(schema).selectFrom('notes').select('id').execute());

    expect(rows).toEqual([]);
  });

  it('refuses a malformed tenant id before opening a transaction', async () => {
    await expect(asTenant("x' OR '1'='1", () => Promise.resolve())).rejects.toBeInstanceOf(InvalidTenantIdError);
  });

  it('refuses to use a superuser as the application role', async () => {
    await expect(ensureAppRole({ db: database.db, role: 'postgres', schemas: [schema] })).rejects.toBeInstanceOf(UnsafeAppRoleError);
  });

  it('creates the application role without ownership, superuser or BYPASSRLS', async () => {
    const result = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean; owned: number }>`
      SELECT r.rolsuper, r.rolbypassrls, r.rolcanlogin,
             (SELECT count(*) FROM pg_tables t WHERE t.tableowner = r.rolname) AS owned
      FROM pg_roles r WHERE r.rolname = ${appRole}`.execute(database.db);

    expect(result.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false, owned: 0 });
  });
});
