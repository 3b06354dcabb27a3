import { err, ok } from '@sms/kernel';
import type { Clock, EventEnvelope, IdGenerator, Result } from '@sms/kernel';
import { Destination } from '../domain/destination.js';
import { messageDeadLettered, messageStatusChanged, outboundRequested } from '../domain/message-events.js';
import type { PipelineStage } from '../domain/pipeline-stage.js';
import { assertRetryPolicy, decideRetry } from '../domain/retry-policy.js';
import type { RetryPolicy } from '../domain/retry-policy.js';
import type { Route, SmsMessage, StatusChange } from '../domain/sms-message.js';
import { messageNotFound } from './get-message.use-case.js';
import type { MessageNotFound } from './get-message.use-case.js';
import type { PipelineMetrics, PipelineResult, StageOutcome } from './ports/pipeline-metrics.port.js';
import type { RandomSource } from './ports/random-source.port.js';
import type { Router } from './ports/router.port.js';
import type { SenderLeaseChecker } from './ports/sender-lease-checker.port.js';
import type { Stopwatch } from './ports/stopwatch.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

export interface ProcessMessageDeps {
  readonly unitOfWork: UnitOfWork;
  readonly senderLeases: SenderLeaseChecker;
  readonly router: Router;
  readonly metrics: PipelineMetrics;
  readonly stopwatch: Stopwatch;
  readonly random: RandomSource;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly retryPolicy: RetryPolicy;
}

/** What one run of the pipeline did to the message. */
export type ProcessOutcome =
  | { readonly kind: 'dispatched'; readonly attempt: number; readonly route: Route }
  | { readonly kind: 'rejected'; readonly attempt: number; readonly stage: PipelineStage; readonly errorCode: string }
  | { readonly kind: 'expired'; readonly attempt: number }
  | { readonly kind: 'retry-scheduled'; readonly attempt: number; readonly stage: PipelineStage; readonly delayMs: number; readonly retryAt: Date }
  | { readonly kind: 'dead-lettered'; readonly attempt: number; readonly stage: PipelineStage }
  /**
   * Nothing to do: the message has left `accepted` (`not-pending`, e.g. a redelivered trigger),
   * its next retry is not due yet (`not-due`), or another worker changed it meanwhile
   * (`concurrent-update`; that worker's result stands).
   */
  | { readonly kind: 'skipped'; readonly reason: 'not-pending' | 'not-due' | 'concurrent-update' };

type StageVerdict<T> =
  | { readonly kind: 'pass'; readonly value: T }
  | { readonly kind: 'permanent'; readonly errorCode: string; readonly reason: string }
  | { readonly kind: 'transient'; readonly reason: string }
  | { readonly kind: 'expired' };

const pass = <T>(value: T): StageVerdict<T> => ({ kind: 'pass', value });

// The pipeline only moves messages it loaded as `accepted` and has not changed since, so the state
// machine always allows its moves; a refusal here is a bug.
function allowed<T>(result: Result<T, { readonly message: string }>): T {
  if (!result.ok) throw new Error(`pipeline bug: ${result.error.message}`);
  return result.value;
}

const OUTCOME_LABEL: Record<StageVerdict<unknown>['kind'], StageOutcome> = {
  pass: 'ok',
  permanent: 'permanent',
  transient: 'transient',
  expired: 'expired',
};

/**
 * The pipeline for one accepted message: validate → sender lease → route → dispatch.
 * - validate: the validity period has not elapsed (else `expired`) and the destination is still a
 *   valid number under the current metadata (else `rejected`, `ORCH.INVALID_DESTINATION`);
 * - sender lease: the numbering service confirms `from` is leased to the tenant;
 * - route: the routing engine picks operator and connection;
 * - dispatch: `routed` and the `sms.outbound.request` event are committed together (outbox).
 * A permanent failure ends the message `rejected` with the reason code. A transient one (a
 * dependency unavailable) schedules a retry with exponential backoff and full jitter; once the
 * retry policy's attempts are used up the message is dead-lettered. Dependencies are called
 * outside any transaction; every write is a compare-and-swap, so two workers on one message
 * produce one outcome. Run it when the accepted event arrives and when a retry falls due.
 */
export class ProcessMessage {
  constructor(private readonly deps: ProcessMessageDeps) {
    assertRetryPolicy(deps.retryPolicy);
  }

  async execute(ref: { readonly tenantId: string; readonly messageId: string }): Promise<Result<ProcessOutcome, MessageNotFound>> {
    const message = await this.deps.unitOfWork.run(ref.tenantId, (scope) => scope.messages.findById(ref.messageId));
    if (message === null) return err(messageNotFound(ref.messageId));
    if (message.status !== 'accepted') return ok({ kind: 'skipped', reason: 'not-pending' });
    if (!message.isDueForProcessing(this.deps.clock.now())) return ok({ kind: 'skipped', reason: 'not-due' });
    const attempt = message.pipelineAttempts + 1;

    const validated = await this.stage('validate', () => Promise.resolve(this.validate(message)));
    if (validated.kind !== 'pass') return this.fail(message, attempt, 'validate', validated);

    const leased = await this.stage('sender_lease', async () => {
      const result = await this.deps.senderLeases.check({ tenantId: message.tenantId, sender: message.from, at: this.deps.clock.now() });
      switch (result.outcome) {
        case 'leased':
          return pass(undefined);
        case 'not-leased':
          return { kind: 'permanent', errorCode: 'ORCH.SENDER_NOT_LEASED', reason: result.reason };
        case 'unavailable':
          return { kind: 'transient', reason: `numbering service unavailable: ${result.reason}` };
      }
    });
    if (leased.kind !== 'pass') return this.fail(message, attempt, 'sender_lease', leased);

    const routed = await this.stage('route', async () => {
      const result = await this.deps.router.route({
        tenantId: message.tenantId,
        messageId: message.id,
        destination: message.to,
        sender: message.from,
        segments: message.segmentCount,
      });
      switch (result.outcome) {
        case 'route':
          return pass(result.route);
        case 'no-route':
          return { kind: 'permanent', errorCode: 'ORCH.NO_ROUTE', reason: result.reason };
        case 'unavailable':
          return { kind: 'transient', reason: `routing engine unavailable: ${result.reason}` };
      }
    });
    if (routed.kind !== 'pass') return this.fail(message, attempt, 'route', routed);

    return this.dispatch(message, attempt, routed.value);
  }

