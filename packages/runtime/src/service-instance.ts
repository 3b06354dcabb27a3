import type { JwtVerifier } from '@sms/auth';
import { sql } from 'kysely';
import { createDatabase, ensureAppRole, migrate, quoteIdentifier, serviceRoles } from '@sms/db';
import { createHttpApp, createMetricsRegistry } from '@sms/http';
import type { HttpApp, ReadinessCheck, ShutdownStep } from '@sms/http';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { Infrastructure } from './infrastructure.js';
import type { RuntimeEnv } from './runtime-env.js';
import type { ServiceDefinition } from './service-definition.js';

/** One service built on the shared infrastructure, not yet listening. */
export interface ServiceInstance {
  readonly definition: ServiceDefinition;
  readonly app: HttpApp;
  /** Closed after the app: the service's own closers, then its pool. */
  readonly closers: readonly ShutdownStep[];
}

/**
 * Builds one service: its pool, its migrations (when asked), its roles, its HTTP app with the
 * shared readiness checks (database, bus, cache) plus its own, then lets it register routes and
 * start its consumers and jobs.
 */
export async function buildServiceInstance(
  definition: ServiceDefinition,
  infra: Infrastructure,
  env: RuntimeEnv,
  baseLogger: Logger,
  verifier: JwtVerifier,
): Promise<ServiceInstance> {
  const logger = baseLogger.child({ service: definition.name });
  const roles = serviceRoles(definition.schema);
  const database = createDatabase<unknown>({
    url: infra.databaseUrl,
    poolMax: env.DATABASE_POOL_MAX,
    applicationName: definition.name,
  });
  try {
    const migrateOnStart = env.MIGRATE_ON_START ?? infra.mode === 'embedded';
    if (migrateOnStart) {
      // Roles first: policies in the migrations name them. Grants again after, for the new tables.
      await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(definition.schema, 'schema')}`).execute(database.db);
      for (const role of [roles.appRole, roles.systemRole]) {
        await ensureAppRole({ db: database.db, role, schemas: [definition.schema] });
      }
      const result = await migrate({
        db: database.db,
        schema: definition.schema,
        dir: definition.migrationsDir,
        direction: 'up',
        roles: { app_role: roles.appRole, system_role: roles.systemRole },
      });
      if (result.migrations.length > 0) {
        logger.info({ applied: result.migrations.map((m) => `${m.version}_${m.name}`) }, 'migrations applied');
      }
      for (const role of [roles.appRole, roles.systemRole]) {
        await ensureAppRole({ db: database.db, role, schemas: [definition.schema] });
      }
    }

    const readiness: ReadinessCheck[] = [
      { name: 'postgres', check: () => database.ping() },
      { name: 'bus', check: () => infra.bus.ping() },
    ];
    const metrics = createMetricsRegistry(definition.name);
    const app = await createHttpApp({
      service: definition.name,
      version: definition.apiVersion,
      description: definition.description,
      logger,
      readiness,
      registry: metrics,
    });
    const started = await definition.start({
      app,
      env,
      infra,
      database,
      roles,
      logger,
      metrics,
      clock: systemClock,
      ids: uuidv7Generator,
      verifier,
    });
    readiness.push(...(started.readiness ?? []));
    return {
      definition,
      app,
      closers: [...(started.closers ?? []), { name: `${definition.name} postgres pool`, close: () => database.close() }],
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
