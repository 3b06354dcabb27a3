import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { PipelineMetrics, PipelineResult, StageOutcome } from '../../application/ports/pipeline-metrics.port.js';
import type { PipelineStage } from '../../domain/pipeline-stage.js';

export type SubmitEndpoint = 'send' | 'bulk';
export type SubmitOutcome =
  | 'accepted'
  | 'replayed'
  | 'validation_failed'
  | 'idempotency_conflict'
  | 'idempotency_in_progress'
  | 'rate_limited'
  | 'error';

/** How the submit API's requests end (recorded by the HTTP adapter). */
export interface SubmitMetrics {
  submitted(endpoint: SubmitEndpoint, outcome: SubmitOutcome, seconds: number): void;
}

export type Dependency = 'postgres' | 'redis' | 'nats' | 'numbering' | 'routing-engine';
export type DependencyOutcome = 'ok' | 'error' | 'timeout';

/** Calls to what the orchestrator depends on; `error` and `timeout` feed the dependency alerts. */
export interface DependencyMetrics {
  dependencyCall(dependency: Dependency, operation: string, outcome: DependencyOutcome, seconds: number): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];
const PIPELINE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/**
 * The orchestrator's Prometheus metrics (docs/observability.md). Six families: submit
 * (`orch_submit_*`), pipeline stages (`orch_pipeline_stage_duration_seconds`, with the end-to-end
 * `orch_pipeline_duration_seconds`), retries (`orch_pipeline_retries_total`), dead letters
 * (`orch_dlq_messages_total`), dependencies (`orch_dependency_*`) and the outbox
 * (`orch_outbox_*`). The `gateway_*` series are compatibility aliases of the submit metrics the
 * retired api-gateway exported, kept for 30 days after the cutover (MIGRATION_PLAN §2.5).
 */
export class OrchestratorMetrics implements SubmitMetrics, PipelineMetrics, DependencyMetrics {
  private readonly submitRequests: Counter<'endpoint' | 'outcome'>;
  private readonly submitDuration: Histogram<'endpoint' | 'outcome'>;
  private readonly stageDuration: Histogram<'stage' | 'outcome'>;
  private readonly pipelineDuration: Histogram<'result'>;
  private readonly retries: Counter<'stage'>;
  private readonly deadLetters: Counter<'stage'>;
  private readonly dependencyRequests: Counter<'dependency' | 'operation' | 'outcome'>;
  private readonly dependencyDuration: Histogram<'dependency' | 'operation'>;
  private readonly gatewayRequests: Counter<'endpoint' | 'outcome'>;
  private readonly gatewayDuration: Histogram<'endpoint'>;
  private readonly gatewayReplays: Counter;
  private readonly gatewayRateLimited: Counter;
  private readonly gatewayPublishErrors: Counter;

