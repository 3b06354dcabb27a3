import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** What {@link tryWithAdvisoryLock} did: ran `work` (with its value), or skipped it because another session holds the lock. */
export type AdvisoryLockOutcome<T> = { readonly status: 'ran'; readonly value: T } | { readonly status: 'skipped' };

// 64-bit lock key from the name (first 16 hex digits of its MD5): two names collide with
// negligible odds, unlike the 32-bit hashtext().
const lockKey = (name: string) => sql<string>`('x' || substr(md5(${name}), 1, 16))::bit(64)::bigint`;

/**
 * Runs `work` only if this session can take the PostgreSQL session advisory lock named `name`
 * right now (`pg_try_advisory_lock`, never waiting): the way to run a periodic job once per
 * cluster when every replica schedules it. The lock is held on a connection reserved from the
 * pool for the whole run (`work` uses the pool's other connections), released when `work`
 * settles, and, being a session lock, freed by the server if the process dies mid-run.
 *
 * Name the lock after the service, its schema and the job (`orch:orch:retry-sweeper`), so two
 * services or two test schemas sharing a database never block each other. Needs a direct
 * session: behind a transaction-pooling proxy (PgBouncer `pool_mode=transaction`) a session lock
 * is not held by one client.
 *
 * @throws what `work` throws (after releasing the lock), and infrastructure faults.
 */
export async function tryWithAdvisoryLock<DB, T>(db: Kysely<DB>, name: string, work: () => Promise<T>): Promise<AdvisoryLockOutcome<T>> {
  return db.connection().execute(async (session) => {
    const taken = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${lockKey(name)}) AS locked`.execute(session);
    if (taken.rows[0]?.locked !== true) return { status: 'skipped' } as const;
    try {
      return { status: 'ran', value: await work() } as const;
    } finally {
      await releaseLock(session, name);
    }
  });
}

// A connection back in the pool must not keep the lock: if the unlock itself fails (the
// connection is usually broken then, and the pool discards it), every lock of the session goes.
async function releaseLock<DB>(session: Kysely<DB>, name: string): Promise<void> {
  try {
    await sql`SELECT pg_advisory_unlock(${lockKey(name)})`.execute(session);
  } catch {
    await sql`SELECT pg_advisory_unlock_all()`.execute(session).catch(() => undefined);
  }
}
