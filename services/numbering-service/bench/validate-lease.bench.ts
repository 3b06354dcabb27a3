// `npm run bench -w services/numbering-service`: ValidateLease over a real gRPC connection on the cache-hit
// path (Redis warm), at a fixed offered rate, for BENCH_DURATION_S seconds (default 60) after a warm-up.
// Needs the PostgreSQL and Redis of the test setup (TEST_PG_ADMIN_URL, TEST_REDIS_URL); creates its own
// database, roles and key prefix and removes them afterwards. Writes its section of docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import { createDatabase, dropAppRole, ensureAppRole, migrate } from '@sms/db';
import { ok, systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { Registry } from 'prom-client';
import { createFreshDatabase, testServices, uniqueName } from '@sms/testing';
import { createNumberingPolicy, InMemoryOperatorKeyring, newInventoryNumber } from '../src/index.js';
import type { Actor } from '../src/index.js';
import { cachingVerifier } from '../src/adapters/auth/caching-token.verifier.js';
import { createNumberingClient } from '../src/adapters/grpc/numbering-contract.js';
import { NumberingMetrics } from '../src/adapters/observability/numbering-metrics.js';
import { createNumberingGrpcServer, listenGrpc, shutdownGrpc } from '../src/adapters/grpc/numbering-grpc.server.js';
import { SYSTEM_SCOPE } from '../src/adapters/postgres/numbering-scope.js';
import type { NumberingTables } from '../src/adapters/postgres/numbering-tables.js';
import { PostgresNumberingStore } from '../src/adapters/postgres/postgres-numbering.store.js';
import { RedisLeaseCache } from '../src/adapters/redis/redis-lease.cache.js';
import { createNumberingUseCases } from '../src/composition/numbering-use-cases.js';

/** Offered rates, one run of DURATION_S each: the checklist's 5000/s, and a lower one this machine may sustain. */
const RATES = (process.env.BENCH_RATES ?? '5000,1000').split(',').map(Number);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 1000);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 4);
const TENANT = 'bench-tenant';
const ADMIN: Actor = { role: 'admin', id: 'bench' };
const MARK_BEGIN = '<!-- numbering-service:validate-lease:begin -->';
const MARK_END = '<!-- numbering-service:validate-lease:end -->';

const must = <T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
};

const fresh = await createFreshDatabase('numbering_bench');
const database = createDatabase<NumberingTables>({ url: fresh.url, poolMax: 10 });
const roles = { appRole: uniqueName('bench_app'), systemRole: uniqueName('bench_sys') };
const keyPrefix = `${uniqueName('numbering_bench')}:`;
const keyDir = await mkdtemp(join(tmpdir(), 'numbering-bench-'));
const cache = new RedisLeaseCache({ url: testServices.redisUrl, keyPrefix, ttlMs: 10 * 60_000 });
const log = (line: string): void => void process.stderr.write(`${line}\n`);

