import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { DevSigner, JwtVerifier } from '@sms/auth';
import { connectNatsBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { createDatabase, dropAppRole, ensureAppRole, migrate } from '@sms/db';
import type { Database } from '@sms/db';
import { createHttpApp } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { systemClock } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { encodeEnvelope } from '@sms/outbox';
import { createFreshDatabase, testServices, uniqueName } from '@sms/testing';
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
  const fresh = await createFreshDatabase(label);
  const database = createDatabase<unknown>({ url: fresh.url, poolMax: 5, applicationName: label });
  const roles = { appRole: uniqueName('routing_app'), systemRole: uniqueName('routing_system') };
  const ensureRoles = async (): Promise<void> => {
    await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`).execute(database.db);
    for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [SCHEMA] });
  };
  const runMigrations = async (direction: 'up' | 'down', steps?: number): Promise<string[]> => {
    const result = await migrate({
      db: database.db,
      schema: SCHEMA,
      dir: MIGRATIONS_DIR,
      direction,
      ...(steps === undefined ? {} : { steps }),
      roles: { app_role: roles.appRole, system_role: roles.systemRole },
    });
    await ensureRoles();
    return result.migrations.map((m) => `${m.version}_${m.name}`);
  };
  await ensureRoles();
  if (options.migrate ?? true) await runMigrations('up');

  const prefix = uniqueName(label);
  const stream = uniqueName(`${label}_stream`);
  const deadLetterStream = uniqueName(`${label}_dlq`);
  const bus = await connectNatsBus({
    servers: testServices.natsUrl,
    connectionName: label,
    streams: [{ name: stream, subjects: [`${prefix}.>`] }],
    deadLetter: { stream: deadLetterStream, subjectPrefix: `${prefix}_dlq` },
  });
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
    migrate: runMigrations,
    async cleanup() {
      await bus.close();
      const nc = await connect({ servers: testServices.natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.delete(stream).catch(() => undefined);
        await jsm.streams.delete(deadLetterStream).catch(() => undefined);
      } finally {
        await nc.close();
      }
      await database.close();
      await fresh.drop();
      const admin = createDatabase<unknown>({ url: fresh.url.replace(/\/[^/]+$/, '/postgres'), poolMax: 1 });
      try {
        for (const role of [roles.appRole, roles.systemRole]) await dropAppRole(admin.db, role).catch(() => undefined);
      } finally {
        await admin.close();
      }
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
