import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthLogPartitions } from '../../src/adapters/postgres/health-log-partitions.js';
import { createOpsTestDatabase, type OpsTestDatabase } from '../support/ops-database.js';

let t: OpsTestDatabase;

beforeAll(async () => {
  t = await createOpsTestDatabase('ops_partitions');
});

afterAll(async () => {
  await t.cleanup();
});

const NOW = new Date('2026-04-18T23:30:00.000Z');
const day = (iso: string) => `operator_health_log_p${iso.replaceAll('-', '')}`;

async function dropAllPartitions(): Promise<void> {
  const partitions = await new HealthLogPartitions(t.database.db).list();
  for (const name of partitions) await sql`DROP TABLE ${sql.id('ops', name)}`.execute(t.database.db);
}

describe('HealthLogPartitions', () => {
  it('is maintained by the service here, because pg_partman is not installed on this server', async () => {
    const available = await sql`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman'`.execute(t.database.db);
    expect(available.rows).toEqual([]);
    expect(await new HealthLogPartitions(t.database.db).managedBy()).toBe('service');
  });

  it('creates the partition of today and of each premade day ahead (UTC days)', async () => {
    await dropAllPartitions();
    const result = await new HealthLogPartitions(t.database.db, { retentionDays: 30, premakeDays: 2 }).maintain(NOW);
    expect(result).toEqual({
      managedBy: 'service',
      created: [day('2026-04-18'), day('2026-04-19'), day('2026-04-20')],
      dropped: [],
      partitions: [day('2026-04-18'), day('2026-04-19'), day('2026-04-20')],
    });
  });

  it('changes nothing when run again (idempotent)', async () => {
    await dropAllPartitions();
    const partitions = new HealthLogPartitions(t.database.db, { retentionDays: 30, premakeDays: 2 });
    await partitions.maintain(NOW);
    const again = await partitions.maintain(NOW);
    expect([again.created, again.dropped, again.partitions.length]).toEqual([[], [], 3]);
  });

  it('drops partitions whose whole day is older than the retention, keeping the rest', async () => {
    await dropAllPartitions();
    const partitions = new HealthLogPartitions(t.database.db, { retentionDays: 3, premakeDays: 0 });
    await partitions.ensureDays([new Date('2026-04-14T10:00:00Z'), new Date('2026-04-15T10:00:00Z'), new Date('2026-04-16T10:00:00Z')]);
    const result = await partitions.maintain(NOW);
    expect(result.dropped).toEqual([day('2026-04-14')]);
    expect(result.partitions).toEqual([day('2026-04-15'), day('2026-04-16'), day('2026-04-18')]);
  });

  it('routes a report to the partition of its day and refuses none inside the created range', async () => {
    await dropAllPartitions();
    await new HealthLogPartitions(t.database.db, { retentionDays: 30, premakeDays: 1 }).maintain(NOW);
    await sql`INSERT INTO ops.operator_health_log (operator_id, connection_id, at, bind_state, latency_ms, error_rate, throughput_per_second, received_at)
      VALUES (gen_random_uuid(), gen_random_uuid(), '2026-04-19T00:00:00Z', 'bound', 1, 0, 1, now())`.execute(t.database.db);
    const where = await sql<{ partition: string }>`SELECT tableoid::regclass::text AS partition FROM ops.operator_health_log`.execute(t.database.db);
    expect(where.rows).toEqual([{ partition: `ops.${day('2026-04-19')}` }]);
  });

  it('lets concurrent maintenance runs create each partition once', async () => {
    await dropAllPartitions();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => new HealthLogPartitions(t.database.db, { retentionDays: 30, premakeDays: 3 }).maintain(NOW)),
    );
    expect(runs.flatMap((r) => r.created).sort()).toEqual([day('2026-04-18'), day('2026-04-19'), day('2026-04-20'), day('2026-04-21')]);
  });

  it('leaves partitions it did not name alone', async () => {
    await dropAllPartitions();
    await sql`CREATE TABLE ops.operator_health_log_archive PARTITION OF ops.operator_health_log
      FOR VALUES FROM ('2000-01-01T00:00:00Z') TO ('2000-01-02T00:00:00Z')`.execute(t.database.db);
    const result = await new HealthLogPartitions(t.database.db, { retentionDays: 1, premakeDays: 0 }).maintain(NOW);
    expect(result.dropped).toEqual([]);
    const archive = await sql`SELECT to_regclass('ops.operator_health_log_archive') AS found`.execute(t.database.db);
    expect(archive.rows).toEqual([{ found: 'ops.operator_health_log_archive' }]);
    await sql`DROP TABLE ops.operator_health_log_archive`.execute(t.database.db);
  });
});
