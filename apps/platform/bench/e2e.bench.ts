// `npm run bench -w apps/platform` (or `npm run bench` for every workspace): the whole platform
// end to end. It starts the platform as `npm start` does (every service in this process, the demo
// topology seeded on five SMSC simulators that accept at once and send a DELIVRD receipt at once)
// on the real PostgreSQL, Redis and NATS JetStream of this machine (a fresh database, its own
// stream prefix and subject namespace: the end-to-end tests' harness), offers POST /v1/sms/send at
// a fixed rate for a fixed time (open loop, keep-alive, spread over the five operators), waits for
// every message to reach a final status, and prints a Markdown report per run: sustained delivered
// messages per second, and the latency from the submit to `submitted` (the SMSC took it) and to
// `delivered` (its receipt came back), P50/P95/P99, from the stored status history.
//
// Settings: BENCH_RATE (offered messages/s, default 10: what this 2-core machine sustained, docs/benchmarks.md), BENCH_DURATION_S (25), BENCH_RUNS (3, one
// platform, one after the other, each drained before the next), BENCH_DRAIN_S (180: how long to
// wait for the last messages after the load), BENCH_MAX_IN_FLIGHT (256 requests outstanding).
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { startPlatformHarness } from '../test/support/platform-harness.js';
import type { PlatformHarness } from '../test/support/platform-harness.js';

const rate = Number(process.env.BENCH_RATE ?? 10);
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 25);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const drainSeconds = Number(process.env.BENCH_DRAIN_S ?? 180);
const maxInFlight = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 256);
/** One destination prefix of each demo operator. */
const PREFIXES = ['9379', '9370', '9378', '9377', '9374'];
const FINAL = ['delivered', 'undelivered', 'failed', 'expired', 'rejected', 'dead_lettered'];

interface Sent {
  /** When the load generator was due to send it (epoch ms): latencies count from here, so queueing in the client counts too. */
  readonly scheduledAt: number;
  readonly httpStatus: number;
  /** Submit round trip (202 or not), ms. */
  readonly httpMs: number;
  readonly messageId: string | null;
}

