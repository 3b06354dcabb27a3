import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { credentials, status } from '@grpc/grpc-js';
import type { Server } from '@grpc/grpc-js';
import { Verifier } from '@pact-foundation/pact';
import type { MessageDescriptor, MessageProvider } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLeaseJson } from '@sms/contracts';
import type { ProtoJsonObject } from '@sms/contracts';
import { ManualClock } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { testServices, uniqueName } from '@sms/testing';
import type { MessageUse } from '../../src/index.js';
import { createNumberingGrpcServer, listenGrpc, shutdownGrpc } from '../../src/adapters/grpc/numbering-grpc.server.js';
import { createNumberingClient, NumberingCallError } from '../../src/adapters/grpc/numbering-contract.js';
import type { NumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import { RedisLeaseCache } from '../../src/adapters/redis/redis-lease.cache.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, T0, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';
import { createTestAuth } from '../support/test-auth.js';
import type { TestAuth } from '../support/test-auth.js';

// Provider side of the orchestrator's ValidateLease contract: the V4 synchronous-message pact its
// consumer test writes (services/sms-orchestrator/test/contract/numbering-validate-lease.pact.test.ts),
// each request and response in the proto3 JSON mapping of sms.numbering.v1. For every interaction the
// provider state is set up through the use cases in a freshly migrated PostgreSQL schema with a Redis
// lease cache of its own; the request is sent over a real gRPC channel to this service's real server,
// with the orchestrator's service token; the answer (or the refusal's status and numbering code) is
// the message the verifier compares with the pact.
const PACT_FILE = fileURLToPath(new URL('../../../sms-orchestrator/pacts/sms-orchestrator-numbering-service.json', import.meta.url));

const TENANT = 'tenant-t';
const OTHER = 'tenant-other';
const SHORT_CODE = '4455';
const DAY = 86_400_000;
const logger = createLogger({ service: 'numbering-pact', level: 'silent' });
const codecs = validateLeaseJson();

const must = <T>(result: Result<T, { code: string; message: string }>, what: string): T => {
  if (!result.ok) throw new Error(`provider state: ${what} failed with ${result.error.code}: ${result.error.message}`);
  return result.value;
};

let fixture: PostgresFixture;
let auth: TestAuth;
let server: Server;
let client: NumberingClient;
let current: { world: PostgresWorld; clock: ManualClock; cache: RedisLeaseCache } | undefined;

/** A fresh schema, clock and Redis lease cache for one interaction; the previous ones are closed. */
async function freshWorld(): Promise<{ world: PostgresWorld; clock: ManualClock }> {
  await current?.cache.close();
  const clock = new ManualClock(T0);
  const cache = new RedisLeaseCache({ url: testServices.redisUrl, keyPrefix: `${uniqueName('numbering_pact')}:`, ttlMs: 60_000 });
  const world = await createPostgresWorld(fixture, { tenants: [TENANT, OTHER], clock, leaseCache: cache });
  current = { world, clock, cache };
  return current;
}

async function lease(world: PostgresWorld, tenantId: string, uses: readonly MessageUse[], termDays?: number): Promise<void> {
  const actor = tenant(tenantId);
  const useCases = world.useCases.forActor(actor);
  const tenantPoolId = world.tenantPools[tenantId] ?? '';
  must(await useCases.reserve.execute({ actor, idempotencyKey: world.key(), number: SHORT_CODE, tenantId, tenantPoolId }), 'reserve');
  must(
    await useCases.assign.execute({ actor, idempotencyKey: world.key(), number: SHORT_CODE, tenantId, uses: [...uses], ...(termDays === undefined ? {} : { termDays }) }),
    'assign',
  );
}

/** A provider state: a fresh world with what the state says in it. */
const state = (setup: (w: { world: PostgresWorld; clock: ManualClock }) => Promise<void>) => async (): Promise<undefined> => {
  await setup(await freshWorld());
  return undefined;
};

const stateHandlers = {
  'short code 4455 is leased to tenant-t for transactional use': state(async ({ world }) => {
    await world.addNumbers([SHORT_CODE]);
    await lease(world, TENANT, ['transactional']);
  }),
  'short code 4455 is available': state(async ({ world }) => {
    await world.addNumbers([SHORT_CODE]);
  }),
  'short code 4455 is quarantined after tenant-t released it': state(async ({ world }) => {
    await world.addNumbers([SHORT_CODE]);
    await lease(world, TENANT, ['transactional']);
    const actor = tenant(TENANT);
    must(await world.useCases.forActor(actor).release.execute({ actor, idempotencyKey: world.key(), number: SHORT_CODE, tenantId: TENANT }), 'release');
  }),
  'short code 4455 is leased to tenant-other': state(async ({ world }) => {
    await world.addNumbers([SHORT_CODE]);
    await lease(world, OTHER, ['transactional']);
  }),
  // The lease is still `assigned` (the renewal job has not run) but its end has passed.
  'the lease of short code 4455 to tenant-t has ended': state(async ({ world, clock }) => {
    await world.addNumbers([SHORT_CODE]);
    await lease(world, TENANT, ['transactional'], 30);
    clock.advance(31 * DAY);
  }),
  'short code 4455 is leased to tenant-t for promotional use only': state(async ({ world }) => {
    await world.addNumbers([SHORT_CODE]);
    await lease(world, TENANT, ['promotional']);
  }),
  'short code 4455 is not in the inventory': state(() => Promise.resolve()),
};

/** The interaction's request, sent to the real server; its answer in proto3 JSON, or the refusal. */
const callValidateLease: MessageProvider = async (descriptor: MessageDescriptor): Promise<ProtoJsonObject> => {
  const request = codecs.request.fromJson(descriptor.content);
  try {
    return codecs.response.toJson(await client.validateLease(request));
  } catch (error) {
    if (!(error instanceof NumberingCallError)) throw error;
    return {
      'grpc-status': status[error.grpcCode],
      ...(error.code === null ? {} : { 'numbering-error-code': error.code }),
      ...(error.field === null ? {} : { 'numbering-error-field': error.field }),
    };
  }
};

beforeAll(async () => {
  fixture = await createPostgresFixture('numbering_pact');
  auth = await createTestAuth();
  await freshWorld();
  server = createNumberingGrpcServer({
    useCases: () => {
      if (current === undefined) throw new Error('no provider state set up');
      return current.world.useCases;
    },
    verifier: auth.verifier,
    logger,
  });
  const port = await listenGrpc(server, '127.0.0.1', 0);
  client = createNumberingClient(`127.0.0.1:${port}`, credentials.createInsecure(), { token: await auth.service('sms-orchestrator'), timeoutMs: 10_000 });
});

afterAll(async () => {
  client.close();
  await shutdownGrpc(server, 2_000);
  await current?.cache.close();
  await auth.cleanup();
  await fixture.close();
});

describe('the ValidateLease contract (provider: numbering-service, consumer: sms-orchestrator)', () => {
  it('answers every interaction of the orchestrator pact from the real gRPC server', async () => {
    expect(existsSync(PACT_FILE)).toBe(true);
    const pact = JSON.parse(await readFile(PACT_FILE, 'utf8')) as { interactions: { description: string; type: string }[] };
    // Every interaction is one ValidateLease call; a new kind of interaction needs a new provider here.
    expect(new Set(pact.interactions.map((i) => i.type))).toEqual(new Set(['Synchronous/Messages']));
    const messageProviders = Object.fromEntries(pact.interactions.map((i) => [i.description, callValidateLease]));

    const output = await new Verifier({
      provider: 'numbering-service',
      pactUrls: [PACT_FILE],
      logLevel: 'error',
      messageProviders,
      stateHandlers,
    }).verifyProvider();

    // verifyProvider rejects on any mismatch; this only shows that it ran.
    expect(typeof output).toBe('string');
  });
});