  private validate(message: SmsMessage): StageVerdict<void> {
    if (message.isValidityElapsed(this.deps.clock.now())) return { kind: 'expired' };
    if (!Destination.parse(message.to).ok) {
      return { kind: 'permanent', errorCode: 'ORCH.INVALID_DESTINATION', reason: 'destination is not a valid number under the current numbering metadata' };
    }
    return pass(undefined);
  }

  private async stage<T>(stage: PipelineStage, run: () => Promise<StageVerdict<T>>): Promise<StageVerdict<T>> {
    const lap = this.deps.stopwatch.start();
    const verdict = await run();
    this.deps.metrics.observeStage(stage, OUTCOME_LABEL[verdict.kind], lap());
    return verdict;
  }

  private async dispatch(message: SmsMessage, attempt: number, route: Route): Promise<Result<ProcessOutcome, MessageNotFound>> {
    const lap = this.deps.stopwatch.start();
    const now = this.deps.clock.now();
    const change = allowed(message.markRouted(route, attempt, now));
    const saved = await this.save(message, [
      messageStatusChanged(message, change, this.deps.ids.next(), now),
      outboundRequested(message, route, this.deps.ids.next(), now),
    ]);
    this.deps.metrics.observeStage('dispatch', saved ? 'ok' : 'conflict', lap());
    if (!saved) return ok({ kind: 'skipped', reason: 'concurrent-update' });
    this.finished(message, 'dispatched', now);
    return ok({ kind: 'dispatched', attempt, route });
  }

  private async fail(
    message: SmsMessage,
    attempt: number,
    stage: PipelineStage,
    verdict: Exclude<StageVerdict<unknown>, { kind: 'pass' }>,
  ): Promise<Result<ProcessOutcome, MessageNotFound>> {
    const now = this.deps.clock.now();
    switch (verdict.kind) {
      case 'expired': {
        const change = allowed(message.expireBeforeDispatch(attempt, now));
        return this.endWith(message, change, [], now, { kind: 'expired', attempt });
      }
      case 'permanent': {
        const change = allowed(message.reject(verdict.errorCode, verdict.reason, attempt, now));
        return this.endWith(message, change, [], now, { kind: 'rejected', attempt, stage, errorCode: verdict.errorCode });
      }
      case 'transient': {
        const decision = decideRetry(this.deps.retryPolicy, attempt, this.deps.random.next());
        if (decision.kind === 'give-up') {
          const change = allowed(message.deadLetter(attempt, verdict.reason, now));
          const extra = [messageDeadLettered(message, { stage, reason: verdict.reason }, this.deps.ids.next(), now)];
          return this.endWith(message, change, extra, now, { kind: 'dead-lettered', attempt, stage });
        }
        const retryAt = new Date(now.getTime() + decision.delayMs);
        allowed(message.scheduleRetry(attempt, retryAt, now));
        if (!(await this.save(message, []))) return ok({ kind: 'skipped', reason: 'concurrent-update' });
        this.deps.metrics.retryScheduled(stage, attempt);
        return ok({ kind: 'retry-scheduled', attempt, stage, delayMs: decision.delayMs, retryAt });
      }
    }
  }

  // Stores a final status reached in the pipeline with its status-changed event (and any extra event).
  private async endWith(
    message: SmsMessage,
    change: StatusChange,
    extra: readonly EventEnvelope[],
    now: Date,
    outcome: Extract<ProcessOutcome, { kind: 'rejected' | 'expired' | 'dead-lettered' }>,
  ): Promise<Result<ProcessOutcome, MessageNotFound>> {
    const saved = await this.save(message, [messageStatusChanged(message, change, this.deps.ids.next(), now), ...extra]);
    if (!saved) return ok({ kind: 'skipped', reason: 'concurrent-update' });
    if (outcome.kind === 'dead-lettered') this.deps.metrics.deadLettered(outcome.stage);
    this.finished(message, outcome.kind === 'dead-lettered' ? 'dead_lettered' : outcome.kind, now);
    return ok(outcome);
  }

  private async save(message: SmsMessage, events: readonly EventEnvelope[]): Promise<boolean> {
    return this.deps.unitOfWork.run(message.tenantId, async (scope) => {
      if (!(await scope.messages.update(message))) return false;
      if (events.length > 0) await scope.outbox.append(events);
      return true;
    });
  }

  private finished(message: SmsMessage, result: PipelineResult, now: Date): void {
    this.deps.metrics.pipelineFinished(result, Math.max(0, now.getTime() - message.acceptedAt.getTime()) / 1000);
  }
}
