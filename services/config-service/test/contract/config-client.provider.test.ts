import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { DevSigner } from '@sms/auth';
import type { Subscription } from '@sms/bus';
import { createConfigClient, createHttpConfigTransport, subscribeInvalidations } from '@sms/config-client';
import type { ConfigClient, ConfigClientEvent } from '@sms/config-client';
import { createHttpApp, startHttpServer } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { systemClock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { uniqueName } from '@sms/testing';
import { registerConfigRoutes } from '../../src/adapters/http/config-routes.js';
import { eventually, startServiceFixture } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';

const PARTS = 'sms.max_parts_per_message';
const RATE = 'sms.submit_rate_per_second';
const TENANT = 'tenant-client';
const admin = { id: 'user:root', roles: ['platform-admin'], tenantId: null, service: null };

/**
 * Provider verification of @sms/config-client: the real config-service HTTP app listening on a
 * port (PostgreSQL, Redis and NATS behind it) answers what the client's HTTP transport expects,
 * and a change made in config-service reaches the client through the change events within
 * seconds, although the client's TTL is a minute: how the orchestrator reads its per-tenant limits.
 */
describe('@sms/config-client against the real config-service', () => {
  let service: ServiceFixture;
  let app: HttpApp;
  let baseUrl: string;
  let signer: DevSigner;
  let keyDir: string;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    service = await startServiceFixture('cfg_client', { cache: 'redis' });
    keyDir = await mkdtemp(join(tmpdir(), 'cfg-client-'));
    signer = await createDevSigner({ keyDir });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    app = await createHttpApp({ service: 'config-service', version: 'test', logger: createLogger({ service: 'config-service', level: 'silent' }) });
    registerConfigRoutes(app, () => ({ useCases: service.runtime.useCases, authenticate: authenticate(verifier), metrics: service.runtime.metrics }));
    baseUrl = (await startHttpServer(app, { host: '127.0.0.1', port: 0 })).url;
    const tenant = await service.runtime.useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'tenant', name: 'client', tenantId: TENANT, reason: 'arrange' });
    if (!tenant.ok) throw new Error(tenant.error.message);
  });
  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.stop()));
    await app.close();
    await service.cleanup();
    await rm(keyDir, { recursive: true, force: true });
  });

  /** A tenant of its own per test (under a region of its own), so that no test sees another's changes. */
  let tenants = 0;
  async function newTenant(): Promise<{ tenantId: string; region: string }> {
    tenants += 1;
    const region = `/GLOBAL/region:client${tenants}`;
    const tenantId = `${TENANT}-${tenants}`;
    await service.runtime.useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: `client${tenants}`, reason: 'arrange' });
    const created = await service.runtime.useCases.createNode.execute({ subject: admin, parent: region, level: 'tenant', name: 't', tenantId, reason: 'arrange' });
    if (!created.ok) throw new Error(created.error.message);
    return { tenantId, region };
  }

  /** The orchestrator's client, as its README recipe builds it. */
  async function orchestratorClient(options: { ttlMs?: number; events?: ConfigClientEvent[] } = {}): Promise<ConfigClient> {
    const client = createConfigClient({
      fetchResolved: createHttpConfigTransport({
        baseUrl,
        timeoutMs: 2000,
        token: () => signer.mint({ subject: 'svc:sms-orchestrator', roles: ['service'], serviceName: 'sms-orchestrator', ttlSec: 300 }),
      }),
      ttlMs: options.ttlMs ?? 60_000,
      clock: systemClock,
      onEvent: (event) => options.events?.push(event),
    });
    subscriptions.push(await subscribeInvalidations(service.bus, client, { durable: uniqueName('orch_config'), subjectPrefix: service.prefix }));
    return client;
  }

  it('answers a tenant’s resolution in the shape the client expects, for a tenant, a path and an id reference', async () => {
    const fetchResolved = createHttpConfigTransport({
      baseUrl,
      timeoutMs: 2000,
      token: await signer.mint({ subject: 'svc:sms-orchestrator', roles: ['service'], serviceName: 'sms-orchestrator' }),
    });

    const byTenant = await fetchResolved(`tenant:${TENANT}`);
    const byPath = await fetchResolved('/GLOBAL/tenant:client');

    expect(byTenant).toEqual({ path: '/GLOBAL/tenant:client', tenantId: TENANT, values: { [PARTS]: { value: 6 }, [RATE]: { value: 100 } } });
    expect(byPath).toEqual(byTenant);
  });

  it('reads the maximum parts per message and the submit rate of a tenant, as the orchestrator does', async () => {
    const { tenantId } = await newTenant();
    const client = await orchestratorClient();

    const limits = [await client.get({ tenantId }, PARTS, 6), await client.get({ tenantId }, RATE, 100)];

    expect(limits).toEqual([6, 100]);
  });

  it('sees a change made in config-service within seconds, long before its TTL', async () => {
    const { tenantId } = await newTenant();
    const client = await orchestratorClient({ ttlMs: 60_000 });
    expect(await client.get({ tenantId }, RATE, 100)).toBe(100);
    const changedAt = Date.now();

    const set = await service.runtime.useCases.setValue.execute({ subject: admin, node: `tenant:${tenantId}`, key: RATE, value: 5, reason: 'throttle this tenant' });
    await eventually(async () => expect(await client.get({ tenantId }, RATE, 100)).toBe(5), 5000);

    expect(set.ok).toBe(true);
    expect(Date.now() - changedAt).toBeLessThan(5000);
  });

  it('sees a lock set above the tenant take effect, as the tenant’s value stops counting', async () => {
    const { tenantId, region } = await newTenant();
    const client = await orchestratorClient();
    await service.runtime.useCases.setValue.execute({ subject: admin, node: `tenant:${tenantId}`, key: PARTS, value: 8, reason: 'long messages' });
    await eventually(async () => expect(await client.get({ tenantId }, PARTS, 6)).toBe(8), 5000);

    await service.runtime.useCases.setValue.execute({ subject: admin, node: region, key: PARTS, value: 3, reason: 'regional cap' });
    await service.runtime.useCases.setLock.execute({ subject: admin, node: region, key: PARTS, reason: 'regional cap' });

    await eventually(async () => expect(await client.get({ tenantId }, PARTS, 6)).toBe(3), 5000);
  });

  it('answers the fallback for a tenant config-service does not know, and says why', async () => {
    const events: ConfigClientEvent[] = [];
    const client = await orchestratorClient({ events });

    const value = await client.get({ tenantId: 'tenant-unknown' }, RATE, 42);

    expect(value).toBe(42);
    expect(events.find((e) => e.kind === 'fetch-failed')).toMatchObject({ error: { status: 404, code: 'CONFIG.NODE_NOT_FOUND' } });
  });

  it('is refused (and falls back) with a token config-service does not trust', async () => {
    const events: ConfigClientEvent[] = [];
    const client = createConfigClient({
      fetchResolved: createHttpConfigTransport({ baseUrl, timeoutMs: 2000, token: 'not-a-jwt' }),
      ttlMs: 1000,
      clock: systemClock,
      onEvent: (event) => events.push(event),
    });

    expect(await client.get({ tenantId: TENANT }, PARTS, 6)).toBe(6);
    expect(events.find((e) => e.kind === 'fetch-failed')).toMatchObject({ error: { status: 401 } });
  });
});
