import type { PipelineStage } from '../../domain/pipeline-stage.js';

/** How a stage ended: passed, failed for good, failed for now, found the validity elapsed, or lost a race. */
export type StageOutcome = 'ok' | 'permanent' | 'transient' | 'expired' | 'conflict';

/** How a message left the pipeline. */
export type PipelineResult = 'dispatched' | 'rejected' | 'expired' | 'dead_lettered';

/**
 * Pipeline observations; the adapter records them as Prometheus metrics (a stage-duration
 * histogram labelled by stage and outcome, retry and dead-letter counters, an end-to-end
 * histogram). Implementations must not throw: a metrics fault must never fail a message.
 */
export interface PipelineMetrics {
  observeStage(stage: PipelineStage, outcome: StageOutcome, seconds: number): void;
  retryScheduled(stage: PipelineStage, attempt: number): void;
  deadLettered(stage: PipelineStage): void;
  /** From acceptance to leaving the pipeline (wall clock), for the P95 pipeline latency objective. */
  pipelineFinished(result: PipelineResult, secondsSinceAccepted: number): void;
}
