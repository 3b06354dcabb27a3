import { sql } from 'kysely';
import { withSystem, withTenant } from '@sms/db';
import { uuidv7 } from '@sms/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdTime } from '../../src/adapters/postgres/message-id-time.js';
import { PostgresMessageRepository } from '../../src/adapters/postgres/postgres-message.repository.js';
import type { SmsMessage } from '../../src/domain/sms-message.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';
import { newMessage } from '../support/stored-messages.js';

let orch: OrchTestDatabase;

beforeAll(async () => {
  orch = await createOrchTestDatabase('orch_repo');
});
afterAll(async () => {
  await orch.cleanup();
});

const inTenant = <T>(tenantId: string, fn: (repo: PostgresMessageRepository) => Promise<T>): Promise<T> =>
  withTenant(orch.database.db, { tenantId, role: orch.roles.appRole }, (trx) => fn(new PostgresMessageRepository(trx, orch.schema)));

const routed = (message: SmsMessage, at: Date): SmsMessage => {
  const result = message.markRouted({ operatorId: 'roshan', connectionId: 'roshan-1' }, 1, at);
  if (!result.ok) throw new Error(result.error.message);
  return message;
};

describe('PostgresMessageRepository', () => {
  it('stores a message and finds it by id with every field and its history', async () => {
    const message = newMessage('tenant-a', new Date(), { callbackUrl: 'https://example.org/cb', validityPeriod: 3600 });
    await inTenant('tenant-a', (repo) => repo.insert([message]));

    const found = await inTenant('tenant-a', (repo) => repo.findById(message.id));

    expect(found?.toSnapshot()).toEqual(message.toSnapshot());
  });

  it('answers null for an id that is not a UUIDv7', async () => {
    const found = await inTenant('tenant-a', (repo) => repo.findById('not-a-uuid'));

    expect(found).toBeNull();
  });

  it('does not find a message of another tenant', async () => {
    const message = newMessage('tenant-a');
    await inTenant('tenant-a', (repo) => repo.insert([message]));

    const found = await inTenant('tenant-b', (repo) => repo.findById(message.id));

    expect(found).toBeNull();
  });

  it('does not update a message of another tenant', async () => {
    const message = newMessage('tenant-a');
    await inTenant('tenant-a', (repo) => repo.insert([message]));
    const hijack = routed((await inTenant('tenant-a', (repo) => repo.findById(message.id)))!, new Date());

    const updated = await inTenant('tenant-b', (repo) => repo.update(hijack));
    const stored = await inTenant('tenant-a', (repo) => repo.findById(message.id));

    expect(updated).toBe(false);
    expect(stored?.status).toBe('accepted');
  });

  it('refuses to insert a message for another tenant than the transaction', async () => {
    const message = newMessage('tenant-a');

    await expect(inTenant('tenant-b', (repo) => repo.insert([message]))).rejects.toThrow(/row-level security/);
  });

  it('updates with compare-and-swap: the second writer of one version loses', async () => {
    const message = newMessage('tenant-a');
    await inTenant('tenant-a', (repo) => repo.insert([message]));
    const first = routed((await inTenant('tenant-a', (repo) => repo.findById(message.id)))!, new Date());
    const second = routed((await inTenant('tenant-a', (repo) => repo.findById(message.id)))!, new Date());

    const firstWins = await inTenant('tenant-a', (repo) => repo.update(first));
    const secondWins = await inTenant('tenant-a', (repo) => repo.update(second));
    const stored = await inTenant('tenant-a', (repo) => repo.findById(message.id));

    expect([firstWins, secondWins]).toEqual([true, false]);
    expect(stored?.version).toBe(1);
    expect(stored?.status).toBe('routed');
    expect(stored?.history.map((h) => h.status)).toEqual(['accepted', 'routed']);
  });

  it('stores a bulk of messages in one statement', async () => {
    const messages = Array.from({ length: 250 }, () => newMessage('tenant-bulk'));
    await inTenant('tenant-bulk', (repo) => repo.insert(messages));

    const count = await withTenant(orch.database.db, { tenantId: 'tenant-bulk', role: orch.roles.appRole }, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.sms_messages`.execute(trx),
    );

    expect(count.rows[0]?.n).toBe(250);
  });

  it('keeps a partition queried by name under row-level security', async () => {
    const message = newMessage('tenant-a');
    await inTenant('tenant-a', (repo) => repo.insert([message]));
    const partition = `sms_messages_p${messageIdTime(message.id)!.toISOString().slice(0, 10).replaceAll('-', '')}`;

    const seenByOther = await withTenant(orch.database.db, { tenantId: 'tenant-b', role: orch.roles.appRole }, (trx) =>
      sql<{ id: string }>`SELECT id FROM ${sql.table(`orch.${partition}`)} WHERE id = ${message.id}`.execute(trx),
    );
    const seenByOwner = await withTenant(orch.database.db, { tenantId: 'tenant-a', role: orch.roles.appRole }, (trx) =>
      sql<{ id: string }>`SELECT id FROM ${sql.table(`orch.${partition}`)} WHERE id = ${message.id}`.execute(trx),
    );

    expect(seenByOther.rows).toEqual([]);
    expect(seenByOwner.rows).toEqual([{ id: message.id }]);
  });

  it('refuses a created_at that is not the time in the id', async () => {
    const id = uuidv7();

    await expect(
      withSystem(orch.database.db, { role: orch.roles.systemRole }, (trx) =>
        sql`INSERT INTO orch.sms_messages (id, created_at, tenant_id, to_msisdn, from_value, from_kind, body, encoding, segment_count,
              validity_period_seconds, status, status_history, accepted_at, updated_at, expires_at, version)
            VALUES (${id}, ${new Date(Date.now() - 86_400_000)}, 't', '+93791234567', '+93701234567', 'msisdn', 'x', 'GSM-7', 1,
              3600, 'accepted', '[]', now(), now(), now(), 0)`.execute(trx),
      ),
    ).rejects.toThrow(/sms_messages_created_at_is_id_time/);
  });

  it('stores a message of a day without partition in the default partition, and moves it when the partition is created', async () => {
    const farFuture = new Date(Date.UTC(2031, 4, 17, 12));
    const message = newMessage('tenant-a', farFuture);
    await inTenant('tenant-a', (repo) => repo.insert([message]));
    const before = await sql<{ part: string }>`SELECT tableoid::regclass::text AS part FROM orch.sms_messages WHERE id = ${message.id}`.execute(orch.database.db);

    await sql`SELECT orch.ensure_sms_messages_partition('2031-05-17')`.execute(orch.database.db);
    const after = await sql<{ part: string }>`SELECT tableoid::regclass::text AS part FROM orch.sms_messages WHERE id = ${message.id}`.execute(orch.database.db);
    const found = await inTenant('tenant-a', (repo) => repo.findById(message.id));

    expect(before.rows).toEqual([{ part: 'orch.sms_messages_default' }]);
    expect(after.rows).toEqual([{ part: 'orch.sms_messages_p20310517' }]);
    expect(found?.id).toBe(message.id);
  });
});
