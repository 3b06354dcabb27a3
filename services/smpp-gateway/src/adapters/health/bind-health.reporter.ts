import type { Bus } from '@sms/bus';
import type { Clock, IdGenerator } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import { SMPP_STATUS } from '../../domain/submit-retry-policy.js';
import type { BindState } from '../smpp/smpp-connection.js';

/**
 * Flow-control answers: the SMSC is up and asks the gateway to slow down, which it does (pacing and
 * resubmission). Counting them as errors would mark a busy operator down at operator-management and
 * move its traffic to the failover operators, so they do not count towards the error rate.
 */
const FLOW_CONTROL: ReadonlySet<number> = new Set([SMPP_STATUS.ESME_RTHROTTLED, SMPP_STATUS.ESME_RMSGQFUL]);

/** The NATS subject operator-management ingests health reports from (its docs/events.md, "Consumed"). */
export const HEALTH_REPORT_SUBJECT = 'ops.health.report';

/** A health report exactly as operator-management's `POST /v1/health-reports` and `ops.health.report` take it. */
export interface BindHealthReport {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly bindState: 'bound' | 'unbound' | 'binding';
  readonly latencyMs: number;
  readonly errorRate: number;
  readonly throughputPerSecond: number;
  readonly at: string;
}

export interface BindHealthReporterOptions {
  readonly bus: Bus;
  readonly subject: string;
  /** connectionId → operatorId of every configured connection. */
  readonly connections: ReadonlyMap<string, string>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Period of the reports sent without a state change. Default 15 s. */
  readonly intervalMs?: number;
}

interface Window {
  state: BindState;
  since: number;
  responses: number;
  failures: number;
  latencySumMs: number;
}

function reportedState(state: BindState): BindHealthReport['bindState'] {
  if (state === 'bound') return 'bound';
  return state === 'connecting' ? 'binding' : 'unbound';
}

/**
 * Sends each connection's bind health to operator-management: on every bind state change and every
 * `intervalMs`. Latency, error rate and throughput are measured over the submit responses seen since
 * the connection's previous report (a report resets its window). Publishing is best effort: health
 * is telemetry, a failed publish is logged and the next report supersedes it.
 */
export class BindHealthReporter {
  private readonly windows = new Map<string, Window>();
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: BindHealthReporterOptions) {
    this.intervalMs = options.intervalMs ?? 15_000;
    const now = options.clock.now().getTime();
    for (const connectionId of options.connections.keys()) {
      // Unbound until the pool starts binding, so the first 'connecting' is reported as binding.
      this.windows.set(connectionId, { state: 'stopped', since: now, responses: 0, failures: 0, latencySumMs: 0 });
    }
  }

  onStateChange(connectionId: string, state: BindState): void {
    const window = this.windows.get(connectionId);
    if (window === undefined || window.state === state) return;
    window.state = state;
    this.track(this.report(connectionId));
  }

  onSubmitResponse(connectionId: string, commandStatus: number, latencyMs: number): void {
    const window = this.windows.get(connectionId);
    if (window === undefined) return;
    window.responses += 1;
    if (commandStatus !== SMPP_STATUS.ESME_ROK && !FLOW_CONTROL.has(commandStatus)) window.failures += 1;
    window.latencySumMs += latencyMs;
  }

  /** Builds the connection's report from its window and resets the window. */
  snapshot(connectionId: string): BindHealthReport | null {
    const window = this.windows.get(connectionId);
    const operatorId = this.options.connections.get(connectionId);
    if (window === undefined || operatorId === undefined) return null;
    const now = this.options.clock.now();
    const elapsedSeconds = Math.max(now.getTime() - window.since, 0) / 1000;
    const report: BindHealthReport = {
      operatorId,
      connectionId,
      bindState: reportedState(window.state),
      latencyMs: window.responses === 0 ? 0 : Math.round(window.latencySumMs / window.responses),
      errorRate: window.responses === 0 ? 0 : window.failures / window.responses,
      throughputPerSecond: elapsedSeconds === 0 ? 0 : window.responses / elapsedSeconds,
      at: now.toISOString(),
    };
    window.since = now.getTime();
    window.responses = 0;
    window.failures = 0;
    window.latencySumMs = 0;
    return report;
  }

  /** Publishes a report of every connection now (the periodic tick). */
  async reportAll(): Promise<void> {
    await Promise.all([...this.windows.keys()].map((connectionId) => this.report(connectionId)));
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.track(this.reportAll()), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  private async report(connectionId: string): Promise<void> {
    const report = this.snapshot(connectionId);
    if (report === null) return;
    try {
      await this.options.bus.publish(this.options.subject, new TextEncoder().encode(JSON.stringify(report)), { msgId: this.options.ids.next() });
    } catch (error) {
      this.options.logger.warn({ connectionId, err: error }, 'bind health report not published');
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
