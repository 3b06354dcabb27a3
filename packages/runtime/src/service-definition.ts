import type { NatsStreamSpec } from '@sms/bus';
import type { JwtVerifier } from '@sms/auth';
import type { Database } from '@sms/db';
import type { HttpApp, ReadinessCheck, ShutdownStep } from '@sms/http';
import type { Clock, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { Registry } from 'prom-client';
import type { Infrastructure } from './infrastructure.js';
import type { RuntimeEnv } from './runtime-env.js';

/**
 * What a service tells the runtime about itself. Each service exports one from `src/service.ts`;
 * its own `main.ts` runs it alone, and `apps/platform` runs all of them in one process.
 */
export interface ServiceDefinition {
  /** Folder name under `services/`, e.g. `sms-orchestrator`. */
  readonly name: string;
  /** Its PostgreSQL schema (as in `migrations/schema.txt`). */
  readonly schema: string;
  /** Version of its HTTP API (OpenAPI `info.version`); the major part gates breaking changes. */
  readonly apiVersion: string;
  readonly description: string;
  /** Port when run on its own; the platform gives each service its own port from a base. */
  readonly defaultPort: number;
  /** Absolute path of its versioned SQL migrations. */
  readonly migrationsDir: string;
  /** JetStream streams it publishes into (created at connect in production). */
  readonly streams: readonly NatsStreamSpec[];
  /** Registers routes, starts consumers and jobs; returns its own readiness checks and what to close. */
  start(context: ServiceContext): Promise<StartedService>;
  /** Registers the HTTP routes only, for the OpenAPI document (no infrastructure). */
  registerApiRoutes(app: HttpApp): void;
}

export interface ServiceContext {
  readonly app: HttpApp;
  readonly env: RuntimeEnv;
  readonly infra: Infrastructure;
  /** This service's own pool on the platform database. */
  readonly database: Database<unknown>;
  /** Roles its requests (`appRole`, tenant-scoped) and jobs (`systemRole`) run as. */
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Verifies callers' JWTs: the dev key in embedded mode, JWT_JWKS_URL or JWT_PUBLIC_KEY otherwise. */
  readonly verifier: JwtVerifier;
}

export interface StartedService {
  readonly readiness?: readonly ReadinessCheck[];
  /** Closed after the HTTP server, in order (consumers and relays before pools). */
  readonly closers?: readonly ShutdownStep[];
}
