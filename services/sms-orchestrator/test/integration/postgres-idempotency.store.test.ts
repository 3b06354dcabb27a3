import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { withSystem } from '@sms/db';
import { uuidv7 } from '@sms/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency.store.js';
import { PostgresUnitOfWork } from '../../src/adapters/postgres/postgres-unit-of-work.js';
import type { IdempotentResponse } from '../../src/application/submit-outputs.js';
import { SubmitMessage } from '../../src/application/submit-message.use-case.js';
import { InMemoryRateLimiter, StaticTenantSettings } from '../../src/application/testing/index.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';

let orch: OrchTestDatabase;
let store: PostgresIdempotencyStore;
let unitOfWork: PostgresUnitOfWork;

beforeAll(async () => {
  orch = await createOrchTestDatabase('orch_idem', { poolMax: 30 });
  store = new PostgresIdempotencyStore({ db: orch.database.db, schema: orch.schema, appRole: orch.roles.appRole, systemRole: orch.roles.systemRole });
  unitOfWork = new PostgresUnitOfWork({ db: orch.database.db, schema: orch.schema, appRole: orch.roles.appRole, idempotency: store });
});
afterAll(async () => {
  await orch.cleanup();
});

const FINGERPRINT = 'a'.repeat(64);
const OTHER_FINGERPRINT = 'b'.repeat(64);
const NOW = new Date('2026-04-18T10:00:00.000Z');
const RESPONSE: IdempotentResponse = {
  operation: 'send',
  output: { messageId: uuidv7(), status: 'accepted', encoding: 'GSM-7', segments: 1, clientReference: null, acceptedAt: NOW.toISOString() },
};
const at = (ms: number) => new Date(NOW.getTime() + ms);
const key = () => `key-${randomUUID()}`;

async function claimAndRecord(tenantId: string, k: string, now = NOW) {
  const token = randomUUID();
  await store.claim({ tenantId, key: k, fingerprint: FINGERPRINT, token, now });
  return unitOfWork.run(tenantId, (scope) => scope.idempotency.record({ tenantId, key: k, token, response: RESPONSE, now }));
}

