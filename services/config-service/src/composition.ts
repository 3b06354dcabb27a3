import type { Kysely } from 'kysely';
import type { Bus, Subscription } from '@sms/bus';
import { tryWithAdvisoryLock } from '@sms/db';
import type { Database } from '@sms/db';
import { DEFAULT_IDEMPOTENCY_WINDOW_MS, PostgresIdempotencyRecords } from '@sms/http';
import type { ReadinessCheck, ShutdownStep } from '@sms/http';
import type { Clock, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import { OutboxRelay } from '@sms/outbox';
import type { Registry } from 'prom-client';
import { CedarAccessPolicy } from './adapters/authorization/cedar-access-policy.js';
import { startChangeEventsConsumer, startPolicyChangeListener } from './adapters/nats/change-events.consumer.js';
import { configSubjects } from './adapters/nats/subjects.js';
import type { ConfigSubjects } from './adapters/nats/subjects.js';
import { startTenantEventsConsumer } from './adapters/nats/tenant-events.consumer.js';
import { createConfigMetrics } from './adapters/observability/config-metrics.js';
import type { ConfigMetrics } from './adapters/observability/config-metrics.js';
import type { ConfigDatabase } from './adapters/postgres/config-database.js';
import { loadLevels } from './adapters/postgres/postgres-levels.js';
import { PostgresUnitOfWork } from './adapters/postgres/postgres-unit-of-work.js';
import { AssignRoleUseCase } from './application/assign-role.use-case.js';
import { ClearValueUseCase } from './application/clear-value.use-case.js';
import { CreateNodeUseCase } from './application/create-node.use-case.js';
import { DefineKeyUseCase } from './application/define-key.use-case.js';
import { DeleteNodeUseCase } from './application/delete-node.use-case.js';
import { GetNodeHistoryUseCase } from './application/get-node-history.use-case.js';
import { GetNodeUseCase } from './application/get-node.use-case.js';
import { HandleTenantCreatedUseCase } from './application/handle-tenant-created.use-case.js';
import { HandleTenantDeletedUseCase } from './application/handle-tenant-deleted.use-case.js';
import { InvalidateResolutionCacheUseCase } from './application/invalidate-resolution-cache.use-case.js';
import { ListKeysUseCase } from './application/list-keys.use-case.js';
import { ListRoleAssignmentsUseCase } from './application/list-role-assignments.use-case.js';
import { ListRolesUseCase } from './application/list-roles.use-case.js';
import { MoveNodeUseCase } from './application/move-node.use-case.js';
import type { AccessPolicy } from './application/ports/access-policy.port.js';
import type { ResolutionCache } from './application/ports/resolution-cache.port.js';
import type { UnitOfWork } from './application/ports/unit-of-work.port.js';
import { PutRoleUseCase } from './application/put-role.use-case.js';
import { ReloadAccessPolicyUseCase } from './application/reload-access-policy.use-case.js';
import { RemoveLockUseCase } from './application/remove-lock.use-case.js';
import { RemoveRoleUseCase } from './application/remove-role.use-case.js';
import { ResolveConfigUseCase } from './application/resolve-config.use-case.js';
import { RevokeRoleUseCase } from './application/revoke-role.use-case.js';
import { RollbackNodeUseCase } from './application/rollback-node.use-case.js';
import { SetLockUseCase } from './application/set-lock.use-case.js';
import { SetValueUseCase } from './application/set-value.use-case.js';
import { UpdateKeyUseCase } from './application/update-key.use-case.js';
import type { ConfigLevels } from './domain/config-levels.js';

/** Every use case the HTTP edge drives. */
export interface ConfigUseCases {
  readonly createNode: CreateNodeUseCase;
  readonly getNode: GetNodeUseCase;
  readonly moveNode: MoveNodeUseCase;
  readonly deleteNode: DeleteNodeUseCase;
  readonly history: GetNodeHistoryUseCase;
  readonly rollback: RollbackNodeUseCase;
  readonly setValue: SetValueUseCase;
  readonly clearValue: ClearValueUseCase;
  readonly setLock: SetLockUseCase;
  readonly removeLock: RemoveLockUseCase;
  readonly resolve: ResolveConfigUseCase;
  readonly listKeys: ListKeysUseCase;
  readonly defineKey: DefineKeyUseCase;
  readonly updateKey: UpdateKeyUseCase;
  readonly listRoles: ListRolesUseCase;
  readonly putRole: PutRoleUseCase;
  readonly removeRole: RemoveRoleUseCase;
  readonly listAssignments: ListRoleAssignmentsUseCase;
  readonly assignRole: AssignRoleUseCase;
  readonly revokeRole: RevokeRoleUseCase;
}

export interface ConfigServiceOptions {
  /** The service's pool, connected as the schema owner; transactions drop to `roles`. */
  readonly database: Database<unknown>;
  readonly schema: string;
  readonly roles: { readonly appRole: string; readonly systemRole: string };
  readonly bus: Bus;
  readonly resolutionCache: ResolutionCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Prefix of every subject ('' in production; unique per test run). */
  readonly subjectPrefix?: string;
  /** Outbox relay poll interval (it also wakes on NOTIFY). Default 1000 ms. */
  readonly relayPollIntervalMs?: number;
  /** How often each replica reloads the roles, besides reloading on policy events. Default 30 s. */
  readonly policyReloadIntervalMs?: number;
  /** How often Idempotency-Key records older than 48 h are deleted (once per cluster). Default 1 h. */
  readonly idempotencyPurgeIntervalMs?: number;
}

/** The running service: its use cases, what readiness checks, and what to close (in order). */
export interface ConfigServiceRuntime {
  readonly useCases: ConfigUseCases;
  readonly levels: ConfigLevels;
  readonly metrics: ConfigMetrics;
  readonly subjects: ConfigSubjects;
  readonly relay: OutboxRelay<ConfigDatabase>;
  /** Idempotency-Key records of the write routes (`config.idempotency_keys`). */
  readonly idempotency: PostgresIdempotencyRecords;
  /** One purge of Idempotency-Key records older than 48 h, under an advisory lock: `skipped` when another replica runs it. */
  purgeIdempotencyKeys(): Promise<{ readonly status: 'ran'; readonly value: number } | { readonly status: 'skipped' }>;
  readonly readiness: readonly ReadinessCheck[];
  readonly closers: readonly ShutdownStep[];
}

/** The use cases over one set of ports (the service's, or a test's). */
export function buildUseCases(deps: {
  readonly uow: UnitOfWork;
  readonly accessPolicy: AccessPolicy;
  readonly cache: ResolutionCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly levels: ConfigLevels;
}): ConfigUseCases {
  const { uow, accessPolicy, cache, clock, ids, levels } = deps;
  const nodeDeps = { uow, accessPolicy, cache, clock, ids };
  const readDeps = { uow, accessPolicy };
  const roleDeps = { uow, accessPolicy, clock, ids };
  return {
    createNode: new CreateNodeUseCase({ ...nodeDeps, levels }),
    getNode: new GetNodeUseCase(readDeps),
    moveNode: new MoveNodeUseCase({ ...nodeDeps, levels }),
    deleteNode: new DeleteNodeUseCase(nodeDeps),
    history: new GetNodeHistoryUseCase(readDeps),
    rollback: new RollbackNodeUseCase(nodeDeps),
    setValue: new SetValueUseCase(nodeDeps),
    clearValue: new ClearValueUseCase(nodeDeps),
    setLock: new SetLockUseCase(nodeDeps),
    removeLock: new RemoveLockUseCase(nodeDeps),
    resolve: new ResolveConfigUseCase({ uow, accessPolicy, cache }),
    listKeys: new ListKeysUseCase(readDeps),
    defineKey: new DefineKeyUseCase(nodeDeps),
    updateKey: new UpdateKeyUseCase(nodeDeps),
    listRoles: new ListRolesUseCase(readDeps),
    putRole: new PutRoleUseCase(roleDeps),
    removeRole: new RemoveRoleUseCase(roleDeps),
    listAssignments: new ListRoleAssignmentsUseCase(readDeps),
    assignRole: new AssignRoleUseCase(roleDeps),
    revokeRole: new RevokeRoleUseCase(roleDeps),
  };
}

/**
 * The composition root of config-service (wired by hand, ARCHITECTURE.md): PostgreSQL adapters
 * behind the unit of work, the Cedar access policy loaded from the stored roles, the resolution
 * cache given, the outbox relay to the bus, the tenant-events inbox consumer, and the consumer of
 * the service's own change events that keeps the resolution cache and the access policy fresh.
 */
export async function startConfigService(options: ConfigServiceOptions): Promise<ConfigServiceRuntime> {
  const { schema, roles, bus, clock, ids, logger } = options;
  const db = options.database.db as Kysely<ConfigDatabase>;
  const subjects = configSubjects(options.subjectPrefix ?? '');
  const levels = await loadLevels(db, schema, roles.systemRole);
  const uow = new PostgresUnitOfWork({ db, schema, roles, clock });
  const accessPolicy = new CedarAccessPolicy();
  const cache = options.resolutionCache;

  const relay = new OutboxRelay<ConfigDatabase>({
    db,
    schema,
    bus,
    subjectFor: (envelope) => subjects.of(envelope.type),
    role: roles.systemRole,
    listen: options.database.pool,
    pollIntervalMs: options.relayPollIntervalMs ?? 1000,
    logger: logger.child({ component: 'outbox-relay' }),
  });
  const metrics = createConfigMetrics(options.registry, () => relay.lag());

  const reloadPolicy = new ReloadAccessPolicyUseCase({ uow, accessPolicy });
  const reload = async (trigger: 'start' | 'event' | 'timer'): Promise<void> => {
    try {
      const result = await reloadPolicy.execute();
      metrics.policyReloads.inc({ trigger, outcome: result.ok ? 'ok' : 'error' });
    } catch (error) {
      metrics.policyReloads.inc({ trigger, outcome: 'error' });
      if (trigger === 'start') throw error;
      logger.warn({ error: (error as Error).message, trigger }, 'access policy reload failed; keeping the roles loaded before');
    }
  };
  await reload('start');

  const useCases = buildUseCases({ uow, accessPolicy, cache, clock, ids, levels });

  const idempotency = new PostgresIdempotencyRecords({ db: options.database.db, schema, role: roles.systemRole });
  const purgeIdempotencyKeys = async () => {
    const cutoff = new Date(clock.now().getTime() - DEFAULT_IDEMPOTENCY_WINDOW_MS);
    const outcome = await tryWithAdvisoryLock(options.database.db, `config-service:${schema}:idempotency-purge`, () => idempotency.purgeClaimedBefore(cutoff));
    if (outcome.status === 'ran' && outcome.value > 0) logger.info({ purged: outcome.value, cutoff: cutoff.toISOString() }, 'idempotency keys purged');
    return outcome;
  };

  const subscriptions: Subscription[] = [];
  const timers: NodeJS.Timeout[] = [];
  const stopAll = async (): Promise<void> => {
    timers.forEach((t) => clearInterval(t));
    await Promise.allSettled(subscriptions.splice(0).map((s) => s.stop()));
    await relay.stop();
  };
  try {
    relay.start();
    subscriptions.push(
      await startTenantEventsConsumer({
        bus,
        subjects,
        created: new HandleTenantCreatedUseCase({ uow, clock, ids, levels }),
        deleted: new HandleTenantDeletedUseCase({ uow, cache, clock, ids }),
        metrics,
        logger: logger.child({ component: 'tenant-events' }),
      }),
      await startChangeEventsConsumer({
        bus,
        subjects,
        invalidate: new InvalidateResolutionCacheUseCase({ cache }),
        metrics,
        logger: logger.child({ component: 'change-events' }),
      }),
      await startPolicyChangeListener({ bus, subjects, onPolicyChanged: () => reload('event') }),
    );
    const interval = setInterval(() => void reload('timer'), options.policyReloadIntervalMs ?? 30_000);
    interval.unref();
    timers.push(interval);
    const purgeTimer = setInterval(() => {
      purgeIdempotencyKeys().catch((error: unknown) => logger.error({ err: error }, 'idempotency key purge failed'));
    }, options.idempotencyPurgeIntervalMs ?? 3_600_000);
    purgeTimer.unref();
    timers.push(purgeTimer);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    useCases,
    levels,
    metrics,
    subjects,
    relay,
    idempotency,
    purgeIdempotencyKeys,
    readiness: [
      {
        // Not critical: requests are still answered while events wait in the outbox; alerts watch the lag.
        name: 'outbox',
        critical: false,
        check: async () => {
          const lag = await relay.lag();
          if (lag.oldestAgeMs > 60_000) throw new Error(`${lag.pending} events waiting, oldest ${Math.round(lag.oldestAgeMs / 1000)} s`);
        },
      },
    ],
    closers: [{ name: 'config-service consumers and outbox relay', close: stopAll }],
  };
}
