import pg from 'pg';
import type { Bus } from '@sms/bus';
import { getTracer, SpanStatusCode } from '@sms/tracing';
import type { PipelineMetrics, PipelineResult, StageOutcome } from '../../application/ports/pipeline-metrics.port.js';
import type { Router } from '../../application/ports/router.port.js';
import type { SenderLeaseChecker } from '../../application/ports/sender-lease-checker.port.js';
import type { UnitOfWork } from '../../application/ports/unit-of-work.port.js';
import type { PipelineStage } from '../../domain/pipeline-stage.js';
import type { DependencyMetrics } from './orchestrator-metrics.js';

const elapsed = (started: number): number => (performance.now() - started) / 1000;

/** True for an error of PostgreSQL itself or of the connection to it (not a use case's own control flow). */
export function isDatabaseFault(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return true;
  if (!(error instanceof Error)) return false;
  if ('syscall' in error || 'errno' in error) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}

/** Counts every unit of work, and as `error` those that failed because of PostgreSQL (OrchPgErrors). */
export function instrumentUnitOfWork(inner: UnitOfWork, metrics: DependencyMetrics): UnitOfWork {
  return {
    async run(tenantId, work) {
      const started = performance.now();
      try {
        const result = await inner.run(tenantId, work);
        metrics.dependencyCall('postgres', 'unit_of_work', 'ok', elapsed(started));
        return result;
      } catch (error) {
        metrics.dependencyCall('postgres', 'unit_of_work', isDatabaseFault(error) ? 'error' : 'ok', elapsed(started));
        throw error;
      }
    },
  };
}

/** Counts publishes to NATS (the outbox relay's), failed ones as `error` (OrchNatsPublishErrors). */
export function instrumentBus(bus: Bus, metrics: DependencyMetrics): Bus {
  return {
    async publish(subject, payload, options) {
      const started = performance.now();
      try {
        const ack = await bus.publish(subject, payload, options);
        metrics.dependencyCall('nats', 'publish', 'ok', elapsed(started));
        return ack;
      } catch (error) {
        metrics.dependencyCall('nats', 'publish', 'error', elapsed(started));
        throw error;
      }
    },
    subscribe: (spec, handler) => bus.subscribe(spec, handler),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}

const timedOut = (reason: string): boolean => /timed? ?out|deadline/i.test(reason);

/** Counts lease checks; `unavailable` answers are the numbering service's errors. */
export function instrumentSenderLeases(inner: SenderLeaseChecker, metrics: DependencyMetrics): SenderLeaseChecker {
  return {
    async check(query) {
      const started = performance.now();
      const result = await inner.check(query);
      const outcome = result.outcome !== 'unavailable' ? 'ok' : timedOut(result.reason) ? 'timeout' : 'error';
      metrics.dependencyCall('numbering', 'validate_lease', outcome, elapsed(started));
      return result;
    },
  };
}

/** Counts route queries; `unavailable` answers are the routing engine's errors (OrchRoutingEngineDown). */
export function instrumentRouter(inner: Router, metrics: DependencyMetrics): Router {
  return {
    async route(query) {
      const started = performance.now();
      const result = await inner.route(query);
      const outcome = result.outcome !== 'unavailable' ? 'ok' : timedOut(result.reason) ? 'timeout' : 'error';
      metrics.dependencyCall('routing-engine', 'route', outcome, elapsed(started));
      return result;
    },
  };
}

/**
 * Adds one OpenTelemetry span per pipeline stage to the stage metrics: the use case reports each
 * stage when it ends, with its duration, so the span is recorded with its real start and end,
 * as a child of the active pipeline span.
 */
export class TracingPipelineMetrics implements PipelineMetrics {
  private readonly tracer = getTracer('sms-orchestrator/pipeline');

  constructor(private readonly inner: PipelineMetrics) {}

  observeStage(stage: PipelineStage, outcome: StageOutcome, seconds: number): void {
    this.inner.observeStage(stage, outcome, seconds);
    const end = Date.now();
    const span = this.tracer.startSpan(`orch.stage ${stage}`, {
      startTime: end - seconds * 1000,
      attributes: { 'orch.stage': stage, 'orch.stage.outcome': outcome },
    });
    if (outcome === 'transient' || outcome === 'conflict') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    span.end(end);
  }

  retryScheduled(stage: PipelineStage, attempt: number): void {
    this.inner.retryScheduled(stage, attempt);
  }

  deadLettered(stage: PipelineStage): void {
    this.inner.deadLettered(stage);
  }

  pipelineFinished(result: PipelineResult, secondsSinceAccepted: number): void {
    this.inner.pipelineFinished(result, secondsSinceAccepted);
  }
}
