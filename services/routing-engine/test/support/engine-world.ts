import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { DevSigner, JwtVerifier } from '@sms/auth';
import type { Bus } from '@sms/bus';
import { createDatabase } from '@sms/db';
import type { Database } from '@sms/db';
import { createHttpApp } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { systemClock } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { encodeEnvelope } from '@sms/outbox';
import { createMigratedDatabase, natsBusFixture } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { startRoutingEngine } from '../../src/adapters/composition.js';
import type { RoutingEngineRuntime } from '../../src/adapters/composition.js';
import { registerRouteApi } from '../../src/adapters/http/route-api.routes.js';

export const SCHEMA = 'routing';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A fresh database with run-unique roles, a private NATS stream and subject prefix, and a dev token signer. */
export interface RoutingWorld {
  readonly fresh: FreshDatabase;
  readonly database: Database<unknown>;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  readonly bus: Bus;
  readonly prefix: string;
  readonly signer: DevSigner;
  readonly verifier: JwtVerifier;
  /** Publishes an envelope on `<prefix>.<type>`, as operator-management's relay would. */
  publish(envelope: EventEnvelope): Promise<void>;
  migrate(direction: 'up' | 'down', steps?: number): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** One engine instance (as one process would be) on the world's database and bus. */
export interface EngineInstance {
  readonly app: HttpApp;
  readonly runtime: RoutingEngineRuntime;
  readonly registry: Registry;
  stop(): Promise<void>;
}

export async function createRoutingWorld(label: string, options: { readonly migrate?: boolean } = {}): Promise<RoutingWorld> {
  const db = await createMigratedDatabase({ label, schema: SCHEMA, migrationsDir: MIGRATIONS_DIR, rolePrefix: 'routing', poolMax: 5, ...options });
  const { fresh, database, roles } = db;
  const nats = await natsBusFixture(label);
  const { bus, subjectPrefix: prefix } = nats;
  const keyDir = await mkdtemp(join(tmpdir(), 'routing-keys-'));
  const signer = await createDevSigner({ keyDir });
  const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });

  return {
    fresh,
    database,
    roles,
    bus,
    prefix,
    signer,
    verifier,
    async publish(envelope) {
      await bus.publish(`${prefix}.${envelope.type}`, encodeEnvelope(envelope), { msgId: envelope.id });
    },
    migrate: (direction, steps) => db.migrate(direction, steps),
    async cleanup() {
      await nats.cleanup();
      await db.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}

/** Starts an engine instance the way service.ts does, with its own pool, registry and HTTP app. */
export async function startEngine(world: RoutingWorld, options: { readonly durable?: string; readonly reloadIntervalMs?: number } = {}): Promise<EngineInstance> {
  const database = createDatabase<unknown>({ url: world.fresh.url, poolMax: 5, applicationName: 'routing-engine' });
  const logger = createLogger({ service: 'routing-engine', level: 'silent' });
  const registry = new Registry();
  const runtime = await startRoutingEngine({
    db: database.db,
    schema: SCHEMA,
    systemRole: world.roles.systemRole,
    bus: world.bus,
    clock: systemClock,
    random: Math.random,
    logger,
    registry,
    subjectPrefix: world.prefix,
    durable: options.durable ?? `${world.prefix}_engine`,
    reloadIntervalMs: options.reloadIntervalMs ?? 0,
  });
  const app = await createHttpApp({ service: 'routing-engine', version: '0.0.0', logger, registry, readiness: [...runtime.readiness] });
  registerRouteApi(app, () => ({
    resolveRoute: runtime.resolveRoute,
    verifier: world.verifier,
    metrics: runtime.metrics,
    elapsedSeconds: (startedAt) => Number(process.hrtime.bigint() - startedAt) / 1e9,
  }));
  await app.ready();
  return {
    app,
    runtime,
    registry,
    async stop() {
      await app.close();
      for (const step of runtime.closers) await step.close();
      await database.close();
    },
  };
}

/** Polls `check` until it passes or `timeoutMs` runs out (then its last failure is thrown). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