interface RunResult {
  readonly run: number;
  readonly offered: number;
  readonly skipped: number;
  readonly sent: readonly Sent[];
  readonly loadStart: number;
  readonly loadEnd: number;
  readonly drainedAfterMs: number | null;
  readonly finals: ReadonlyMap<string, { status: string; submittedAt: number | null; deliveredAt: number | null }>;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)}` : '–');

async function offerLoad(harness: PlatformHarness, run: number): Promise<{ sent: Sent[]; skipped: number; loadStart: number; loadEnd: number }> {
  const sent: Sent[] = [];
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  const total = Math.round(rate * durationSeconds);
  const loadStart = Date.now();
  for (let k = 0; k < total; k += 1) {
    const scheduledAt = loadStart + (k * 1000) / rate;
    const wait = scheduledAt - Date.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= maxInFlight) {
      skipped += 1;
      continue;
    }
    const to = `+${PREFIXES[k % PREFIXES.length] ?? ''}${String(1_000_000 + ((run * 100_000 + k) % 9_000_000))}`;
    const started = performance.now();
    const request = harness
      .send({ from: harness.shortCode, to, body: `bench run ${run} message ${k}` })
      .then(
        (answer) => {
          const id = answer.status === 202 ? String(answer.body['message_id']) : null;
          sent.push({ scheduledAt, httpStatus: answer.status, httpMs: performance.now() - started, messageId: id });
        },
        () => {
          sent.push({ scheduledAt, httpStatus: 0, httpMs: performance.now() - started, messageId: null });
        },
      )
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all([...inFlight]);
  return { sent, skipped, loadStart, loadEnd: loadStart + durationSeconds * 1000 };
}

interface HistoryEntry {
  readonly status: string;
  readonly at: string;
}

async function collect(db: pg.Client, ids: readonly string[]): Promise<Map<string, { status: string; submittedAt: number | null; deliveredAt: number | null }>> {
  const rows = await db.query<{ id: string; status: string; status_history: HistoryEntry[] }>(
    'SELECT id::text, status, status_history FROM orch.sms_messages WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const at = (history: readonly HistoryEntry[], status: string): number | null => {
    const entry = history.find((e) => e.status === status);
    return entry === undefined ? null : Date.parse(entry.at);
  };
  return new Map(rows.rows.map((row) => [row.id, { status: row.status, submittedAt: at(row.status_history, 'submitted'), deliveredAt: at(row.status_history, 'delivered') }]));
}

async function waitForFinal(db: pg.Client, ids: readonly string[], deadlineMs: number): Promise<boolean> {
  for (;;) {
    const open = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orch.sms_messages WHERE id = ANY($1::uuid[]) AND NOT (status = ANY($2::text[]))', [ids, FINAL]);
    if ((open.rows[0]?.n ?? 0) === 0) return true;
    if (Date.now() > deadlineMs) return false;
    await sleep(500);
  }
}

async function oneRun(harness: PlatformHarness, db: pg.Client, run: number): Promise<RunResult> {
  const loadBefore = loadavg()[0] ?? 0;
  const { sent, skipped, loadStart, loadEnd } = await offerLoad(harness, run);
  const ids = sent.flatMap((s) => (s.messageId === null ? [] : [s.messageId]));
  const drained = await waitForFinal(db, ids, Date.now() + drainSeconds * 1000);
  const drainedAfterMs = drained ? Date.now() - loadEnd : null;
  return {
    run,
    offered: Math.round(rate * durationSeconds),
    skipped,
    sent,
    loadStart,
    loadEnd,
    drainedAfterMs,
    finals: await collect(db, ids),
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
  };
}

function row(result: RunResult): string {
  const accepted = result.sent.filter((s) => s.httpStatus === 202);
  const byId = new Map(accepted.map((s) => [s.messageId ?? '', s]));
  const delivered = [...result.finals].filter(([, f]) => f.status === 'delivered' && f.deliveredAt !== null);
  const otherFinal = [...result.finals.values()].filter((f) => f.status !== 'delivered').length;
  const toSubmitted: number[] = [];
  const toDelivered: number[] = [];
  for (const [id, f] of result.finals) {
    const scheduledAt = byId.get(id)?.scheduledAt;
    if (scheduledAt === undefined) continue;
    if (f.submittedAt !== null) toSubmitted.push(f.submittedAt - scheduledAt);
    if (f.deliveredAt !== null) toDelivered.push(f.deliveredAt - scheduledAt);
  }
  toSubmitted.sort((a, b) => a - b);
  toDelivered.sort((a, b) => a - b);
  const http = accepted.map((s) => s.httpMs).sort((a, b) => a - b);
  // Sustained: deliveries that happened while the load was offered, per second of load; and the
  // per-second counts after the first 5 s (the chain filling up), min / median.
  const duringLoad = delivered.filter(([, f]) => (f.deliveredAt ?? 0) >= result.loadStart && (f.deliveredAt ?? 0) < result.loadEnd).length;
  const perSecond = new Array<number>(durationSeconds).fill(0);
  for (const [, f] of delivered) {
    const second = Math.floor(((f.deliveredAt ?? 0) - result.loadStart) / 1000);
    if (second >= 0 && second < durationSeconds) perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  const steady = perSecond.slice(5).sort((a, b) => a - b);
  const lastDelivered = Math.max(...delivered.map(([, f]) => f.deliveredAt ?? 0));
  const overall = delivered.length / ((lastDelivered - result.loadStart) / 1000);
  const refused = result.sent.length - accepted.length;
  return [
    `| ${result.run}`,
    `${result.offered} (${rate}/s × ${durationSeconds} s)${result.skipped > 0 ? `, ${result.skipped} not sent (${maxInFlight} in flight)` : ''}`,
    `${accepted.length}${refused > 0 ? ` (${refused} refused)` : ''}`,
    `${delivered.length}${otherFinal > 0 ? ` (+${otherFinal} other final)` : ''}${result.drainedAfterMs === null ? ` (${accepted.length - result.finals.size} not final after ${drainSeconds} s)` : ''}`,
    `${(duringLoad / durationSeconds).toFixed(1)} (${steady[0] ?? 0} / ${percentile(steady, 50)})`,
    overall.toFixed(1),
    `${ms(percentile(http, 50))} / ${ms(percentile(http, 95))} / ${ms(percentile(http, 99))}`,
    `${ms(percentile(toSubmitted, 50))} / ${ms(percentile(toSubmitted, 95))} / ${ms(percentile(toSubmitted, 99))}`,
    `${ms(percentile(toDelivered, 50))} / ${ms(percentile(toDelivered, 95))} / ${ms(percentile(toDelivered, 99))}`,
    result.drainedAfterMs === null ? `> ${drainSeconds} s` : `${(result.drainedAfterMs / 1000).toFixed(1)} s`,
    `${result.loadBefore.toFixed(1)} → ${result.loadAfter.toFixed(1)} |`,
  ].join(' | ');
}

const harness = await startPlatformHarness({
  label: 'e2e_bench',
  // The tenant's submit rate limit (100/s, burst 1,000 by default) must not be what is measured.
  env: { ORCH_SUBMIT_RATE_PER_SECOND: '100000', ORCH_SUBMIT_BURST: '100000' },
});
const db = new pg.Client({ connectionString: harness.databaseUrl });
try {
  await db.connect();
  await harness.waitForRoutes(60_000);
  // Warm-up (not reported): a few messages through every operator.
  const warm = await Promise.all(PREFIXES.map((prefix, i) => harness.send({ from: harness.shortCode, to: `+${prefix}9999990`, body: `warm-up ${i}` })));
  await waitForFinal(db, warm.map((w) => String(w.body['message_id'])), Date.now() + 60_000);

  const versions = await db.query<{ server_version: string }>('SHOW server_version');
  const results: RunResult[] = [];
  for (let run = 1; run <= runs; run += 1) {
    results.push(await oneRun(harness, db, run));
    process.stderr.write(`run ${run} done\n`);
  }
  const lines = [
    `### platform end to end (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; PostgreSQL ${versions.rows[0]?.server_version ?? '?'}, Redis and NATS JetStream on the same machine.`,
    `Platform: all six services, the five simulators and the load generator in one Node process (apps/platform/test/support/platform-harness.ts), log level silent.`,
    `Load: POST /v1/sms/send at ${rate}/s for ${durationSeconds} s per run, open loop, keep-alive, one tenant, round-robin over the five operators; ${runs} runs one after the other on one platform, each drained before the next.`,
    '',
    '| run | offered | accepted (202) | delivered | delivered/s during the load (per-second min / median after 5 s) | delivered/s, first submit → last receipt | submit HTTP P50 / P95 / P99 ms | submit → `submitted` P50 / P95 / P99 ms | submit → `delivered` P50 / P95 / P99 ms | drained after the load | load average (1 min) before → after |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await db.end().catch(() => undefined);
  await harness.stop();
}
