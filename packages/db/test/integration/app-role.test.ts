import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { createDatabase, dropAppRole, ensureAppRole } from '@sms/db';
import type { Database } from '@sms/db';

describe('ensureAppRole', () => {
  let fresh: FreshDatabase;
  let database: Database<unknown>;
  const schema = uniqueName('roles');
  const roles = Array.from({ length: 6 }, (_, i) => uniqueName(`role${i}`));

  beforeAll(async () => {
    fresh = await createFreshDatabase('roles');
    database = createDatabase({ url: fresh.url, poolMax: 12 });
    await sql.raw(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".t (id integer)`).execute(database.db);
  });
  afterAll(async () => {
    for (const role of roles) await dropAppRole(database.db, role);
    await database.close();
    await fresh.drop();
  });

  it('grants several roles on one schema when called by several replicas at once', async () => {
    await Promise.all([...roles, ...roles].map((role) => ensureAppRole({ db: database.db, role, schemas: [schema] })));

    const privileges = await sql<{ ok: boolean }>`
      SELECT bool_and(has_table_privilege(r, ${`"${schema}".t`}, 'SELECT,INSERT,UPDATE,DELETE')) AS ok
      FROM unnest(${roles}::text[]) AS r`.execute(database.db);
    expect(privileges.rows[0]?.ok).toBe(true);
  });

  it('creates one role from several databases at once (the advisory lock covers one database only)', async () => {
    const others = await Promise.all([createFreshDatabase('roles_a'), createFreshDatabase('roles_b'), createFreshDatabase('roles_c')]);
    const pools = others.map((other) => createDatabase({ url: other.url, poolMax: 4 }));
    const shared = uniqueName('shared');
    try {
      for (const pool of pools) await sql.raw(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".t (id integer)`).execute(pool.db);
      // Several rounds: the race is on the first CREATE ROLE of a new name, so each round uses a new one.
      for (let round = 0; round < 5; round++) {
        const role = `${shared}_${round}`;
        await Promise.all(pools.flatMap((pool) => [ensureAppRole({ db: pool.db, role, schemas: [schema] }), ensureAppRole({ db: pool.db, role, schemas: [schema], members: ['postgres'] })]));
        for (const pool of pools) {
          const granted = await sql<{ ok: boolean }>`SELECT has_table_privilege(${role}, ${`"${schema}".t`}, 'INSERT') AS ok`.execute(pool.db);
          expect(granted.rows[0]?.ok).toBe(true);
        }
      }
    } finally {
      for (let round = 0; round < 5; round++) {
        for (const pool of pools) await sql.raw(`DROP OWNED BY "${shared}_${round}"`).execute(pool.db).catch(() => undefined);
        await dropAppRole(database.db, `${shared}_${round}`).catch(() => undefined);
      }
      await Promise.all(pools.map((pool) => pool.close()));
      await Promise.all(others.map((other) => other.drop()));
    }
  });

  it('grants the role privileges on tables created after it', async () => {
    await ensureAppRole({ db: database.db, role: roles[0] ?? '', schemas: [schema] });

    await sql.raw(`CREATE TABLE "${schema}".later (id integer)`).execute(database.db);
    const result = await sql<{ ok: boolean }>`SELECT has_table_privilege(${roles[0]}, ${`"${schema}".later`}, 'INSERT') AS ok`.execute(database.db);

    expect(result.rows[0]?.ok).toBe(true);
  });

  it('creates a login role that can connect with its password', async () => {
    const role = uniqueName('login');
    roles.push(role);
    await ensureAppRole({ db: database.db, role, schemas: [schema], login: { password: "it's a test" } });

    const url = new URL(fresh.url);
    url.username = role;
    url.password = "it's a test";
    const asRole = createDatabase({ url: url.toString() });
    try {
      const who = await sql<{ u: string }>`SELECT current_user AS u`.execute(asRole.db);
      expect(who.rows[0]?.u).toBe(role);
    } finally {
      await asRole.close();
    }
  });

  it('refuses a role that owns a table in the schemas', async () => {
    const owner = uniqueName('owner');
    roles.push(owner);
    await ensureAppRole({ db: database.db, role: owner, schemas: [] });
    await sql.raw(`CREATE TABLE "${schema}".owned (id integer); ALTER TABLE "${schema}".owned OWNER TO "${owner}"`).execute(database.db);

    await expect(ensureAppRole({ db: database.db, role: owner, schemas: [schema] })).rejects.toThrow(/owns/);
  });
});
