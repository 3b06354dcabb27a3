import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { withTenant } from '@sms/db';
import { createLocalSecretStore, localSecretStoreTableSql } from '@sms/secrets';
import type { SecretStore } from '@sms/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from '../../src/adapters/callbacks/callback-signature.js';
import { call, validSend } from '../support/http.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';
import { startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';
import { startStubRoutingEngine } from '../support/stub-routing-engine.js';
import type { StubRoutingEngine } from '../support/stub-routing-engine.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A tenant's callback endpoint: answers each request with the next scripted status (the last one repeats). */
async function startReceiver(statuses: readonly number[]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callbacks`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const TENANT = 'tenant-callbacks';
let numbering: StubNumbering;
let routing: StubRoutingEngine;
let database: OrchTestDatabase;
let secrets: SecretStore;
let fixture: OrchestratorFixture;
const receivers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  numbering = await startStubNumbering();
  routing = await startStubRoutingEngine();
  database = await createOrchTestDatabase('orch_callbacks');
  await sql.raw('CREATE SCHEMA callback_secrets').execute(database.database.db);
  await sql.raw(localSecretStoreTableSql('callback_secrets')).execute(database.database.db);
  secrets = createLocalSecretStore({ db: database.database.db, schema: 'callback_secrets', basePath: 'orch', masterKey: randomBytes(32) });
  fixture = await startOrchestratorFixture({
    label: 'orch_callbacks',
    database,
    env: {
      NUMBERING_GRPC_ADDRESS: numbering.address,
      ROUTING_ENGINE_URL: routing.url,
      ORCH_CALLBACK_BASE_DELAY_MS: '20',
      ORCH_CALLBACK_MAX_DELAY_MS: '40',
      ORCH_CALLBACK_MAX_ATTEMPTS: '3',
      ORCH_CALLBACK_SWEEP_INTERVAL_MS: '50',
    },
    overrides: { callbackSecrets: secrets },
  });
});
afterAll(async () => {
  await fixture.close();
  for (const receiver of receivers) await receiver.close();
  await database.cleanup();
  await numbering.stop();
  await routing.stop();
});

async function sendWithCallback(callbackUrl: string): Promise<string> {
  const response = await call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(TENANT), validSend({ callback_url: callbackUrl, client_reference: 'cb-1' }));
  expect(response.statusCode).toBe(202);
  return String(response.body.message_id);
}

async function deliveryOf(messageId: string) {
  const result = await sql<{ state: string; attempts: number; last_status_code: number | null; delivered_at: Date | null; next_attempt_at: Date | null }>`
    SELECT state, attempts, last_status_code, delivered_at, next_attempt_at FROM orch.callback_deliveries WHERE message_id = ${messageId}`.execute(database.database.db);
  return result.rows;
}

describe('tenant status callbacks', () => {
  it('posts a status change to the callback URL with a valid signature of the tenant secret', async () => {
    const receiver = await startReceiver([200]);
    receivers.push(receiver);

    const messageId = await sendWithCallback(receiver.url);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

    const first = receiver.received[0];
    const stored = await secrets.get(`tenants/${TENANT}/callback-secret`);
    const secret = Buffer.from(stored?.['secret'] ?? '', 'hex');
    expect(secret).toHaveLength(32);
    expect(verifyCallbackSignature(secret, String(first?.headers['x-signature']), first?.body ?? '')).toBe(true);
    expect(JSON.parse(first?.body ?? '{}')).toMatchObject({ message_id: messageId, client_reference: 'cb-1', previous_status: 'accepted' });
    await expect.poll(async () => (await deliveryOf(messageId))[0]?.state).toBe('delivered');
  });

  it('delivers on the third attempt to a receiver that answers 500 twice then 200', async () => {
    const receiver = await startReceiver([500, 500, 200]);
    receivers.push(receiver);

    const messageId = await sendWithCallback(receiver.url);

    await expect.poll(async () => (await deliveryOf(messageId))[0], { timeout: 10_000 }).toMatchObject({ state: 'delivered', attempts: 3, last_status_code: 200 });
    expect(receiver.received).toHaveLength(3);
  });

  it('records the delivery as failed after the attempt limit when the receiver never succeeds', async () => {
    const receiver = await startReceiver([503]);
    receivers.push(receiver);

    const messageId = await sendWithCallback(receiver.url);

    await expect.poll(async () => (await deliveryOf(messageId))[0], { timeout: 10_000 }).toMatchObject({ state: 'failed', attempts: 3, last_status_code: 503, next_attempt_at: null, delivered_at: null });
    expect(receiver.received).toHaveLength(3);
    expect(await fixture.registry.getSingleMetricAsString('orch_callback_attempts_total')).toMatch(/orch_callback_attempts_total\{[^}]*outcome="failed"[^}]*\} [1-9]/);
  });

  it('does not follow a redirect', async () => {
    const target = await startReceiver([200]);
    const redirecting = createServer((_request, response) => {
      response.writeHead(307, { location: target.url });
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    receivers.push(target, { close: () => new Promise((resolve) => redirecting.close(() => resolve())) });
    const { port } = redirecting.address() as AddressInfo;

    const messageId = await sendWithCallback(`http://127.0.0.1:${port}/cb`);

    await expect.poll(async () => (await deliveryOf(messageId))[0], { timeout: 10_000 }).toMatchObject({ state: 'failed', last_status_code: 307 });
    expect(target.received).toHaveLength(0);
  });

  it('shows a tenant its own deliveries only (row-level security)', async () => {
    const visible = (tenantId: string) =>
      withTenant(database.database.db, { tenantId, role: database.roles.appRole }, async (trx) => {
        const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.callback_deliveries`.execute(trx);
        return result.rows[0]?.n ?? 0;
      });

    expect(await visible(TENANT)).toBeGreaterThan(0);
    expect(await visible('tenant-someone-else')).toBe(0);
  });

  it('never writes the signing secret to the logs', async () => {
    const stored = await secrets.get(`tenants/${TENANT}/callback-secret`);

    expect(stored?.['secret']).toMatch(/^[0-9a-f]{64}$/);
    expect(fixture.logLines.some((line) => line.includes(stored?.['secret'] ?? '<none>'))).toBe(false);
  });
});
