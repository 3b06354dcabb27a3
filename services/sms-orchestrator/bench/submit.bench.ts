// `npm run bench -w services/sms-orchestrator`: drives the real HTTP API (TCP, keep-alive) of the
// orchestrator on the real PostgreSQL, Redis and NATS of this machine at a fixed offered rate, with
// the pipeline running against stand-ins of numbering-service (gRPC) and routing-engine (HTTP), and
// prints a Markdown report: sustained accepted TPS, submit latency P50/P95/P99 (client side), the
// pipeline latency P95 (acceptance → routed and dispatched, from the stored history) and where the
// time goes (server-side metrics). Settings: BENCH_RATE (default 500/s), BENCH_DURATION_S (60),
// BENCH_PIPELINE_CONCURRENCY (16), BENCH_TENANTS (50), BENCH_POOL_MAX (30 PostgreSQL connections).
import { cpus, loadavg, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { startHttpServer } from '@sms/http';
import type { Registry } from 'prom-client';
import { createOrchTestDatabase } from '../test/support/orch-database.js';
import { startOrchestratorFixture } from '../test/support/orchestrator-fixture.js';
import type { LoadResult, LoadSettings } from './load.worker.js';

const rate = Number(process.env.BENCH_RATE ?? 500);
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 60);
const pipelineConcurrency = process.env.BENCH_PIPELINE_CONCURRENCY ?? '16';
const tenantCount = Number(process.env.BENCH_TENANTS ?? 50);
const poolMax = Number(process.env.BENCH_POOL_MAX ?? 30);
// Workers do not inherit tsx's loader here; each one registers it and imports its TypeScript entry.
function tsWorker(entry: string, workerData?: unknown): Worker {
  const url = new URL(entry, import.meta.url).href;
  const code = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
  return new Worker(code, { eval: true, workerData });
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

async function means(registry: Registry, name: string, key: (labels: Partial<Record<string, string | number>>) => string): Promise<Map<string, { count: number; sum: number }>> {
  const metric = await registry.getSingleMetric(name)?.get();
  const out = new Map<string, { count: number; sum: number }>();
  for (const value of metric?.values ?? []) {
    const suffix = (value as { metricName?: string }).metricName ?? '';
    if (!suffix.endsWith('_sum') && !suffix.endsWith('_count')) continue;
    const k = key(value.labels);
    const entry = out.get(k) ?? { count: 0, sum: 0 };
    if (suffix.endsWith('_sum')) entry.sum += value.value;
    else entry.count += value.value;
    out.set(k, entry);
  }
  return out;
}

const stubs = tsWorker('./stubs.worker.ts');
const addresses = await new Promise<{ numbering: string; routing: string }>((resolve) => stubs.once('message', resolve));
const database = await createOrchTestDatabase('orch_bench', { poolMax });
const fixture = await startOrchestratorFixture({
  label: 'orch_bench',
  database,
  logLevel: 'info',
  captureLogs: false,
  env: {
    NUMBERING_GRPC_ADDRESS: addresses.numbering,
    ROUTING_ENGINE_URL: addresses.routing,
    ORCH_PIPELINE_CONCURRENCY: pipelineConcurrency,
    ORCH_SUBMIT_RATE_PER_SECOND: '100000',
    ORCH_SUBMIT_BURST: '100000',
    ORCH_RETRY_SWEEP_INTERVAL_MS: '1000',
  },
});
try {
  const server = await startHttpServer(fixture.app, { host: '127.0.0.1', port: 0 });
  const tokens = await Promise.all(Array.from({ length: tenantCount }, async (_, i) => ({ tenantId: `bench-tenant-${i}`, token: await fixture.tokenFor(`bench-tenant-${i}`) })));
  const settings: LoadSettings = { url: server.url, ratePerSecond: rate, durationSeconds, tokens, maxInFlight: 512 };
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const load = tsWorker('./load.worker.ts', settings);
  const result = await new Promise<LoadResult>((resolve, reject) => {
    load.once('message', resolve);
    load.once('error', reject);
  });
  await load.terminate();

  const db = fixture.database.database.db;
  const drainStarted = performance.now();
  for (;;) {
    const pending = await sql<{ n: number }>`SELECT count(*)::int AS n FROM orch.sms_messages WHERE status = 'accepted'`.execute(db);
    if ((pending.rows[0]?.n ?? 0) === 0 || performance.now() - drainStarted > 180_000) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const wallSeconds = (performance.now() - wallBefore) / 1000;

  const accepted = result.samples.filter(([, , status]) => status === 202);
  const latencies = accepted.map(([, latency]) => latency).sort((a, b) => a - b);
  const byStatus = new Map<number, number>();
  for (const [, , status] of result.samples) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const perSecond = new Map<number, number>();
  for (const [offset] of accepted) perSecond.set(Math.floor(offset / 1000), (perSecond.get(Math.floor(offset / 1000)) ?? 0) + 1);
  const seconds = [...perSecond.entries()].filter(([second]) => second >= 5 && second < durationSeconds - 1).map(([, n]) => n).sort((a, b) => a - b);

  const pipeline = await sql<{ p50: number; p95: number; p99: number; routed: number; other: number }>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*)::int AS routed,
           (SELECT count(*)::int FROM orch.sms_messages WHERE status <> 'routed') AS other
    FROM (SELECT extract(epoch FROM ((status_history->1->>'at')::timestamptz - accepted_at)) * 1000 AS ms
          FROM orch.sms_messages WHERE status = 'routed') AS t`.execute(db);
  const p = pipeline.rows[0]!;
  const stages = await means(fixture.registry, 'orch_pipeline_stage_duration_seconds', (l) => String(l.stage ?? ""));
  const deps = await means(fixture.registry, 'orch_dependency_duration_seconds', (l) => `${String(l.dependency ?? "")}/${String(l.operation ?? "")}`);
  const submits = await means(fixture.registry, 'orch_submit_duration_seconds', () => 'send');

  const lines = [
    `### sms-orchestrator submit benchmark (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; PostgreSQL, Redis and NATS on the same machine; load average after the run ${loadavg().map((v) => v.toFixed(2)).join(' ')}.`,
    `Service: pipeline workers ${pipelineConcurrency}, PostgreSQL pool ${poolMax}, log level info (lines serialized and redacted, then discarded).`,
    `Offered: ${rate} requests/s of POST /v1/sms/send (each with an Idempotency-Key, ${tenantCount} tenants) for ${durationSeconds} s, open loop, keep-alive, at most 512 in flight (${result.skipped} not started because 512 were outstanding).`,
    '',
    '| measure | value |',
    '|---|---|',
    `| requests answered | ${result.samples.length} (${[...byStatus.entries()].map(([s, n]) => `${s === 0 ? 'transport error' : s}: ${n}`).join(', ')}) |`,
    `| accepted (202) per second, over the run | ${(accepted.length / (result.elapsedMs / 1000)).toFixed(0)} |`,
    `| accepted per second, per-second min / median (steady state) | ${seconds[0] ?? 0} / ${percentile(seconds, 50)} |`,
    `| submit latency P50 / P95 / P99 / max (client) | ${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))} / ${ms(percentile(latencies, 99))} / ${ms(latencies.at(-1) ?? Number.NaN)} |`,
    `| submit time in the service (mean, server side) | ${ms(((submits.get('send')?.sum ?? 0) / (submits.get('send')?.count || 1)) * 1000)} |`,
    `| pipeline latency P50 / P95 / P99 (accepted → routed + dispatched) | ${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)} (${p.routed} routed, ${p.other} in another status) |`,
    `| drain after the load stopped | ${((performance.now() - drainStarted) / 1000).toFixed(1)} s |`,
    `| CPU of the service process (service + stand-ins + load threads) | ${((cpu.user + cpu.system) / 1e6 / wallSeconds).toFixed(2)} cores on average |`,
    '',
    'Where the time goes (server-side means):',
    '',
    '| part | mean | count |',
    '|---|---|---|',
    ...[...stages.entries()].map(([stage, v]) => `| pipeline stage ${stage} | ${ms((v.sum / (v.count || 1)) * 1000)} | ${v.count} |`),
    ...[...deps.entries()].sort().map(([dep, v]) => `| ${dep} | ${ms((v.sum / (v.count || 1)) * 1000)} | ${v.count} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await fixture.close();
  await database.cleanup();
  stubs.postMessage('stop');
  await new Promise((resolve) => stubs.once('exit', resolve));
}
