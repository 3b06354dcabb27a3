import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { credentials } from '@grpc/grpc-js';
import type { DeliveredMessage, Subscription } from '@sms/bus';
import { ManualClock, uuidv7 } from '@sms/kernel';
import { decodeEnvelope } from '@sms/outbox';
import { uniqueName } from '@sms/testing';
import { createNumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import { RedisLeaseCache } from '../../src/adapters/redis/redis-lease.cache.js';
import { startNumberingServiceFixture, T0 } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { insertNumbers, seedCatalog } from '../support/postgres-world.js';
import type { SeededCatalog } from '../support/postgres-world.js';
import { startPrivateRedis } from '../support/private-redis-server.js';
import type { PrivateRedis } from '../support/private-redis-server.js';

const ACME = 'tenant-acme';

describe('numbering-service started as the runtime starts it (PostgreSQL, NATS, Redis)', () => {
  let redis: PrivateRedis;
  let fixture: NumberingServiceFixture;
  let catalog: SeededCatalog;
  let subscription: Subscription;
  const delivered: DeliveredMessage[] = [];
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    fixture = await startNumberingServiceFixture('numbering_service', {
      cache: new RedisLeaseCache({ url: redis.url, keyPrefix: 'numbering:', commandTimeoutMs: 200 }),
      clock,
    });
    catalog = await seedCatalog(fixture.runtime.useCases, fixture.clock, [ACME]);
    subscription = await fixture.nats.bus.subscribe({ durable: uniqueName('collector'), subjects: [`${fixture.nats.subjectPrefix}numbering.>`] }, (message) => {
      delivered.push(message);
      return Promise.resolve();
    });
  });
  afterAll(async () => {
    await subscription.stop();
    await fixture.cleanup();
    await redis.dispose();
  });

  const reserveAndAssign = async (number: string): Promise<void> => {
    const token = await fixture.auth.tenant(ACME);
    const headers = () => ({ authorization: `Bearer ${token}`, 'x-tenant-id': ACME, 'idempotency-key': uuidv7() });
    const reserved = await fixture.app.inject({ method: 'POST', url: '/v1/tenant/reservations', headers: headers(), payload: { number, tenantPoolId: catalog.tenantPools[ACME] } });
    const assigned = await fixture.app.inject({ method: 'POST', url: `/v1/tenant/numbers/${encodeURIComponent(number)}/assign`, headers: headers(), payload: { uses: ['otp'] } });
    if (reserved.statusCode !== 201 || assigned.statusCode !== 200) throw new Error(`arrange: ${reserved.body} ${assigned.body}`);
  };

  it('publishes each change to NATS through the outbox, in order per number', async () => {
    const [number] = await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, ['+93709990001']);
    await reserveAndAssign(number?.value ?? '');

    await vi.waitFor(
      () => {
        const mine = delivered
          .map((m) => decodeEnvelope(m.payload))
          .flatMap((d) => (d.ok && d.value.aggregateId === number?.id ? [d.value.type] : []));
        expect(mine).toEqual(['numbering.number.reserved.v1', 'numbering.lease.assigned.v1']);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('answers ValidateLease on its own gRPC port', async () => {
    const [number] = await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, ['+93709990002']);
    await reserveAndAssign(number?.value ?? '');
    const client = createNumberingClient(`127.0.0.1:${fixture.runtime.grpcPort ?? 0}`, credentials.createInsecure(), {
      token: await fixture.auth.service('sms-orchestrator'),
    });

    const answers = [
      await client.validateLease({ sender: number?.value ?? '', tenantId: ACME, use: 'otp' }),
      await client.validateLease({ sender: number?.value ?? '', tenantId: ACME, use: 'promotional' }),
    ];
    client.close();

    expect(answers.map((a) => [a.valid, a.reason])).toEqual([
      [true, ''],
      [false, 'use_not_permitted'],
    ]);
  });

  it('exposes its metrics on /metrics', async () => {
    const text = (await fixture.app.inject({ method: 'GET', url: '/metrics' })).body;

    expect(
      [
        'numbering_grpc_request_duration_seconds_bucket',
        'numbering_validate_lease_total',
        'numbering_command_outcomes_total',
        'numbering_outbox_pending_events',
        'numbering_inventory_available_numbers',
        'numbering_overdue_quarantines',
        'numbering_job_runs_total',
        'numbering_lease_renewal_failures_total',
      ].filter((name) => !text.includes(name)),
    ).toEqual([]);
  });

  it('expires an overdue reservation through its scheduler and publishes the expiry to NATS once', async () => {
    const [number] = await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, ['+93709990009']);
    const actor = { role: 'tenant', id: 'user-acme', tenantId: ACME } as const;
    const reserved = await fixture.runtime.useCases.forActor(actor).reserve.execute({
      actor,
      idempotencyKey: uuidv7(),
      number: number?.value ?? '',
      tenantId: ACME,
      tenantPoolId: catalog.tenantPools[ACME] ?? '',
      ttlSeconds: 60,
    });
    if (!reserved.ok) throw new Error(`arrange: ${reserved.error.code}`);
    clock.advance(2 * 60_000);

    await Promise.all([fixture.runtime.scheduler.runOnce('reservation-expiry'), fixture.runtime.scheduler.runOnce('reservation-expiry')]);

    await vi.waitFor(
      () => {
        const expired = delivered
          .map((m) => decodeEnvelope(m.payload))
          .filter((d) => d.ok && d.value.aggregateId === number?.id && d.value.type === 'numbering.reservation.expired.v1');
        expect(expired).toHaveLength(1);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('reports ready, then degraded (not down) while Redis is down, and ValidateLease keeps answering', async () => {
    const [number] = await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, ['+93709990003']);
    await reserveAndAssign(number?.value ?? '');
    const ready = await fixture.app.inject({ method: 'GET', url: '/health/ready' });

    await redis.kill();
    const degraded = await fixture.app.inject({ method: 'GET', url: '/health/ready' });
    const validation = await fixture.runtime.useCases.validateLease.execute({ sender: number?.value ?? '', tenantId: ACME, use: 'otp' });

    expect([ready.statusCode, ready.json<{ status: string }>().status]).toEqual([200, 'ok']);
    expect([degraded.statusCode, degraded.json()]).toMatchObject([
      200,
      { status: 'degraded', checks: expect.arrayContaining([expect.objectContaining({ name: 'lease-cache', status: 'degraded', critical: false })]) as unknown },
    ]);
    expect(validation.ok && [validation.value.verdict.valid, validation.value.cache]).toEqual([true, 'unavailable']);
  });
});
