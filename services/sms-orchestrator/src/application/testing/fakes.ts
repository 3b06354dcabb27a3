import type { PipelineStage } from '../../domain/pipeline-stage.js';
import type { PipelineMetrics, PipelineResult, StageOutcome } from '../ports/pipeline-metrics.port.js';
import type { RandomSource } from '../ports/random-source.port.js';
import type { RateLimitDecision, RateLimiter } from '../ports/rate-limiter.port.js';
import type { RouteResult, Router } from '../ports/router.port.js';
import type { LeaseCheckResult, SenderLeaseChecker } from '../ports/sender-lease-checker.port.js';
import type { Stopwatch, StopwatchLap } from '../ports/stopwatch.port.js';
import type { SubmitRateLimit, TenantSettings, TenantSubmitSettings } from '../ports/tenant-settings.port.js';
import { DEFAULT_TENANT_SUBMIT_SETTINGS } from '../ports/tenant-settings.port.js';

/** Settings per tenant, the defaults for any other. */
export class StaticTenantSettings implements TenantSettings {
  private readonly byTenant = new Map<string, TenantSubmitSettings>();

  constructor(private readonly defaults: TenantSubmitSettings = DEFAULT_TENANT_SUBMIT_SETTINGS) {}

  set(tenantId: string, settings: Partial<TenantSubmitSettings>): void {
    this.byTenant.set(tenantId, { ...this.defaults, ...settings });
  }

  forTenant(tenantId: string): Promise<TenantSubmitSettings> {
    return Promise.resolve(this.byTenant.get(tenantId) ?? this.defaults);
  }
}

/** The token bucket of the rate-limiter port, per tenant, in memory. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  tryAcquire(tenantId: string, permits: number, limit: SubmitRateLimit, now: Date): Promise<RateLimitDecision> {
    const nowMs = now.getTime();
    const bucket = this.buckets.get(tenantId) ?? { tokens: limit.burst, at: nowMs };
    const elapsedSeconds = Math.max(0, nowMs - bucket.at) / 1000;
    const tokens = Math.min(limit.burst, bucket.tokens + elapsedSeconds * limit.messagesPerSecond);
    const needed = Math.min(permits, limit.burst);
    if (tokens < needed) {
      this.buckets.set(tenantId, { tokens, at: nowMs });
      return Promise.resolve({ allowed: false, retryAfterMs: Math.ceil(((needed - tokens) / limit.messagesPerSecond) * 1000) });
    }
    this.buckets.set(tenantId, { tokens: tokens - permits, at: nowMs });
    return Promise.resolve({ allowed: true });
  }
}

/** Answers from a script (the last answer repeats) and records every query. */
export class ScriptedSenderLeaseChecker implements SenderLeaseChecker {
  readonly queries: Parameters<SenderLeaseChecker['check']>[0][] = [];

  constructor(private readonly script: LeaseCheckResult[] = [{ outcome: 'leased' }]) {}

  answer(...results: LeaseCheckResult[]): void {
    this.script.splice(0, this.script.length, ...results);
  }

  check(query: Parameters<SenderLeaseChecker['check']>[0]): Promise<LeaseCheckResult> {
    this.queries.push(query);
    return Promise.resolve(next(this.script));
  }
}

/** Answers from a script (the last answer repeats) and records every query. */
export class ScriptedRouter implements Router {
  readonly queries: Parameters<Router['route']>[0][] = [];

  constructor(
    private readonly script: RouteResult[] = [{ outcome: 'route', route: { operatorId: 'roshan', connectionId: 'roshan-smpp-1' } }],
  ) {}

  answer(...results: RouteResult[]): void {
    this.script.splice(0, this.script.length, ...results);
  }

  route(query: Parameters<Router['route']>[0]): Promise<RouteResult> {
    this.queries.push(query);
    return Promise.resolve(next(this.script));
  }
}

function next<T>(script: T[]): T {
  const answer = script.length > 1 ? script.shift() : script[0];
  if (answer === undefined) throw new Error('script is empty');
  return answer;
}

/** Keeps every observation, for assertions. */
export class RecordingPipelineMetrics implements PipelineMetrics {
  readonly stages: { stage: PipelineStage; outcome: StageOutcome; seconds: number }[] = [];
  readonly retries: { stage: PipelineStage; attempt: number }[] = [];
  readonly deadLetters: PipelineStage[] = [];
  readonly finished: { result: PipelineResult; seconds: number }[] = [];

  observeStage(stage: PipelineStage, outcome: StageOutcome, seconds: number): void {
    this.stages.push({ stage, outcome, seconds });
  }
  retryScheduled(stage: PipelineStage, attempt: number): void {
    this.retries.push({ stage, attempt });
  }
  deadLettered(stage: PipelineStage): void {
    this.deadLetters.push(stage);
  }
  pipelineFinished(result: PipelineResult, seconds: number): void {
    this.finished.push({ result, seconds });
  }
}

/** Every lap lasts the same, configurable number of seconds. */
export class FixedStopwatch implements Stopwatch {
  constructor(public lapSeconds = 0.005) {}

  start(): StopwatchLap {
    return () => this.lapSeconds;
  }
}

/** Returns the given numbers in order, then repeats the last. */
export class SequenceRandom implements RandomSource {
  constructor(private readonly values: number[] = [0.5]) {}

  next(): number {
    return next(this.values);
  }
}
