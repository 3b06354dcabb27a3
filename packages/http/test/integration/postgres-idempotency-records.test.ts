import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropAppRole, ensureAppRole, renderMigrationSql } from '@sms/db';
import type { Database } from '@sms/db';
import { PostgresIdempotencyRecords } from '@sms/http';
import type { StoredResponse } from '@sms/http';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';

// The table as the services create it (operator-management's migration; config-service's is the same).
const MIGRATION = new URL('../../../../services/operator-management/migrations/0005_idempotency_keys.up.sql', import.meta.url);
const SCHEMA = 'ops';
const NOW = new Date('2026-04-18T10:00:00.000Z');
const fingerprint = (n: number) => n.toString(16).padStart(64, '0');
const created: StoredResponse = { statusCode: 201, headers: { 'content-type': 'application/json; charset=utf-8', location: '/v1/operators/op-1' }, body: '{"id":"op-1"}' };

let fresh: FreshDatabase;
let database: Database<unknown>;
let systemRole: string;
let records: PostgresIdempotencyRecords;

beforeAll(async () => {
  fresh = await createFreshDatabase('http_idem');
  database = createDatabase({ url: fresh.url, poolMax: 20 });
  systemRole = uniqueName('idem_sys');
  await sql.raw(`CREATE SCHEMA ${SCHEMA}`).execute(database.db);
  await ensureAppRole({ db: database.db, role: systemRole, schemas: [SCHEMA] });
  const ddl = renderMigrationSql(readFileSync(MIGRATION, 'utf8'), { schema: SCHEMA, app_role: systemRole, system_role: systemRole }, '0005_idempotency_keys.up.sql');
  await sql.raw(ddl).execute(database.db);
  await ensureAppRole({ db: database.db, role: systemRole, schemas: [SCHEMA] });
  records = new PostgresIdempotencyRecords({ db: database.db, schema: SCHEMA, role: systemRole, inProgressTimeoutMs: 30_000 });
});
afterAll(async () => {
  await dropAppRole(database.db, systemRole).catch(() => undefined);
  await database.close();
  await fresh.drop();
});

const claim = (key: string, fp: number, now = NOW, caller = 'user:alice') => records.claim({ caller, key, fingerprint: fingerprint(fp), token: randomUUID(), now });

describe('PostgresIdempotencyRecords', () => {
  it('replays a completed record for the same fingerprint and refuses another', async () => {
    const token = randomUUID();
    expect(await records.claim({ caller: 'user:alice', key: 'k-1', fingerprint: fingerprint(1), token, now: NOW })).toEqual({ outcome: 'new' });
    expect(await claim('k-1', 1)).toEqual({ outcome: 'in-progress' });
    expect(await records.complete({ caller: 'user:alice', key: 'k-1', token, response: created, now: NOW })).toBe(true);

    expect(await claim('k-1', 1)).toEqual({ outcome: 'replay', response: created });
    expect(await claim('k-1', 2)).toEqual({ outcome: 'conflict' });
    expect(await claim('k-1', 2, NOW, 'service:smpp-gateway')).toEqual({ outcome: 'new' });
  });

  it('lets exactly one of 50 concurrent claims of one key through', async () => {
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => claim('k-concurrent', 7)));
    expect(outcomes.filter((o) => o.outcome === 'new')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'in-progress')).toHaveLength(49);
  });

  it('frees a released claim and refuses to complete or release with a token that does not own it', async () => {
    const token = randomUUID();
    await records.claim({ caller: 'user:alice', key: 'k-2', fingerprint: fingerprint(1), token, now: NOW });
    await records.release('user:alice', 'k-2', randomUUID());
    expect(await records.complete({ caller: 'user:alice', key: 'k-2', token: randomUUID(), response: created, now: NOW })).toBe(false);
    expect(await claim('k-2', 1)).toEqual({ outcome: 'in-progress' });

    await records.release('user:alice', 'k-2', token);
    expect(await claim('k-2', 3)).toEqual({ outcome: 'new' });
  });

  it('takes over a claim abandoned longer than the in-progress timeout; the old owner can no longer complete it', async () => {
    const oldToken = randomUUID();
    await records.claim({ caller: 'user:alice', key: 'k-3', fingerprint: fingerprint(1), token: oldToken, now: NOW });

    expect(await claim('k-3', 1, new Date(NOW.getTime() + 31_000))).toEqual({ outcome: 'new' });
    expect(await records.complete({ caller: 'user:alice', key: 'k-3', token: oldToken, response: created, now: NOW })).toBe(false);
  });

  it('starts afresh after the 48 h window and purges records claimed before a cutoff', async () => {
    const token = randomUUID();
    await records.claim({ caller: 'user:bob', key: 'k-4', fingerprint: fingerprint(1), token, now: NOW });
    await records.complete({ caller: 'user:bob', key: 'k-4', token, response: created, now: NOW });
    expect(await claim('k-4', 2, new Date(NOW.getTime() + 48 * 3_600_000 + 1), 'user:bob')).toEqual({ outcome: 'new' });

    await records.claim({ caller: 'user:carol', key: 'old', fingerprint: fingerprint(1), token: randomUUID(), now: new Date(NOW.getTime() - 3 * 86_400_000) });
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.idempotency_keys`.execute(database.db);
    const purged = await records.purgeClaimedBefore(new Date(NOW.getTime() - 2 * 86_400_000));
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ops.idempotency_keys`.execute(database.db);

    expect(purged).toBe(1);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n - 1);
  });
});
