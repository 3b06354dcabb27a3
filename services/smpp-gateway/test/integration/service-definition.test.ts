import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { systemClock, uuidv7, uuidv7Generator } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { decodeEnvelope, encodeEnvelope } from '@sms/outbox';
import type { ServiceContext, StartedService } from '@sms/runtime';
import { freePort, uniqueName } from '@sms/testing';
import { smppGatewayService } from '../../src/service.js';
import { createGatewayDatabase } from '../support/gateway-fixture.js';
import type { GatewayDatabase } from '../support/gateway-fixture.js';

// The service definition as the runtime starts it: configuration from the environment, simulators
// on (embedded mode), the in-process bus. Subjects are the production ones, so no NATS here.
let db: GatewayDatabase;
let bus: Bus;
let started: StartedService;
const saved = { ...process.env };

beforeAll(async () => {
  db = await createGatewayDatabase('smpp_service');
  bus = createInProcessBus();
  const port = await freePort();
  process.env.SMPP_SIMULATE = 'true';
  process.env.SMPP_CONNECTIONS = JSON.stringify([
    { connectionId: 'salaam-1', operatorId: 'salaam', host: '127.0.0.1', port, systemId: 'platform', password: uniqueName('p').slice(-9) },
  ]);
  const context = {
    app: { register: () => undefined },
    database: db.database,
    roles: db.roles,
    infra: { bus },
    logger: createLogger({ service: 'smpp-gateway-test', level: 'silent' }),
    metrics: new Registry(),
    clock: systemClock,
    ids: uuidv7Generator,
  } as unknown as ServiceContext;
  started = await smppGatewayService.start(context);
});

afterAll(async () => {
  for (const closer of started.closers ?? []) await closer.close();
  await bus.close();
  await db.cleanup();
  process.env = saved;
});

describe('smpp-gateway service definition', () => {
  it('binds to the configured (simulated) SMSC and reports the bind ready', async () => {
    const checks = started.readiness ?? [];
    expect(checks.map((c) => c.name)).toEqual(['smpp:salaam-1']);
    const deadline = Date.now() + 5_000;
    for (;;) {
      const ready = await checks[0]!.check().then(() => true, () => false);
      if (ready || Date.now() > deadline) {
        expect(ready).toBe(true);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('turns sms.outbound.request into sms.delivery.status events on the production subjects', async () => {
    const statuses: string[] = [];
    const subscription = await bus.subscribe({ durable: uniqueName('status'), subjects: ['sms.delivery.status'] }, (message) => {
      const decoded = decodeEnvelope(message.payload);
      if (decoded.ok) statuses.push((decoded.value.data as { status: string }).status);
      return Promise.resolve();
    });
    const messageId = uuidv7();
    const now = new Date();
    const envelope: EventEnvelope = {
      id: uuidv7(),
      type: 'sms.outbound.requested.v1',
      aggregateType: 'sms-message',
      aggregateId: messageId,
      tenantId: 'demo',
      occurredAt: now.toISOString(),
      data: {
        messageId,
        tenantId: 'demo',
        from: '4455',
        fromType: 'short_code',
        to: '+93741234567',
        body: 'hello',
        encoding: 'GSM-7',
        segments: 1,
        operatorId: 'salaam',
        connectionId: 'salaam-1',
        validityPeriodSeconds: 3600,
        expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
        attempt: 1,
        clientReference: null,
        requestedAt: now.toISOString(),
      },
    };
    await bus.publish('sms.outbound.request', encodeEnvelope(envelope), { msgId: envelope.id });
    const deadline = Date.now() + 10_000;
    while (!statuses.includes('delivered') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await subscription.stop();
    expect(statuses).toEqual(['submitted', 'delivered']);
  });

  it('publishes the bind health on the production subject ops.health.report', async () => {
    const states: string[] = [];
    const subscription = await bus.subscribe({ durable: uniqueName('health'), subjects: ['ops.health.report'] }, (message) => {
      states.push((JSON.parse(new TextDecoder().decode(message.payload)) as { bindState: string }).bindState);
      return Promise.resolve();
    });
    const deadline = Date.now() + 5_000;
    while (!states.includes('bound') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await subscription.stop();
    expect(states.slice(0, 2)).toEqual(['binding', 'bound']);
  });
});
