// The load generator of the submit benchmark, in its own thread: an open loop that starts requests
// at a fixed offered rate whatever the answers do, over keep-alive HTTP connections.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadSettings {
  readonly url: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly tokens: ReadonlyArray<{ readonly tenantId: string; readonly token: string }>;
  readonly maxInFlight: number;
}

export interface LoadResult {
  /** Per request: start time offset (ms), latency (ms), status (0 = transport error). */
  readonly samples: Array<[number, number, number]>;
  /** Requests not started because `maxInFlight` were outstanding (the server fell behind). */
  readonly skipped: number;
  readonly elapsedMs: number;
}

const settings = workerData as LoadSettings;
const agent = new Agent({ keepAlive: true, maxSockets: settings.maxInFlight });
const target = new URL('/v1/sms/send', settings.url);
const samples: Array<[number, number, number]> = [];
let inFlight = 0;
let skipped = 0;
let sequence = 0;

function fire(startedAt: number, origin: number): void {
  sequence += 1;
  const caller = settings.tokens[sequence % settings.tokens.length]!;
  const body = JSON.stringify({ to: `+9379${String(1_000_000 + (sequence % 8_999_999)).padStart(7, '0')}`, from: '+93701234567', body: `Bench message ${sequence}` });
  inFlight += 1;
  const req = request(
    target,
    {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${caller.token}`,
        'x-tenant-id': caller.tenantId,
        'idempotency-key': `bench-${sequence}-${startedAt}`,
      },
    },
    (response) => {
      response.resume();
      response.on('end', () => {
        inFlight -= 1;
        samples.push([startedAt - origin, performance.now() - startedAt, response.statusCode ?? 0]);
      });
    },
  );
  req.on('error', () => {
    inFlight -= 1;
    samples.push([startedAt - origin, performance.now() - startedAt, 0]);
  });
  req.end(body);
}

const origin = performance.now();
const total = Math.round(settings.ratePerSecond * settings.durationSeconds);
let issued = 0;
const tick = () => {
  const now = performance.now();
  const due = Math.min(total, Math.floor(((now - origin) / 1000) * settings.ratePerSecond));
  while (issued < due) {
    issued += 1;
    if (inFlight >= settings.maxInFlight) skipped += 1;
    else fire(performance.now(), origin);
  }
  if (issued < total) setTimeout(tick, 1);
  else {
    const wait = setInterval(() => {
      if (inFlight > 0) return;
      clearInterval(wait);
      agent.destroy();
      const result: LoadResult = { samples, skipped, elapsedMs: performance.now() - origin };
      parentPort?.postMessage(result);
    }, 20);
  }
};
tick();
