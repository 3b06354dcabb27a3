import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '@sms/db';
import { loadLevels } from '../../src/adapters/postgres/postgres-levels.js';
import { PostgresUnitOfWork } from '../../src/adapters/postgres/postgres-unit-of-work.js';
import { createRootNode } from '../../src/domain/config-node.js';
import { configSeed } from '../../src/domain/config-seed.js';
import { defineKey } from '../../src/domain/key-definition.js';
import { ok } from '@sms/kernel';
import { systemClock } from '@sms/kernel';
import { createConfigDatabase, SCHEMA } from '../support/config-database.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';

/** The seed as the repositories should read it back: exactly `configSeed`, nothing more. */
describe('seed data created by migration', () => {
  let fixture: ConfigDatabaseFixture;
  let uow: PostgresUnitOfWork;
  const seededAt = new Date(configSeed.globalNode.createdAt);

  beforeAll(async () => {
    fixture = await createConfigDatabase('cfg_seed');
    uow = new PostgresUnitOfWork({ db: fixture.database.db, schema: SCHEMA, roles: fixture.roles, clock: systemClock });
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  const read = <T>(work: Parameters<PostgresUnitOfWork['run']>[0]) =>
    uow.run(work, { tenantId: null, readOnly: true }) as Promise<{ ok: true; value: T }>;

  it('holds exactly the GLOBAL node of the seed, at version 1, with no parent, tenant, override or lock', async () => {
    const expected = createRootNode(configSeed.globalNode.id, { author: configSeed.globalNode.author, reason: configSeed.globalNode.reason, now: seededAt });
    const nodes = await fixture.admin<{ id: string }>(`SELECT id FROM config.config_nodes`);
    const stored = await read(async (tx) => ok(await tx.nodes.findByPath(configSeed.globalNode.path)));

    expect(nodes.map((n) => n.id)).toEqual([configSeed.globalNode.id]);
    expect(stored.value).toEqual(expected.node);
  });

  it('holds the first version of the GLOBAL node with the seed author and reason', async () => {
    const expected = createRootNode(configSeed.globalNode.id, { author: configSeed.globalNode.author, reason: configSeed.globalNode.reason, now: seededAt });
    const versions = await read(async (tx) => ok(await tx.versions.list(configSeed.globalNode.id, { limit: 10 })));

    expect(versions.value).toEqual([expected.version]);
  });

  it('holds exactly the system roles of the seed', async () => {
    const roles = await read(async (tx) => ok(await tx.roles.list()));

    expect(roles.value).toEqual([...configSeed.systemRoles].sort((a, b) => (a.name < b.name ? -1 : 1)));
  });

  it('holds exactly the seed keys, at version 1, defined when the seed was made', async () => {
    const expected = configSeed.keys.map((draft) => {
      const defined = defineKey(draft, seededAt);
      if (!defined.ok) throw new Error(defined.error.message);
      return defined.value;
    });
    const keys = await read(async (tx) => ok(await tx.keys.list()));

    expect(keys.value).toEqual(expected.sort((a, b) => (a.key < b.key ? -1 : 1)));
  });

  it('holds exactly the seed levels, in the seed order', async () => {
    const levels = await loadLevels(fixture.database.db, SCHEMA, fixture.roles.systemRole);

    expect(levels.list()).toEqual(configSeed.levels);
  });

  it('holds no role assignment, and an empty outbox and inbox', async () => {
    const counts = await withSystem(fixture.database.db, { role: fixture.roles.systemRole }, async (trx) => ({
      assignments: (await trx.withSchema(SCHEMA).selectFrom('role_assignments').selectAll().execute()).length,
    }));
    const outbox = await fixture.admin<{ count: number }>(`SELECT (SELECT count(*) FROM config.outbox) + (SELECT count(*) FROM config.inbox) AS count`);

    expect([counts.assignments, Number(outbox[0]?.count)]).toEqual([0, 0]);
  });
});