try {
  await sql`CREATE SCHEMA numbering`.execute(database.db);
  for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: ['numbering'] });
  await migrate({
    db: database.db,
    schema: 'numbering',
    dir: fileURLToPath(new URL('../migrations', import.meta.url)),
    direction: 'up',
    roles: { app_role: roles.appRole, system_role: roles.systemRole },
  });
  for (const role of [roles.appRole, roles.systemRole]) await ensureAppRole({ db: database.db, role, schemas: ['numbering'] });

  const store = new PostgresNumberingStore({ db: database.db, schema: 'numbering', roles, clock: systemClock });
  const useCases = createNumberingUseCases({
    ports: (scope) => store.scoped(scope),
    leaseCache: cache,
    clock: systemClock,
    ids: uuidv7Generator,
    policy: createNumberingPolicy(),
    keyring: new InMemoryOperatorKeyring(),
  });
  const admin = useCases.forActor(ADMIN);
  let keys = 0;
  const key = (): string => `bench-${(keys += 1)}`;
  const contract = must(
    await admin.createContract.execute({ actor: ADMIN, idempotencyKey: key(), operatorCode: 'ROSHAN', reference: 'CTR-BENCH', startsAt: '2020-01-01T00:00:00.000Z', endsAt: null }),
  );
  const block = must(
    await admin.createBlock.execute({
      actor: ADMIN,
      idempotencyKey: key(),
      operatorCode: 'ROSHAN',
      contractReference: 'CTR-BENCH',
      reference: 'BLK-BENCH',
      kind: 'msisdn',
      rangeStart: '+93700000000',
      rangeEnd: '+93709999999',
    }),
  );
  const pool = must(await admin.createPool.execute({ actor: ADMIN, idempotencyKey: key(), reference: 'general', name: 'General', kind: null, segments: [] }));
  const tenantPool = must(await admin.createTenantPool.execute({ actor: ADMIN, idempotencyKey: key(), tenantId: TENANT, name: 'Bench', segment: 'enterprise' }));
  const senders = Array.from({ length: SENDERS }, (_, i) => `+9370${String(1_000_000 + i).padStart(7, '0')}`);
  const now = systemClock.now();
  await store.scoped(SYSTEM_SCOPE).unitOfWork.run(async (tx) => {
    await tx.numbers.insertNew(
      senders.map((value) =>
        newInventoryNumber(
          uuidv7Generator.next(),
          { kind: 'msisdn', value, operatorCode: 'ROSHAN', contractId: contract.id, blockId: block.id, poolId: pool.id, tier: 'standard' },
          now,
        ),
      ),
    );
    return ok();
  });
  log(`leasing ${SENDERS} senders…`);
  for (const number of senders) {
    must(await admin.reserve.execute({ actor: ADMIN, idempotencyKey: key(), number, tenantId: TENANT, tenantPoolId: tenantPool.id }));
    must(await admin.assign.execute({ actor: ADMIN, idempotencyKey: key(), number, tenantId: TENANT, uses: ['otp', 'transactional'] }));
  }

  const signer = await createDevSigner({ keyDir });
  const verifier = cachingVerifier(createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem }));
  const registry = new Registry();
  const metrics = new NumberingMetrics(registry);
  const server = createNumberingGrpcServer({ useCases: () => useCases, verifier, logger: createLogger({ service: 'numbering-bench', level: 'silent' }), metrics });
  const port = await listenGrpc(server, '127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const token = await signer.mint({ subject: 'sms-orchestrator', serviceName: 'sms-orchestrator', ttlSec: 3600 });

  // Warm the cache: every sender once (miss → PostgreSQL → put), then the run only hits.
  const warm = createNumberingClient(address, credentials.createInsecure(), { token });
  for (const sender of senders) {
    if (!(await warm.validateLease({ sender, tenantId: TENANT, use: 'otp' })).valid) throw new Error(`sender ${sender} does not validate`);
  }
  warm.close();

  const runs: { result: Record<string, number>; loadBefore: number; loadAfter: number; served: string }[] = [];
  for (const rate of RATES) {
    metrics.validateLease.reset();
    const loadBefore = loadavg()[0] ?? 0;
    log(`offering ${rate} ValidateLease/s for ${DURATION_S} s (after ${WARMUP_S} s warm-up) over ${CHANNELS} channels to ${address}…`);
    const job = { address, token, tenantId: TENANT, senders, rate, durationS: DURATION_S, warmupS: WARMUP_S, channels: CHANNELS };
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load-generator.ts', import.meta.url)), JSON.stringify(job)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`load generator exited ${String(code)}`))));
    });
    const loadAfter = loadavg()[0] ?? 0;
    const counts = await metrics.validateLease.get();
    const served = counts.values.map((v) => `${v.value} from ${String(v.labels.source)} (cache ${String(v.labels.cache)})`).join(', ');
    log(`server at ${rate}/s: ${served}`);
    runs.push({ result: JSON.parse(output) as Record<string, number>, loadBefore, loadAfter, served });
  }
  await shutdownGrpc(server, 5000);
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node.js ${process.version}`;
  const fmt = (n: number | null | undefined): string => (n === undefined || n === null ? 'Infinity' : n.toFixed(2));
  const section = [
    MARK_BEGIN,
    '## numbering-service: ValidateLease over gRPC (cache hit)',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} with \`npm run bench -w services/numbering-service\` (\`services/numbering-service/bench/\`).`,
    '',
    `- Machine: ${machine}. Server (gRPC, use case, Redis lease cache) and load generator (a child process)`,
    '  ran on the same machine; PostgreSQL, Redis and NATS of the test setup ran there too.',
    `- Load: open loop, the offered rate on a fixed schedule for ${DURATION_S} s after a ${WARMUP_S} s warm-up, ${CHANNELS} gRPC channels,`,
    `  ${SENDERS} distinct leased senders, the cache warmed first; latency measured from each request's scheduled send`,
    '  time, so queueing behind a saturated server counts. One service token (verified once, then cached).',
    '',
    '| offered RPS | answered RPS | requests | failed | dropped | P50 ms | P95 ms | P99 ms | max ms | load avg before → after |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      ({ result, loadBefore, loadAfter }) =>
        `| ${result.offeredRps} | ${fmt(result.achievedRps)} | ${result.requests} | ${result.failed} | ${result.dropped} | ${fmt(result.p50Ms)} | ${fmt(result.p95Ms)} | ${fmt(result.p99Ms)} | ${fmt(result.maxMs)} | ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} |`,
    ),
    '',
    ...runs.map(({ result, served }) => `- Server answers during the ${result.offeredRps}/s run (warm-up included): ${served}.`),
    '- "Dropped": calls not sent because two seconds\' worth were already in flight (the server was saturated); they count as',
    '  infinitely slow in the percentiles ("Infinity": more than that share was dropped). "Failed": an error or past the 5 s deadline.',
    `- The load average is the 1-minute average of the whole machine (${cpu.length} cores): anything above ${cpu.length} means other work competed for the CPU.`,
    '',
    'Target of the readiness checklist: P95 ≤ 20 ms at 5000 RPS (sustained for 10 min in staging).',
    MARK_END,
  ].join('\n');
  process.stdout.write(`${section}\n`);
  if (process.env.BENCH_WRITE !== '0') {
    const file = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
    const current = await readFile(file, 'utf8').catch(() => '# Benchmarks\n\nResults of `npm run bench` (never run in CI); each section belongs to the package that wrote it.\n');
    const start = current.indexOf(MARK_BEGIN);
    const end = current.indexOf(MARK_END);
    const next = start >= 0 && end > start ? `${current.slice(0, start)}${section}${current.slice(end + MARK_END.length)}` : `${current.trimEnd()}\n\n${section}\n`;
    await writeFile(file, next);
    log(`wrote ${file}`);
  }
} finally {
  await cache.close();
  const redis = new Redis(testServices.redisUrl);
  const left = await redis.keys(`${keyPrefix}*`);
  if (left.length > 0) await redis.del(...left);
  redis.disconnect();
  for (const role of [roles.appRole, roles.systemRole]) await dropAppRole(database.db, role).catch(() => undefined);
  await database.close();
  await fresh.drop();
  await rm(keyDir, { recursive: true, force: true });
}
