import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createDatabase } from '@sms/db';
import type { Database } from '@sms/db';
import { systemClock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createLocalSecretStore, localSecretStoreTableSql } from '@sms/secrets';
import type { SecretStore } from '@sms/secrets';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallbackDispatcher } from '../../src/adapters/callbacks/callback-dispatcher.js';
import type { CallbackRetrySettings } from '../../src/adapters/callbacks/callback-dispatcher.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';

const TENANT = 'tenant-callback-replicas';

/** A callback endpoint counting the POSTs of each event (by the body's message id); each answer may be scripted. */
interface Receiver {
  readonly url: string;
  readonly posts: Map<string, number>;
  answer(decide: (messageId: string, nth: number) => { status: number; delayMs: number }): void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const posts = new Map<string, number>();
  let decide = (_messageId: string, _nth: number) => ({ status: 200, delayMs: 10 });
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const messageId = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message_id: unknown }).message_id);
      const nth = (posts.get(messageId) ?? 0) + 1;
      posts.set(messageId, nth);
      const answer = decide(messageId, nth);
      setTimeout(() => {
        response.statusCode = answer.status;
        response.end();
      }, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    posts,
    answer(next) {
      decide = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let database: OrchTestDatabase;
let secrets: SecretStore;
let receiver: Receiver;
// Each "replica" has its own pool, as two processes would.
const pools: Database<unknown>[] = [];

const retry: CallbackRetrySettings = { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 5, timeoutMs: 5_000 };

function replica(options: { readonly claimMs?: number } = {}): CallbackDispatcher {
  const pool = createDatabase<unknown>({ url: database.url, poolMax: 4 });
  pools.push(pool);
  return new CallbackDispatcher({
    db: pool.db,
    schema: 'orch',
    systemRole: database.roles.systemRole,
    secretStore: () => secrets,
    clock: systemClock,
    logger: createLogger({ service: 'sms-orchestrator', level: 'silent' }),
    urlPolicy: { allowLoopbackHttp: true },
    retry,
    ...(options.claimMs !== undefined ? { claimMs: options.claimMs } : {}),
  });
}

/** Pending deliveries due now, one per (new) message; answers the message ids. */
async function pendingDeliveries(count: number): Promise<string[]> {
  const messageIds = Array.from({ length: count }, () => randomUUID());
  const now = new Date();
  for (const messageId of messageIds) {
    await sql`INSERT INTO orch.callback_deliveries (event_id, tenant_id, message_id, callback_url, body, state, attempts, next_attempt_at, created_at, updated_at)
      VALUES (${randomUUID()}, ${TENANT}, ${messageId}, ${receiver.url}, ${JSON.stringify({ message_id: messageId, status: 'delivered' })}, 'pending', 0, ${now}, ${now}, ${now})`.execute(
      database.database.db,
    );
  }
  return messageIds;
}

async function deliveryOf(messageId: string): Promise<{ state: string; attempts: number; last_status_code: number | null }> {
  const result = await sql<{ state: string; attempts: number; last_status_code: number | null }>`
    SELECT state, attempts, last_status_code FROM orch.callback_deliveries WHERE message_id = ${messageId}`.execute(database.database.db);
  return result.rows[0]!;
}

beforeAll(async () => {
  database = await createOrchTestDatabase('orch_cb_replicas');
  await sql.raw('CREATE SCHEMA callback_secrets').execute(database.database.db);
  await sql.raw(localSecretStoreTableSql('callback_secrets')).execute(database.database.db);
  secrets = createLocalSecretStore({ db: database.database.db, schema: 'callback_secrets', basePath: 'orch', masterKey: randomBytes(32) });
  receiver = await startReceiver();
});
beforeEach(async () => {
  receiver.answer(() => ({ status: 200, delayMs: 10 }));
  // Each test starts with no delivery due.
  await sql`DELETE FROM orch.callback_deliveries`.execute(database.database.db);
});
afterAll(async () => {
  await receiver?.close();
  for (const pool of pools) await pool.close();
  await database?.cleanup();
});

describe('status callback sweepers of several replicas', () => {
  it('share the due deliveries between two sweeps running at once and post each one once', async () => {
    const messageIds = await pendingDeliveries(20);
    const [a, b] = [replica(), replica()];

    const [sweptByA, sweptByB] = await Promise.all([a.sweep(10), b.sweep(10)]);

    // Each claimed ten (the other's rows are skipped, not waited for), so together they covered all twenty.
    expect([sweptByA.attempted, sweptByB.attempted]).toEqual([10, 10]);
    expect(sweptByA.delivered + sweptByB.delivered).toBe(20);
    expect(messageIds.map((id) => receiver.posts.get(id) ?? 0)).toEqual(messageIds.map(() => 1));
    for (const id of messageIds) expect(await deliveryOf(id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('does not post a delivery that another replica is posting, even when both sweep repeatedly', async () => {
    const messageIds = await pendingDeliveries(12);
    receiver.answer(() => ({ status: 200, delayMs: 30 }));
    const replicas = [replica(), replica(), replica()];

    await Promise.all(replicas.map((r) => Promise.all([r.sweep(3), r.sweep(3), r.sweep(3), r.sweep(3)])));

    expect(messageIds.map((id) => receiver.posts.get(id) ?? 0)).toEqual(messageIds.map(() => 1));
  });

  it('keeps the result of the replica that claimed a delivery again when the first one outlived its claim', async () => {
    const [messageId] = await pendingDeliveries(1);
    // The first POST hangs past the first replica's short claim, then fails; the second succeeds at once.
    receiver.answer((_id, nth) => (nth === 1 ? { status: 500, delayMs: 600 } : { status: 200, delayMs: 0 }));
    const slow = replica({ claimMs: 100 });
    const other = replica();

    const slowAttempt = slow.sweep();
    await expect.poll(() => receiver.posts.get(messageId!) ?? 0, { timeout: 5_000, interval: 5 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const takenOver = await other.sweep();
    await slowAttempt;

    expect(takenOver).toEqual({ attempted: 1, delivered: 1 });
    // Posted twice (at least once is the promise), recorded once: the late failure did not overwrite the success.
    expect(receiver.posts.get(messageId!)).toBe(2);
    expect(await deliveryOf(messageId!)).toMatchObject({ state: 'delivered', attempts: 2, last_status_code: 200 });
  });
});