describe('PostgresIdempotencyStore', () => {
  it('gives a new key to the first claim', async () => {
    const claim = await store.claim({ tenantId: 'tenant-a', key: key(), fingerprint: FINGERPRINT, token: randomUUID(), now: NOW });

    expect(claim).toEqual({ outcome: 'new' });
  });

  it('answers in-progress to the same request while the first has not recorded a response', async () => {
    const k = key();
    await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: NOW });

    const second = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: at(1000) });

    expect(second).toEqual({ outcome: 'in-progress' });
  });

  it('replays the recorded response to the same request', async () => {
    const k = key();
    expect(await claimAndRecord('tenant-a', k)).toBe(true);

    const replay = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: at(60_000) });

    expect(replay).toEqual({ outcome: 'replay', response: RESPONSE });
  });

  it('answers conflict to another request with the same key', async () => {
    const k = key();
    await claimAndRecord('tenant-a', k);

    const other = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: OTHER_FINGERPRINT, token: randomUUID(), now: at(1000) });

    expect(other).toEqual({ outcome: 'conflict' });
  });

  it('keeps keys of different tenants apart', async () => {
    const k = key();
    await claimAndRecord('tenant-a', k);

    const otherTenant = await store.claim({ tenantId: 'tenant-b', key: k, fingerprint: OTHER_FINGERPRINT, token: randomUUID(), now: at(1000) });

    expect(otherTenant).toEqual({ outcome: 'new' });
  });

  it('treats a record older than 48 hours as absent', async () => {
    const k = key();
    await claimAndRecord('tenant-a', k);

    const later = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: OTHER_FINGERPRINT, token: randomUUID(), now: at(48 * 3_600_000) });

    expect(later).toEqual({ outcome: 'new' });
  });

  it('lets an abandoned claim be taken over after 30 seconds, and the old owner can no longer record', async () => {
    const k = key();
    const oldToken = randomUUID();
    await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: oldToken, now: NOW });

    const takeover = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: at(30_000) });
    const lateRecord = await unitOfWork.run('tenant-a', (scope) =>
      scope.idempotency.record({ tenantId: 'tenant-a', key: k, token: oldToken, response: RESPONSE, now: at(31_000) }),
    );

    expect(takeover).toEqual({ outcome: 'new' });
    expect(lateRecord).toBe(false);
  });

  it('releases a claim only for its own token', async () => {
    const k = key();
    const token = randomUUID();
    await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token, now: NOW });

    await store.release('tenant-a', k, randomUUID());
    const afterWrongRelease = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: at(1) });
    await store.release('tenant-a', k, token);
    const afterRelease = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: at(2) });

    expect(afterWrongRelease).toEqual({ outcome: 'in-progress' });
    expect(afterRelease).toEqual({ outcome: 'new' });
  });

  it('does not keep a recorded response when the unit of work rolls back', async () => {
    const k = key();
    const token = randomUUID();
    await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token, now: NOW });

    await expect(
      unitOfWork.run('tenant-a', async (scope) => {
        await scope.idempotency.record({ tenantId: 'tenant-a', key: k, token, response: RESPONSE, now: NOW });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const again = await store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: at(1000) });

    expect(again).toEqual({ outcome: 'in-progress' });
  });

  it('gives exactly one of 50 concurrent claims of one key the key', async () => {
    const k = key();

    const claims = await Promise.all(
      Array.from({ length: 50 }, () => store.claim({ tenantId: 'tenant-a', key: k, fingerprint: FINGERPRINT, token: randomUUID(), now: NOW })),
    );

    expect(claims.filter((c) => c.outcome === 'new')).toHaveLength(1);
    expect(claims.filter((c) => c.outcome === 'in-progress')).toHaveLength(49);
  });

  it('creates exactly one message from 50 concurrent submits with one key', async () => {
    const submit = new SubmitMessage({
      unitOfWork,
      idempotency: store,
      tenantSettings: new StaticTenantSettings(),
      rateLimiter: new InMemoryRateLimiter(),
      clock: { now: () => new Date() },
      ids: { next: () => uuidv7() },
      callbackUrlPolicy: { allowLoopbackHttp: false },
    });
    const k = key();
    const request = { to: '+93791234567', from: '+93701234567', body: 'concurrent hello' };

    const results = await Promise.all(Array.from({ length: 50 }, () => submit.execute({ tenantId: 'tenant-conc', idempotencyKey: k, request })));
    const stored = await withSystem(orch.database.db, { role: orch.roles.systemRole }, (trx) =>
      sql<{ id: string }>`SELECT id FROM orch.sms_messages WHERE tenant_id = 'tenant-conc'`.execute(trx),
    );

    const accepted = results.flatMap((r) => (r.ok ? [r.value.output.messageId] : []));
    const refusals = results.flatMap((r) => (r.ok ? [] : [r.error.code]));
    expect(stored.rows).toHaveLength(1);
    expect(new Set(accepted)).toEqual(new Set([stored.rows[0]?.id]));
    expect(new Set(refusals).size <= 1 && refusals.every((code) => code === 'ORCH.IDEMPOTENCY_IN_PROGRESS')).toBe(true);
  });

  it('purges records claimed before the cutoff, of every tenant, and keeps the others', async () => {
    const old = at(-72 * 3_600_000);
    const oldKeys = [key(), key(), key()];
    await claimAndRecord('tenant-p1', oldKeys[0]!, old);
    await claimAndRecord('tenant-p2', oldKeys[1]!, old);
    await store.claim({ tenantId: 'tenant-p3', key: oldKeys[2]!, fingerprint: FINGERPRINT, token: randomUUID(), now: old });
    const recent = key();
    await claimAndRecord('tenant-p1', recent, NOW);

    const purged = await store.purgeClaimedBefore(at(-48 * 3_600_000));
    const left = await withSystem(orch.database.db, { role: orch.roles.systemRole }, (trx) =>
      sql<{ key: string }>`SELECT key FROM orch.idempotency_keys WHERE tenant_id LIKE 'tenant-p%'`.execute(trx),
    );

    expect(purged).toBe(3);
    expect(left.rows).toEqual([{ key: recent }]);
  });
});
