// Open-loop load generator for ValidateLease (run by validate-lease.bench.ts as a child process, so the
// client has its own CPU time and event loop). Requests are sent on a fixed schedule whatever the answers;
// each latency is measured from the request's scheduled time (no coordinated omission).
import { credentials } from '@grpc/grpc-js';
import { createNumberingClient } from '../src/adapters/grpc/numbering-contract.js';

interface Job {
  readonly address: string;
  readonly token: string;
  readonly tenantId: string;
  readonly senders: readonly string[];
  readonly rate: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly channels: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const clients = Array.from({ length: job.channels }, (_, i) =>
  createNumberingClient(job.address, credentials.createInsecure(), {
    token: job.token,
    timeoutMs: 5000,
    // Separate channels (one HTTP/2 connection each), as several orchestrator replicas would have.
    channelOptions: { 'grpc.use_local_subchannel_pool': 1, 'grpc.primary_user_agent': `bench-${i}` },
  }),
);

const total = Math.round(job.rate * (job.warmupS + job.durationS));
const warmupCount = Math.round(job.rate * job.warmupS);
const latencies = new Float64Array(total);
let sent = 0;
let done = 0;
let failed = 0;
let invalid = 0;
let dropped = 0;
let inFlight = 0;
// An open loop against a saturated server would pile up calls until memory runs out: beyond two seconds'
// worth of calls in flight, a scheduled call is not sent and counts as dropped (latency: infinite).
const maxInFlight = Math.max(100, job.rate * 2);
const startNs = process.hrtime.bigint();
const intervalNs = 1e9 / job.rate;

await new Promise<void>((resolve) => {
  const finish = (): void => {
    done += 1;
    if (done === total) resolve();
  };
  const send = (i: number): void => {
    const scheduled = startNs + BigInt(Math.round(i * intervalNs));
    if (inFlight >= maxInFlight) {
      if (i >= warmupCount) dropped += 1;
      latencies[i] = Number.POSITIVE_INFINITY;
      finish();
      return;
    }
    inFlight += 1;
    const client = clients[i % clients.length];
    const sender = job.senders[i % job.senders.length] ?? '';
    client
      ?.validateLease({ sender, tenantId: job.tenantId, use: 'otp' })
      .then(
        (answer) => {
          if (!answer.valid && i >= warmupCount) invalid += 1;
        },
        (error: unknown) => {
          if (i >= warmupCount) failed += 1;
          if (failed === 1 && i >= warmupCount) process.stderr.write(`first failure: ${error instanceof Error ? error.message : String(error)}\n`);
        },
      )
      .finally(() => {
        inFlight -= 1;
        latencies[i] = Number(process.hrtime.bigint() - scheduled) / 1e6;
        finish();
      });
  };
  const tick = (): void => {
    const due = Math.min(total, Math.floor(Number(process.hrtime.bigint() - startNs) / intervalNs) + 1);
    while (sent < due) send(sent++);
    // A 1 ms timer, not a busy loop: the generator shares the machine with the server.
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});
const elapsedS = Number(process.hrtime.bigint() - startNs) / 1e9;
for (const client of clients) client.close();

const measured = Array.from(latencies.subarray(warmupCount)).sort((a, b) => a - b);
const finite = measured.filter((l) => Number.isFinite(l));
const pct = (p: number): number => measured[Math.min(measured.length - 1, Math.floor((p / 100) * measured.length))] ?? Number.NaN;
const measuredS = elapsedS - job.warmupS;
process.stdout.write(
  `${JSON.stringify({
    offeredRps: job.rate,
    durationS: job.durationS,
    requests: measured.length,
    achievedRps: (measured.length - dropped - failed) / measuredS,
    failed,
    dropped,
    invalid,
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
    maxMs: finite[finite.length - 1] ?? Number.NaN,
  })}\n`,
);
