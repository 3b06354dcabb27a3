// Resolution latency of config-service over HTTP, on this machine's PostgreSQL and Redis.
//   npm run bench -w services/config-service
// Environment: BENCH_DURATION_S (default 60), BENCH_RATE (default 50), BENCH_STEP_S (default 10),
// BENCH_WRITE_DOC (default 1: write the section of docs/benchmarks.md between this bench's markers).
// Not run in CI (too noisy); the numbers go into docs/benchmarks.md.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { authenticate, createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import { createInProcessBus } from '@sms/bus';
import { createDatabase, dropAppRole, ensureAppRole, migrate } from '@sms/db';
import { createHttpApp, startHttpServer } from '@sms/http';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createFreshDatabase, testServices, uniqueName } from '@sms/testing';
import { registerConfigRoutes } from '../src/adapters/http/config-routes.js';
import { RedisResolutionCache } from '../src/adapters/redis/redis-resolution-cache.js';
import type { ResolutionCache } from '../src/application/ports/resolution-cache.port.js';
import { startConfigService } from '../src/composition.js';
import type { ConfigServiceRuntime } from '../src/composition.js';

const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 60);
const RATE = Number(process.env['BENCH_RATE'] ?? 50);
const STEP_S = Number(process.env['BENCH_STEP_S'] ?? 10);
const WRITE_DOC = (process.env['BENCH_WRITE_DOC'] ?? '1') !== '0';
const REGIONS = 5;
const TENANTS_PER_REGION = 20;
const SCHEMA = 'config';
const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
const docFile = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const START = '<!-- config-service:resolution:start -->';
const END = '<!-- config-service:resolution:end -->';

/** A cache that never stores: every resolution reads PostgreSQL. */
const noCache: ResolutionCache = {
  epoch: () => Promise.resolve(0),
  get: () => Promise.resolve(null),
  put: () => Promise.resolve(),
  invalidate: () => Promise.resolve(),
  invalidateAll: () => Promise.resolve(),
};

