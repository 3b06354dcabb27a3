import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import type { Subscription } from '@sms/bus';
import { systemClock, uuidv7, uuidv7Generator } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { decodeEnvelope, encodeEnvelope } from '@sms/outbox';
import { createMigratedDatabase, natsBusFixture, uniqueName } from '@sms/testing';
import type { MigratedDatabase, NatsBusFixture } from '@sms/testing';
import { ConfigCredentialsProvider } from '../../src/adapters/smpp/config-credentials.provider.js';
import type { SmppConnectionSettings } from '../../src/adapters/smpp/smpp-connection.js';
import { SmscSimulator } from '../../src/adapters/simulator/smsc-simulator.js';
import type { SmscSimulatorOptions } from '../../src/adapters/simulator/smsc-simulator.js';
import type { DeliveryStatusData } from '../../src/domain/delivery-status-event.js';
import { createSmppGateway } from '../../src/smpp-gateway.js';
import type { SmppGateway, SmppGatewayDependencies } from '../../src/smpp-gateway.js';

export const SCHEMA = 'smpp';
export const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A fresh database with the smpp schema, under roles unique to this run. */
export type GatewayDatabase = MigratedDatabase;

export function createGatewayDatabase(label: string, options: { readonly migrate?: boolean } = {}): Promise<GatewayDatabase> {
  return createMigratedDatabase({ label, schema: SCHEMA, migrationsDir, rolePrefix: 'smpp', ...options });
}

export interface GatewayFixture {
  readonly db: GatewayDatabase;
  readonly nats: NatsBusFixture;
  readonly simulator: SmscSimulator;
  readonly gateway: SmppGateway;
  readonly connectionId: string;
  /** Status events published by the gateway, in arrival order. */
  readonly statuses: Array<EventEnvelope<DeliveryStatusData>>;
  /** Publishes an `sms.outbound.requested.v1` as the orchestrator would; resolves with the message id. */
  send(overrides?: Partial<OutboundData>): Promise<string>;
  /** Resolves once `predicate` holds for the collected statuses (polls; fails after `timeoutMs`). */
  waitFor(predicate: (statuses: ReadonlyArray<EventEnvelope<DeliveryStatusData>>) => boolean, timeoutMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

export interface OutboundData {
  readonly messageId: string;
  readonly tenantId: string;
  readonly from: string;
  readonly fromType: 'msisdn' | 'short_code';
  readonly to: string;
  readonly body: string;
  readonly encoding: 'GSM-7' | 'UCS-2';
  readonly segments: number;
  readonly operatorId: string;
  readonly connectionId: string;
  readonly validityPeriodSeconds: number;
  readonly expiresAt: string;
  readonly attempt: number;
  readonly clientReference: string | null;
  readonly requestedAt: string;
}

export interface GatewayFixtureOptions {
  readonly simulator?: Partial<SmscSimulatorOptions>;
  readonly connection?: Partial<SmppConnectionSettings>;
  readonly settings?: Partial<SmppGatewayDependencies['settings']>;
}

export async function startGatewayFixture(label: string, options: GatewayFixtureOptions = {}): Promise<GatewayFixture> {
  const db = await createGatewayDatabase(label);
  const nats = await natsBusFixture(label);
  const credentials = { systemId: 'platform', password: uniqueName('pw') };
  const simulator = new SmscSimulator({ ...credentials, ...options.simulator });
  await simulator.start();
  const connectionId = 'roshan-smpp-1';
  const connection: SmppConnectionSettings = {
    connectionId,
    operatorId: 'roshan',
    host: '127.0.0.1',
    port: simulator.port,
    windowSize: 10,
    throughputPerSecond: 500,
    enquireLinkIntervalMs: 30_000,
    responseTimeoutMs: 2_000,
    bindWaitMs: 5_000,
    rebindBackoff: { initialDelayMs: 50, maxDelayMs: 500, multiplier: 2 },
    idForms: 'same',
    ...options.connection,
  };
  const gateway = createSmppGateway({
    db: db.database.db,
    listenPool: db.database.pool,
    schema: SCHEMA,
    systemRole: db.roles.systemRole,
    bus: nats.bus,
    subjectPrefix: nats.subjectPrefix,
    connections: [connection],
    credentials: new ConfigCredentialsProvider([{ connectionId, ...credentials, systemType: '' }]),
    clock: systemClock,
    ids: uuidv7Generator,
    logger: createLogger({ service: 'smpp-gateway-test', level: (process.env.SMPP_TEST_LOG ?? 'silent') as 'silent' }),
    registry: new Registry(),
    settings: {
      outboundConcurrency: 4,
      relayPollIntervalMs: 100,
      outboundBackoffMs: [100, 200, 500],
      outboundMaxDeliver: 20,
      retryPolicy: { maxAttempts: 6, initialDelayMs: 50, maxDelayMs: 500, multiplier: 2 },
      unmatchedReceiptDelayMs: 50,
      ...options.settings,
    },
  });
  const statuses: Array<EventEnvelope<DeliveryStatusData>> = [];
  const collector: Subscription = await nats.bus.subscribe({ durable: uniqueName('status_collector'), subjects: [gateway.subjects.deliveryStatus] }, (message) => {
    const decoded = decodeEnvelope(message.payload);
    if (decoded.ok) statuses.push(decoded.value as EventEnvelope<DeliveryStatusData>);
    return Promise.resolve();
  });
  await gateway.start();
  return {
    db,
    nats,
    simulator,
    gateway,
    connectionId,
    statuses,
    async send(overrides = {}) {
      const now = new Date();
      const data: OutboundData = {
        messageId: uuidv7(),
        tenantId: 'acme',
        from: '4455',
        fromType: 'short_code',
        to: '+93791234567',
        body: 'Your code is 482913',
        encoding: 'GSM-7',
        segments: 1,
        operatorId: 'roshan',
        connectionId,
        validityPeriodSeconds: 86_400,
        expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
        attempt: 1,
        clientReference: null,
        requestedAt: now.toISOString(),
        ...overrides,
      };
      const envelope: EventEnvelope<OutboundData> = {
        id: uuidv7(),
        type: 'sms.outbound.requested.v1',
        aggregateType: 'sms-message',
        aggregateId: data.messageId,
        tenantId: data.tenantId,
        occurredAt: now.toISOString(),
        data,
      };
      await nats.bus.publish(gateway.subjects.outbound, encodeEnvelope(envelope), { msgId: envelope.id });
      return data.messageId;
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(statuses)) {
        if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; statuses: ${JSON.stringify(statuses.map((s) => s.data.status))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async cleanup() {
      await gateway.stop();
      await collector.stop();
      await simulator.stop();
      await nats.cleanup();
      await db.cleanup();
    },
  };
}

/** Final statuses per message id. */
export function finalStatuses(statuses: ReadonlyArray<EventEnvelope<DeliveryStatusData>>): Map<string, string[]> {
  const byMessage = new Map<string, string[]>();
  for (const status of statuses) {
    if (status.data.status === 'submitted') continue;
    byMessage.set(status.data.messageId, [...(byMessage.get(status.data.messageId) ?? []), status.data.status]);
  }
  return byMessage;
}
