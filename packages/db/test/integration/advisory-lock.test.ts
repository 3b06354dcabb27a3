import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, uniqueName, withAdmin } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { createDatabase, tryWithAdvisoryLock } from '@sms/db';
import type { Database } from '@sms/db';

// Two pools stand for two replicas of a service.
describe('tryWithAdvisoryLock', () => {
  let fresh: FreshDatabase;
  let replicaA: Database<unknown>;
  let replicaB: Database<unknown>;

  beforeAll(async () => {
    fresh = await createFreshDatabase('advisory');
    replicaA = createDatabase({ url: fresh.url, poolMax: 3 });
    replicaB = createDatabase({ url: fresh.url, poolMax: 3 });
  });
  afterAll(async () => {
    await replicaA.close();
    await replicaB.close();
    await fresh.drop();
  });

  const advisoryLocksHeld = async (): Promise<number> => {
    const result = await withAdmin((client) =>
      client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1`, [fresh.name]),
    );
    return result.rows[0]?.n ?? -1;
  };

  it('runs the work and answers its value when nobody holds the lock', async () => {
    const outcome = await tryWithAdvisoryLock(replicaA.db, uniqueName('job'), () => Promise.resolve(42));
    expect(outcome).toEqual({ status: 'ran', value: 42 });
    expect(await advisoryLocksHeld()).toBe(0);
  });

  it('skips the work of a second replica while the first holds the lock, and lets it run afterwards', async () => {
    const name = uniqueName('job');
    let secondOutcome: unknown;
    const first = await tryWithAdvisoryLock(replicaA.db, name, async () => {
      secondOutcome = await tryWithAdvisoryLock(replicaB.db, name, () => Promise.resolve('second ran'));
      return 'first ran';
    });
    expect(first).toEqual({ status: 'ran', value: 'first ran' });
    expect(secondOutcome).toEqual({ status: 'skipped' });
    await expect(tryWithAdvisoryLock(replicaB.db, name, () => Promise.resolve('later'))).resolves.toEqual({ status: 'ran', value: 'later' });
  });

  it('does not block work under another name', async () => {
    const outcome = await tryWithAdvisoryLock(replicaA.db, uniqueName('job'), () => tryWithAdvisoryLock(replicaB.db, uniqueName('other'), () => Promise.resolve('both')));
    expect(outcome).toEqual({ status: 'ran', value: { status: 'ran', value: 'both' } });
  });

  it('releases the lock when the work throws, and rethrows', async () => {
    const name = uniqueName('job');
    await expect(tryWithAdvisoryLock(replicaA.db, name, () => Promise.reject(new Error('job broke')))).rejects.toThrow('job broke');
    expect(await advisoryLocksHeld()).toBe(0);
    await expect(tryWithAdvisoryLock(replicaB.db, name, () => Promise.resolve('ok'))).resolves.toEqual({ status: 'ran', value: 'ok' });
  });

  it('is freed by the server when the holding session dies mid-run', async () => {
    const name = uniqueName('job');
    const outcome = await tryWithAdvisoryLock(replicaA.db, name, async () => {
      // The replica "dies": its lock session is terminated while the job runs.
      await withAdmin((client) =>
        client.query(`SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1`, [fresh.name]),
      );
      return tryWithAdvisoryLock(replicaB.db, name, () => Promise.resolve('taken over'));
    });
    expect(outcome).toEqual({ status: 'ran', value: { status: 'ran', value: 'taken over' } });
    // The broken connection went back to the pool and was discarded: the pool still works.
    await expect(sql`SELECT 1`.execute(replicaA.db)).resolves.toBeDefined();
  });
});
