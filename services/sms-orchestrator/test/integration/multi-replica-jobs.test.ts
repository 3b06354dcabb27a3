import { sql } from 'kysely';
import { createDatabase, tryWithAdvisoryLock, withSystem, withTenant } from '@sms/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresMessageRepository } from '../../src/adapters/postgres/postgres-message.repository.js';
import { createOrchTestDatabase } from '../support/orch-database.js';
import type { OrchTestDatabase } from '../support/orch-database.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';
import { newMessage } from '../support/stored-messages.js';
import { startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';
import { ROSHAN_ROUTE, startStubRoutingEngine } from '../support/stub-routing-engine.js';
import type { StubRoutingEngine } from '../support/stub-routing-engine.js';

// Two replicas of the orchestrator (two fixtures, two pools) on one database, as in a cluster.
const TENANT = 'tenant-replicas';
let numbering: StubNumbering;
let routing: StubRoutingEngine;
let database: OrchTestDatabase;
let replicaA: OrchestratorFixture;
let replicaB: OrchestratorFixture;

beforeAll(async () => {
  numbering = await startStubNumbering();
  routing = await startStubRoutingEngine();
  // A slow routing engine keeps a sweep running long enough for the other replica to try its own.
  routing.answer(() => ({ ...ROSHAN_ROUTE, delayMs: 40 }));
  database = await createOrchTestDatabase('orch_replicas');
  const env = {
    NUMBERING_GRPC_ADDRESS: numbering.address,
    ROUTING_ENGINE_URL: routing.url,
    // The scheduled runs stay out of the way: the tests start each run themselves.
    ORCH_RETRY_SWEEP_INTERVAL_MS: '3600000',
    ORCH_IDEMPOTENCY_PURGE_INTERVAL_MS: '86400000',
    ORCH_PARTITION_MAINTENANCE_INTERVAL_MS: '86400000',
  };
  replicaA = await startOrchestratorFixture({ label: 'orch_replica_a', database, env, logLevel: 'warn' });
  replicaB = await startOrchestratorFixture({ label: 'orch_replica_b', database, env, logLevel: 'warn' });
});
afterAll(async () => {
  await replicaA?.close();
  await replicaB?.close();
  await database?.cleanup();
  await numbering?.stop();
  await routing?.stop();
});

/** Messages accepted five minutes ago whose first pipeline run never happened: the sweeper's work. */
async function insertOrphans(count: number): Promise<string[]> {
  const accepted = new Date(Date.now() - 5 * 60_000);
  const messages = Array.from({ length: count }, (_, i) => newMessage(TENANT, new Date(accepted.getTime() + i)));
  await withTenant(database.database.db, { tenantId: TENANT, role: database.roles.appRole }, (trx) => new PostgresMessageRepository(trx, 'orch').insert(messages));
  return messages.map((m) => m.id);
}

async function outboundEventsOf(ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await withSystem(database.database.db, { role: database.roles.systemRole }, (trx) =>
    sql<{ aggregate_id: string; n: number }>`SELECT aggregate_id, count(*)::int AS n FROM orch.outbox
      WHERE event_type LIKE 'sms.outbound.request%' AND aggregate_id = ANY(${ids}::text[]) GROUP BY aggregate_id`.execute(trx),
  );
  return new Map(rows.rows.map((r) => [r.aggregate_id, r.n]));
}

const routeCallsOf = (id: string) => routing.calls.filter((c) => c.body['message_id'] === id).length;

describe('periodic jobs with several replicas', () => {
  it('lets one replica sweep the due retries while another replica sweeps at the same time: each message is routed once', async () => {
    const ids = await insertOrphans(12);

    const first = replicaA.orchestrator.sweepRetries();
    // Replica A holds the sweep (its first route query arrived); replica B's sweep starts now.
    await expect.poll(() => ids.some((id) => routeCallsOf(id) > 0), { timeout: 10_000, interval: 5 }).toBe(true);
    const second = await replicaB.orchestrator.sweepRetries();
    const firstOutcome = await first;

    expect(second).toEqual({ status: 'skipped' });
    expect(firstOutcome.status).toBe('ran');
    expect(firstOutcome.status === 'ran' ? firstOutcome.value.outcomes : null).toEqual({ dispatched: 12 });
    expect(ids.map(routeCallsOf)).toEqual(ids.map(() => 1));
    const events = await outboundEventsOf(ids);
    expect(ids.map((id) => events.get(id) ?? 0)).toEqual(ids.map(() => 1));
  });

  it('routes every message once when both replicas start a sweep at the same instant, many times over', async () => {
    for (let round = 0; round < 5; round += 1) {
      const ids = await insertOrphans(4);
      const outcomes = await Promise.all([replicaA.orchestrator.sweepRetries(), replicaB.orchestrator.sweepRetries()]);

      const dispatched = outcomes.reduce((sum, o) => sum + (o.status === 'ran' ? (o.value.outcomes.dispatched ?? 0) : 0), 0);
      expect(dispatched).toBe(4);
      expect(ids.map(routeCallsOf)).toEqual(ids.map(() => 1));
    }
  });

  it('skips the idempotency purge on every replica while another one runs it', async () => {
    // A third replica, mid-run, holds the purge's lock.
    const other = createDatabase({ url: database.url, poolMax: 2 });
    try {
      const whileHeld = await tryWithAdvisoryLock(other.db, 'sms-orchestrator:orch:idempotency-purge', async () => [
        await replicaA.orchestrator.purgeIdempotencyKeys(),
        await replicaB.orchestrator.purgeIdempotencyKeys(),
      ]);
      expect(whileHeld).toEqual({ status: 'ran', value: [{ status: 'skipped' }, { status: 'skipped' }] });
    } finally {
      await other.close();
    }

    await expect(replicaB.orchestrator.purgeIdempotencyKeys()).resolves.toMatchObject({ status: 'ran', value: { purged: 0 } });
  });
});