  private outboxLag: (() => Promise<{ pending: number; oldestAgeMs: number }>) | undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    this.submitRequests = new Counter({
      name: 'orch_submit_requests_total',
      help: 'Submit API requests by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.submitDuration = new Histogram({
      name: 'orch_submit_duration_seconds',
      help: 'Time to answer a submit request (validation, idempotency, rate limit, storage)',
      labelNames: ['endpoint', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.stageDuration = new Histogram({
      name: 'orch_pipeline_stage_duration_seconds',
      help: 'Duration of one pipeline stage (validate, sender_lease, route, dispatch) by outcome',
      labelNames: ['stage', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.pipelineDuration = new Histogram({
      name: 'orch_pipeline_duration_seconds',
      help: 'From acceptance to leaving the pipeline, by result',
      labelNames: ['result'],
      buckets: PIPELINE_BUCKETS,
      registers,
    });
    this.retries = new Counter({
      name: 'orch_pipeline_retries_total',
      help: 'Pipeline retries scheduled after a transient failure, by stage',
      labelNames: ['stage'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'orch_dlq_messages_total',
      help: 'Messages dead-lettered after every retry failed, by the stage that kept failing',
      labelNames: ['stage'],
      registers,
    });
    this.dependencyRequests = new Counter({
      name: 'orch_dependency_requests_total',
      help: 'Calls to dependencies (postgres, redis, nats, numbering, routing-engine) by outcome',
      labelNames: ['dependency', 'operation', 'outcome'],
      registers,
    });
    this.dependencyDuration = new Histogram({
      name: 'orch_dependency_duration_seconds',
      help: 'Duration of calls to dependencies',
      labelNames: ['dependency', 'operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const lagOf = async () => {
      try {
        return this.outboxLag ? await this.outboxLag() : undefined;
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'orch_outbox_pending_events',
      help: 'Events written to the outbox and not yet published to NATS',
      registers,
      async collect() {
        const lag = await lagOf();
        if (lag !== undefined) this.set(lag.pending);
      },
    });
    new Gauge({
      name: 'orch_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox event',
      registers,
      async collect() {
        const lag = await lagOf();
        if (lag !== undefined) this.set(lag.oldestAgeMs / 1000);
      },
    });
    // Compatibility aliases of the api-gateway's submit metrics (remove 30 days after the cutover).
    this.gatewayRequests = new Counter({
      name: 'gateway_sms_requests_total',
      help: 'DEPRECATED alias of orch_submit_requests_total (api-gateway compatibility, 30 days)',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.gatewayDuration = new Histogram({
      name: 'gateway_sms_request_duration_seconds',
      help: 'DEPRECATED alias of orch_submit_duration_seconds (api-gateway compatibility, 30 days)',
      labelNames: ['endpoint'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.gatewayReplays = new Counter({
      name: 'gateway_idempotency_replays_total',
      help: 'DEPRECATED alias of orch_submit_requests_total{outcome="replayed"} (api-gateway compatibility, 30 days)',
      registers,
    });
    this.gatewayRateLimited = new Counter({
      name: 'gateway_rate_limited_total',
      help: 'DEPRECATED alias of orch_submit_requests_total{outcome="rate_limited"} (api-gateway compatibility, 30 days)',
      registers,
    });
    this.gatewayPublishErrors = new Counter({
      name: 'gateway_nats_publish_errors_total',
      help: 'DEPRECATED alias of orch_dependency_requests_total{dependency="nats",outcome!="ok"} (api-gateway compatibility, 30 days)',
      registers,
    });
  }

  /** Where the outbox gauges read the relay's lag (set once the relay exists). */
  attachOutbox(lag: () => Promise<{ pending: number; oldestAgeMs: number }>): void {
    this.outboxLag = lag;
  }

  submitted(endpoint: SubmitEndpoint, outcome: SubmitOutcome, seconds: number): void {
    this.submitRequests.inc({ endpoint, outcome });
    this.submitDuration.observe({ endpoint, outcome }, seconds);
    this.gatewayRequests.inc({ endpoint, outcome });
    this.gatewayDuration.observe({ endpoint }, seconds);
    if (outcome === 'replayed') this.gatewayReplays.inc();
    if (outcome === 'rate_limited') this.gatewayRateLimited.inc();
  }

  observeStage(stage: PipelineStage, outcome: StageOutcome, seconds: number): void {
    this.stageDuration.observe({ stage, outcome }, seconds);
  }

  retryScheduled(stage: PipelineStage, _attempt: number): void {
    this.retries.inc({ stage });
  }

  deadLettered(stage: PipelineStage): void {
    this.deadLetters.inc({ stage });
  }

  pipelineFinished(result: PipelineResult, secondsSinceAccepted: number): void {
    this.pipelineDuration.observe({ result }, secondsSinceAccepted);
  }

  dependencyCall(dependency: Dependency, operation: string, outcome: DependencyOutcome, seconds: number): void {
    this.dependencyRequests.inc({ dependency, operation, outcome });
    this.dependencyDuration.observe({ dependency, operation }, seconds);
    if (dependency === 'nats' && outcome !== 'ok') this.gatewayPublishErrors.inc();
  }
}
