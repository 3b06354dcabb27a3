import { randomBytes } from 'node:crypto';

/**
 * One id per test run, shared by every worker (the global setup puts it in the environment),
 * so each run names its databases, streams and keys apart from every other run.
 */
export function testRunId(): string {
  const existing = process.env.SMS_TEST_RUN_ID;
  if (existing) return existing;
  const fresh = `r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.SMS_TEST_RUN_ID = fresh;
  return fresh;
}

/** A name unique to this run and this call: `<label>_<runId>_<random>`, lower case, safe for SQL, NATS and Redis. */
export function uniqueName(label: string): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return `${safe}_${testRunId()}_${randomBytes(3).toString('hex')}`;
}

/** Where the shared services of this machine listen; each can be pointed elsewhere by environment. */
export const testServices = {
  postgresAdminUrl: process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  natsUrl: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
};