interface Stats {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  readonly errors: number;
  readonly achievedRps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * Open-loop load: requests start on a fixed schedule whatever the answers do, and each latency is
 * measured from its scheduled start (so a stalled server is not hidden by fewer requests).
 */
async function load(url: (i: number) => string, token: string, rate: number, seconds: number): Promise<Stats> {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const begin = performance.now();
  for (let i = 0; i < total; i += 1) {
    const scheduled = begin + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      // Node's fetch keeps connections alive between requests.
      fetch(url(i), { headers: { authorization: `Bearer ${token}` } })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status !== 200) errors += 1;
          latencies.push(performance.now() - scheduled);
        })
        .catch(() => {
          errors += 1;
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - begin) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    rate,
    seconds,
    sent: total,
    errors,
    achievedRps: total / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

const ms = (value: number): string => value.toFixed(2);
const row = (label: string, s: Stats): string =>
  `| ${label} | ${s.rate} | ${s.seconds} | ${s.sent} | ${s.errors} | ${s.achievedRps.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`;

async function main(): Promise<void> {
  const fresh = await createFreshDatabase('cfg_bench');
  const database = createDatabase<unknown>({ url: fresh.url, poolMax: 10, applicationName: 'config-bench' });
  const roles = { appRole: uniqueName('cfg_bench_app'), systemRole: uniqueName('cfg_bench_system') };
  const keyDir = await mkdtemp(join(tmpdir(), 'cfg-bench-'));
  const redisPrefix = `${uniqueName('cfg_bench')}:{res}:`;
  const bus = createInProcessBus();
  const logger = createLogger({ service: 'config-service', level: 'silent' });
  const closers: Array<() => Promise<void>> = [];
  try {
    await sql.raw(`CREATE SCHEMA ${SCHEMA}`).execute(database.db);
    for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [SCHEMA] });
    await migrate({ db: database.db, schema: SCHEMA, dir: migrationsDir, direction: 'up', roles: { app_role: roles.appRole, system_role: roles.systemRole } });
    for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: [SCHEMA] });

    const signer = await createDevSigner({ keyDir });
    const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
    const token = await signer.mint({ subject: 'svc:sms-orchestrator', roles: ['service'], serviceName: 'sms-orchestrator', ttlSec: 3600 });
    const redisCache = new RedisResolutionCache({ url: testServices.redisUrl, keyPrefix: redisPrefix, ttlMs: 300_000 });
    await redisCache.ready();
    closers.push(() => redisCache.close());

    // Two servers over the same database: one with the Redis resolution cache, one without any cache.
    const serve = async (cache: ResolutionCache): Promise<{ base: string; runtime: ConfigServiceRuntime }> => {
      const runtime = await startConfigService({
        database,
        schema: SCHEMA,
        roles,
        bus,
        resolutionCache: cache,
        clock: systemClock,
        ids: uuidv7Generator,
        logger,
        registry: new Registry(),
      });
      const app = await createHttpApp({ service: 'config-service', version: 'bench', logger, registry: new Registry() });
      registerConfigRoutes(app, () => ({ useCases: runtime.useCases, authenticate: authenticate(verifier), metrics: runtime.metrics }));
      const listening = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
      closers.push(async () => {
        await app.close();
        for (const step of runtime.closers) await step.close();
      });
      return { base: `http://127.0.0.1:${listening.port}`, runtime };
    };
    const cached = await serve(redisCache);
    const uncached = await serve(noCache);

    // The tree: regions, tenants under them, sub-accounts, overrides at each level.
    const admin = { id: 'user:bench', roles: ['platform-admin'], tenantId: null, service: null };
    const uc = cached.runtime.useCases;
    const tenants: string[] = [];
    await uc.setValue.execute({ subject: admin, node: '/GLOBAL', key: 'sms.submit_rate_per_second', value: 200, reason: 'bench' });
    for (let r = 0; r < REGIONS; r += 1) {
      const region = `/GLOBAL/region:r${r}`;
      await uc.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: `r${r}`, reason: 'bench' });
      await uc.setValue.execute({ subject: admin, node: region, key: 'sms.max_parts_per_message', value: 4, reason: 'bench' });
      for (let t = 0; t < TENANTS_PER_REGION; t += 1) {
        const tenantId = `tenant-${r}-${t}`;
        tenants.push(tenantId);
        await uc.createNode.execute({ subject: admin, parent: region, level: 'tenant', name: `t${t}`, tenantId, reason: 'bench' });
        if (t % 2 === 0) await uc.setValue.execute({ subject: admin, node: `tenant:${tenantId}`, key: 'sms.submit_rate_per_second', value: 50 + t, reason: 'bench' });
        await uc.createNode.execute({ subject: admin, parent: `tenant:${tenantId}`, level: 'sub-account', name: 'main', reason: 'bench' });
      }
    }
    const urlOf = (base: string) => (i: number) => `${base}/v1/resolve?node=tenant:${tenants[i % tenants.length] ?? ''}`;

    const loadBefore = loadavg()[0] ?? 0;
    // Warm-up (JIT, connection pools, cache), then the measured runs.
    await load(urlOf(cached.base), token, 100, 5);
    await load(urlOf(uncached.base), token, 100, 5);
    process.stdout.write(`resolution at ${RATE} rps for ${DURATION_S} s, Redis cache…\n`);
    const withCache = await load(urlOf(cached.base), token, RATE, DURATION_S);
    process.stdout.write(`${row('Redis cache', withCache)}\nresolution at ${RATE} rps for ${DURATION_S} s, no cache…\n`);
    const withoutCache = await load(urlOf(uncached.base), token, RATE, DURATION_S);
    process.stdout.write(`${row('no cache', withoutCache)}\n`);

    // The highest rate this machine sustains with p95 < 10 ms (cached path), doubling then bisecting.
    const steps: Stats[] = [];
    const sustains = (s: Stats): boolean => s.p95 < 10 && s.errors === 0 && s.achievedRps >= s.rate * 0.95;
    let good = 0;
    let bad = 0;
    for (let rate = 50; rate <= 12_800; rate *= 2) {
      const s = await load(urlOf(cached.base), token, rate, STEP_S);
      steps.push(s);
      process.stdout.write(`${row('step', s)}\n`);
      if (!sustains(s)) {
        bad = rate;
        break;
      }
      good = rate;
    }
    for (let i = 0; i < 3 && bad > 0 && bad - good > good / 8; i += 1) {
      const rate = Math.round((good + bad) / 2);
      const s = await load(urlOf(cached.base), token, rate, STEP_S);
      steps.push(s);
      process.stdout.write(`${row('step', s)}\n`);
      if (sustains(s)) good = rate;
      else bad = rate;
    }

    const loadAfter = loadavg()[0] ?? 0;
    const pgVersion = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(database.db)).rows[0]?.v ?? '?';
    const redis = new Redis(testServices.redisUrl);
    const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
    redis.disconnect();
    const cpu = cpus();
    const section = [
      START,
      '## config-service: resolution latency',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -w services/config-service\` (services/config-service/bench/resolution.bench.ts).`,
      `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, PostgreSQL ${pgVersion}, Redis ${redisVersion}, all on localhost;`,
      'the load generator runs in the same process as the server (so it shares the CPU with it).',
      `1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after (other work was running on the machine: numbers are noisy).`,
      '',
      `What is measured: \`GET /v1/resolve?node=tenant:<id>\` over HTTP/1.1 keep-alive with a service token (JWT verified on every request, Cedar`,
      `access decision per key), ${REGIONS * TENANTS_PER_REGION} tenants under ${REGIONS} regions picked round-robin. Open-loop load: requests start on a`,
      'fixed schedule and each latency counts from its scheduled start. "Redis cache" is the production set-up (resolution cache in Redis,',
      'access still checked on every call); "no cache" reads PostgreSQL (node chain and key catalogue, under row-level security) every time.',
      '',
      '| run | target rps | seconds | requests | errors | achieved rps | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|---|---|---|---|',
      row('Redis cache', withCache),
      row('no cache', withoutCache),
      '',
      `Readiness target (checklist): resolution p95 < 100 ms at 50 rps. Result: p95 ${ms(withCache.p95)} ms with the cache, ${ms(withoutCache.p95)} ms without.`,
      '',
      `Highest rate sustained with p95 < 10 ms (Redis cache, ${STEP_S} s steps, no errors, ≥ 95 % of the target rate achieved): **${good} rps**.`,
      '',
      '| run | target rps | seconds | requests | errors | achieved rps | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...steps.map((s) => row('step', s)),
      END,
    ].join('\n');
    process.stdout.write(`\n${section}\n`);
    if (WRITE_DOC) await writeSection(section);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await bus.close();
    const redis = new Redis(testServices.redisUrl);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    for (const role of [roles.appRole, roles.systemRole]) await dropAppRole(database.db, role).catch(() => undefined);
    await database.close();
    await fresh.drop();
    await rm(keyDir, { recursive: true, force: true });
  }
}

/** Replaces this bench's section of docs/benchmarks.md (between its markers), or appends it; other sections stay. */
async function writeSection(section: string): Promise<void> {
  const current = await readFile(docFile, 'utf8').catch(() => '# Benchmarks\n\nNumbers from `npm run bench`; each section is written by its own benchmark.\n');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start !== -1 && end > start ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(docFile, next, 'utf8');
  process.stdout.write(`wrote ${docFile}\n`);
}

await main();
