import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { ManualClock } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import type { RenewLease, RenewLeaseInput } from '../../src/index.js';
import type { NumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import { PostgresJobScheduler } from '../../src/adapters/postgres/postgres-job.scheduler.js';
import type { ScheduledJob } from '../../src/adapters/postgres/postgres-job.scheduler.js';
import { createNumberingJobs, JOB_NAMES } from '../../src/composition/numbering-jobs.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, T0, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const TENANT = 'tenant-jobs';
const logger = createLogger({ service: 'numbering-jobs-test', level: 'silent' });

const must = <T>(result: Result<T, { code: string }>): T => {
  if (!result.ok) throw new Error(`arrange failed: ${result.error.code}`);
  return result.value;
};

interface JobWorld {
  readonly world: PostgresWorld;
  readonly clock: ManualClock;
  readonly renewalFailures: () => number;
  scheduler(wrap?: (job: ScheduledJob) => ScheduledJob): PostgresJobScheduler;
  reserve(value: string, ttlSeconds: number): Promise<void>;
  assign(value: string, options?: { readonly autoRenew?: boolean; readonly termDays?: number }): Promise<void>;
  state(value: string): Promise<string | undefined>;
  events(type: string): Promise<number>;
  auditRows(action: string): Promise<number>;
}

async function jobWorld(fixture: PostgresFixture): Promise<JobWorld> {
  const clock = new ManualClock(T0);
  const world = await createPostgresWorld(fixture, { tenants: [TENANT], clock });
  const actor = tenant(TENANT);
  let renewalFailures = 0;
  const self: JobWorld = {
    world,
    clock,
    renewalFailures: () => renewalFailures,
    scheduler: (wrap = (job) => job) =>
      new PostgresJobScheduler({
        pool: fixture.database.pool,
        lockNamespace: `${world.schema.name}:jobs`,
        jobs: createNumberingJobs({ useCases: world.useCases, logger, onRenewalFailure: () => (renewalFailures += 1), batchSize: 2 }).map(wrap),
        clock,
        logger,
      }),
    async reserve(value, ttlSeconds) {
      must(
        await world.useCases.forActor(actor).reserve.execute({
          actor,
          idempotencyKey: world.key(),
          number: value,
          tenantId: TENANT,
          tenantPoolId: world.tenantPools[TENANT] ?? '',
          ttlSeconds,
        }),
      );
    },
    async assign(value, options = {}) {
      await self.reserve(value, 3600);
      must(
        await world.useCases.forActor(actor).assign.execute({
          actor,
          idempotencyKey: world.key(),
          number: value,
          tenantId: TENANT,
          uses: ['transactional'],
          ...options,
        }),
      );
    },
    async state(value) {
      const found = await world.useCases.system.numbers.findByValue(value);
      return found?.lifecycle.state;
    },
    async events(type) {
      return (await world.schema.outboxEvents()).filter((e) => e.type === type).length;
    },
    async auditRows(action) {
      const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(world.schema.name, 'audit_log')} WHERE action = ${action}`.execute(
        fixture.database.db,
      );
      return Number(rows.rows[0]?.n ?? 0);
    },
  };
  return self;
}

describe('scheduled jobs on PostgreSQL', () => {
  let fixture: PostgresFixture;

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_jobs');
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('releases every reservation past its TTL and leaves the ones still running', async () => {
    const w = await jobWorld(fixture);
    await w.world.addNumbers(['+93701000001', '+93701000002', '+93701000003', '+93701000004']);
    await w.reserve('+93701000001', 60);
    await w.reserve('+93701000002', 60);
    await w.reserve('+93701000003', 60);
    await w.reserve('+93701000004', 600);
    w.clock.advance(2 * MINUTE);

    const outcome = await w.scheduler().runOnce(JOB_NAMES.reservationExpiry);

    expect(outcome).toEqual({ status: 'ran', handled: 3 });
    expect([await w.state('+93701000001'), await w.state('+93701000002'), await w.state('+93701000003'), await w.state('+93701000004')]).toEqual([
      'quarantined',
      'quarantined',
      'quarantined',
      'reserved',
    ]);
    expect(await w.events('numbering.reservation.expired.v1')).toBe(3);
  });

  it('returns a quarantined number at the instant its cool-off ends, not a millisecond earlier', async () => {
    const w = await jobWorld(fixture);
    await w.world.addNumbers(['+93702000001']);
    await w.reserve('+93702000001', 60);
    w.clock.advance(MINUTE);
    await w.scheduler().runOnce(JOB_NAMES.reservationExpiry);
    const quarantined = await w.world.useCases.system.numbers.findByValue('+93702000001');
    if (quarantined?.lifecycle.state !== 'quarantined') throw new Error('arrange: not quarantined');
    const endsAt = quarantined.lifecycle.quarantine.endsAt.getTime();
    w.clock.set(new Date(endsAt - 1));

    const early = await w.scheduler().runOnce(JOB_NAMES.quarantineSweep);
    const stateEarly = await w.state('+93702000001');
    w.clock.set(new Date(endsAt));
    const onTime = await w.scheduler().runOnce(JOB_NAMES.quarantineSweep);

    expect({ early, stateEarly }).toEqual({ early: { status: 'ran', handled: 0 }, stateEarly: 'quarantined' });
    expect(onTime).toEqual({ status: 'ran', handled: 1 });
    expect(await w.state('+93702000001')).toBe('available');
  });

  it('renews the auto-renewing leases due and leaves the others alone', async () => {
    const w = await jobWorld(fixture);
    await w.world.addNumbers(['+93703000001', '+93703000002', '+93703000003', '+93703000004']);
    await w.assign('+93703000001', { termDays: 3 });
    await w.assign('+93703000002', { termDays: 3 });
    await w.assign('+93703000003', { termDays: 3, autoRenew: false });
    await w.assign('+93703000004', { termDays: 30 });
    const before = await w.world.useCases.system.numbers.findByValue('+93703000001');

    const outcome = await w.scheduler().runOnce(JOB_NAMES.leaseRenewal);

    const after = await w.world.useCases.system.numbers.findByValue('+93703000001');
    const endOf = (n: typeof before): number => (n?.lifecycle.state === 'assigned' ? n.lifecycle.lease.endsAt.getTime() : 0);
    expect(outcome).toEqual({ status: 'ran', handled: 2 });
    expect(endOf(after) - endOf(before)).toBe(365 * DAY);
    expect(await w.events('numbering.lease.renewed.v1')).toBe(2);
    expect(w.renewalFailures()).toBe(0);
  });

  it('counts a lease renewal that fails and still renews the others', async () => {
    const w = await jobWorld(fixture);
    await w.world.addNumbers(['+93704000001', '+93704000002']);
    await w.assign('+93704000001', { termDays: 3 });
    await w.assign('+93704000002', { termDays: 3 });
    // The renewal of one number meets an infrastructure fault (its connection lost mid-command).
    const real = w.world.useCases;
    const faulty: NumberingUseCases = {
      ...real,
      forActor(actor) {
        const useCases = real.forActor(actor);
        const renew = {
          execute: (input: RenewLeaseInput) =>
            input.number === '+93704000001' ? Promise.reject(new Error('connection terminated')) : useCases.renew.execute(input),
        } as unknown as RenewLease;
        return { ...useCases, renew };
      },
    };
    let failures = 0;
    const scheduler = new PostgresJobScheduler({
      pool: fixture.database.pool,
      lockNamespace: `${w.world.schema.name}:jobs`,
      jobs: createNumberingJobs({ useCases: faulty, logger, onRenewalFailure: () => (failures += 1) }),
      clock: w.clock,
      logger,
    });

    const outcome = await scheduler.runOnce(JOB_NAMES.leaseRenewal);

    expect({ outcome, failures }).toEqual({ outcome: { status: 'ran', handled: 1 }, failures: 1 });
    expect(await w.events('numbering.lease.renewed.v1')).toBe(1);
  });

  it('does the work once when two scheduler instances run the same job at the same moment', async () => {
    const w = await jobWorld(fixture);
    const values = ['+93705000001', '+93705000002', '+93705000003'];
    await w.world.addNumbers(values);
    for (const value of values) await w.reserve(value, 60);
    w.clock.advance(MINUTE);
    await w.scheduler().runOnce(JOB_NAMES.reservationExpiry);
    w.clock.advance(31 * DAY);
    // The first instance holds its lock until the second has tried to take it.
    let firstLocked = (): void => undefined;
    const firstHasLock = new Promise<void>((resolve) => {
      firstLocked = resolve;
    });
    let secondTried = (): void => undefined;
    const secondHasTried = new Promise<void>((resolve) => {
      secondTried = resolve;
    });
    const holding = (job: ScheduledJob): ScheduledJob => ({
      ...job,
      run: async (now) => {
        firstLocked();
        await secondHasTried;
        return job.run(now);
      },
    });
    const first = w.scheduler(holding);
    const second = w.scheduler();

    const firstRun = first.runOnce(JOB_NAMES.quarantineSweep);
    await firstHasLock;
    const secondRun = await second.runOnce(JOB_NAMES.quarantineSweep);
    secondTried();
    const outcomes = [await firstRun, secondRun];

    expect(outcomes).toEqual([{ status: 'ran', handled: 3 }, { status: 'skipped' }]);
    expect(await w.events('numbering.number.quarantine-ended.v1')).toBe(3);
    expect(await w.auditRows('quarantine.end')).toBe(3);
  });

  it('does the work once when two instances race without any arranged order', async () => {
    const w = await jobWorld(fixture);
    const values = ['+93706000001', '+93706000002', '+93706000003'];
    await w.world.addNumbers(values);
    for (const value of values) await w.reserve(value, 60);
    w.clock.advance(MINUTE);

    const outcomes = await Promise.all([w.scheduler().runOnce(JOB_NAMES.reservationExpiry), w.scheduler().runOnce(JOB_NAMES.reservationExpiry)]);

    const handled = outcomes.map((o) => (o.status === 'ran' ? o.handled : 0));
    expect(handled.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await w.events('numbering.reservation.expired.v1')).toBe(3);
    expect(await w.auditRows('number.expire')).toBe(3);
  });

  it('verifies the audit chain daily and reports a chain altered behind its back as broken', async () => {
    const w = await jobWorld(fixture);
    await w.world.addNumbers(['+93701000051']);
    await w.assign('+93701000051');
    const verdicts: boolean[] = [];
    const scheduler = new PostgresJobScheduler({
      pool: fixture.database.pool,
      lockNamespace: `${w.world.schema.name}:jobs`,
      jobs: createNumberingJobs({
        useCases: w.world.useCases,
        logger,
        onRenewalFailure: () => undefined,
        onAuditVerified: (intact) => verdicts.push(intact),
      }),
      clock: w.clock,
      logger,
    });

    await scheduler.runOnce(JOB_NAMES.auditVerification);
    // Someone with owner rights rewrites a row: the append-only trigger is off for that transaction only.
    await fixture.database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE ${sql.id(w.world.schema.name, 'audit_log')} SET actor_id = 'someone-else' WHERE seq = (SELECT min(seq) FROM ${sql.id(w.world.schema.name, 'audit_log')})`.execute(trx);
    });
    await scheduler.runOnce(JOB_NAMES.auditVerification);

    expect(verdicts).toEqual([true, false]);
  });

  it('runs each job at its interval once started, and no more after stop', async () => {
    const w = await jobWorld(fixture);
    let runs = 0;
    const scheduler = new PostgresJobScheduler({
      pool: fixture.database.pool,
      lockNamespace: `${w.world.schema.name}:jobs`,
      jobs: [{ name: 'counting', intervalMs: 5, run: () => Promise.resolve((runs += 1)) }],
      clock: w.clock,
      logger,
    });

    scheduler.start();
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 5_000, interval: 5 });
    await scheduler.stop();
    const afterStop = runs;
    const outcome = await scheduler.runOnce('counting');

    expect(outcome).toEqual({ status: 'ran', handled: afterStop + 1 });
  });

  it('reports a failing tick and runs the job again at the next one', async () => {
    const w = await jobWorld(fixture);
    const outcomes: string[] = [];
    let calls = 0;
    const scheduler = new PostgresJobScheduler({
      pool: fixture.database.pool,
      lockNamespace: `${w.world.schema.name}:jobs`,
      jobs: [
        {
          name: 'flaky',
          intervalMs: 5,
          run: () => ((calls += 1) === 1 ? Promise.reject(new Error('database unreachable')) : Promise.resolve(0)),
        },
      ],
      clock: w.clock,
      logger,
      onOutcome: (_job, outcome) => outcomes.push(outcome === 'failed' ? 'failed' : outcome.status),
    });

    scheduler.start();
    await vi.waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 5 });
    await scheduler.stop();

    expect(outcomes.slice(0, 2)).toEqual(['failed', 'ran']);
  });
});
