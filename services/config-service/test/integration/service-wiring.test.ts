import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { DevSigner } from '@sms/auth';
import { createInProcessBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import type { Database } from '@sms/db';
import { createHttpApp, createMetricsRegistry } from '@sms/http';
import type { HttpApp, ReadinessCheck, ShutdownStep } from '@sms/http';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { encodeEnvelope } from '@sms/outbox';
import { runtimeEnv } from '@sms/runtime';
import type { Infrastructure } from '@sms/runtime';
import { configService } from '../../src/service.js';
import { createConfigDatabase } from '../support/config-database.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';
import { eventually, tenantEvent } from '../support/service-fixture.js';

/**
 * The ServiceDefinition of src/service.ts started as the runtime starts it (embedded flavour: the
 * in-process bus and the in-memory resolution cache; PostgreSQL is real): its routes answer with
 * tokens of the embedded dev key, its inbox consumes tenant events, readiness reports its checks,
 * and its closers stop it.
 */
describe('config-service started through its ServiceDefinition', () => {
  let db: ConfigDatabaseFixture;
  let bus: Bus;
  let app: HttpApp;
  let keyDir: string;
  let signer: DevSigner;
  let readiness: ReadinessCheck[];
  let closers: readonly ShutdownStep[];

  beforeAll(async () => {
    db = await createConfigDatabase('cfg_wiring');
    keyDir = await mkdtemp(join(tmpdir(), 'cfg-wiring-'));
    signer = await createDevSigner({ keyDir });
    bus = createInProcessBus();
    const logger = createLogger({ service: 'config-service', level: 'silent' });
    const metrics = createMetricsRegistry('config-service');
    readiness = [];
    app = await createHttpApp({ service: 'config-service', version: configService.apiVersion, logger, registry: metrics, readiness });
    // Only the bus is used by config-service; the other infrastructure ports are not touched.
    const infra = { mode: 'embedded', bus } as unknown as Infrastructure;
    const started = await configService.start({
      app,
      env: runtimeEnv.parse({}),
      infra,
      database: db.database as unknown as Database<unknown>,
      roles: db.roles,
      logger,
      metrics,
      clock: systemClock,
      ids: uuidv7Generator,
      verifier: createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem }),
    });
    readiness.push(...(started.readiness ?? []));
    closers = started.closers ?? [];
    await app.ready();
  });
  afterAll(async () => {
    for (const step of closers) await step.close();
    await app.close();
    await bus.close();
    await db.cleanup();
    await rm(keyDir, { recursive: true, force: true });
  });

  const token = (claims: { subject: string; roles: string[]; tenantId?: string }) => signer.mint(claims);

  it('answers the REST API to a token the runtime’s verifier accepts', async () => {
    const bearer = await token({ subject: 'user:root', roles: ['platform-admin'] });

    const response = await app.inject({ method: 'GET', url: '/v1/resolve?node=/GLOBAL', headers: { authorization: `Bearer ${bearer}` } });

    expect([response.statusCode, response.json<{ values: Record<string, { value: number }> }>().values['sms.max_parts_per_message']?.value]).toEqual([200, 6]);
  });

  it('reports its outbox among the readiness checks', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.json<{ checks: Array<{ name: string; status: string }> }>().checks).toContainEqual(expect.objectContaining({ name: 'outbox', status: 'up' }));
  });

  it('creates a tenant’s node from a tenant.created.v1 event on the bus', async () => {
    const event = tenantEvent('tenant.created.v1', { tenantId: 'tenant-wired', slug: 'wired' });

    await bus.publish('tenant.created.v1', encodeEnvelope(event), { msgId: event.id });

    await eventually(async () => {
      const rows = await db.admin<{ path: string }>(`SELECT path FROM config.config_nodes WHERE tenant_id = 'tenant-wired'`);
      expect(rows).toEqual([{ path: '/GLOBAL/tenant:wired' }]);
    });
  });

  it('publishes its change events on the subject of their type', async () => {
    const received: string[] = [];
    const subscription = await bus.subscribe({ durable: 'wiring-probe', subjects: ['config.node.created.v1'] }, (message) => {
      received.push(message.subject);
      return Promise.resolve();
    });
    const bearer = await token({ subject: 'user:root', roles: ['platform-admin'] });

    await app.inject({
      method: 'POST',
      url: '/v1/nodes',
      headers: { authorization: `Bearer ${bearer}` },
      payload: { parent: '/GLOBAL', level: 'region', name: 'wired', reason: 'probe' },
    });

    await eventually(() => expect(received.length).toBeGreaterThan(0));
    await subscription.stop();
    expect(received[0]).toBe('config.node.created.v1');
  });
});
