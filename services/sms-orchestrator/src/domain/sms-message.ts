import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { canTransition, isFinal } from './message-status.js';
import type { DeliveryStatus, MessageStatus } from './message-status.js';
import type { MessageEncoding } from './segmentation.js';
import type { SenderKind } from './sender.js';
import type { ValidSubmission } from './submission.js';

export interface SenderSnapshot {
  readonly kind: SenderKind;
  readonly value: string;
}

/** The operator and SMPP connection the routing engine chose. */
export interface Route {
  readonly operatorId: string;
  readonly connectionId: string;
}

export interface StatusHistoryEntry {
  readonly status: MessageStatus;
  /** When the status was reached: the orchestrator's clock, or the gateway's report time for delivery statuses. */
  readonly at: Date;
  /** A stable code (`ORCH.*`, or the gateway's code for operator errors) when the status is a failure. */
  readonly errorCode: string | null;
  readonly reason: string | null;
}

/** Everything a message is, as plain data; what repositories store and restore. */
export interface SmsMessageSnapshot {
  readonly id: string;
  readonly tenantId: string;
  /** Destination MSISDN, E.164. */
  readonly to: string;
  readonly from: SenderSnapshot;
  readonly body: string;
  readonly encoding: MessageEncoding;
  readonly segmentCount: number;
  readonly clientReference: string | null;
  readonly validityPeriodSeconds: number;
  readonly callbackUrl: string | null;
  readonly status: MessageStatus;
  readonly history: readonly StatusHistoryEntry[];
  readonly errorCode: string | null;
  readonly errorReason: string | null;
  readonly route: Route | null;
  /** The id the operator's SMSC gave the message (from `submit_sm_resp`), once known. */
  readonly smscMessageId: string | null;
  /** Pipeline attempts made so far (the first attempt is 1). */
  readonly pipelineAttempts: number;
  /** When the next pipeline attempt is due after a transient failure; null when none is scheduled. */
  readonly nextAttemptAt: Date | null;
  readonly acceptedAt: Date;
  readonly updatedAt: Date;
  /** `acceptedAt` plus the validity period. */
  readonly expiresAt: Date;
  /** Optimistic concurrency version: 0 when new, incremented by every stored update. */
  readonly version: number;
}

/** A status change that happened; the source of the status-changed event. */
export interface StatusChange {
  readonly from: MessageStatus;
  readonly to: MessageStatus;
  readonly at: Date;
  readonly errorCode: string | null;
  readonly reason: string | null;
}

/** Returned when the state machine does not allow a change. */
export interface InvalidTransition {
  readonly code: 'ORCH.INVALID_TRANSITION';
  readonly from: MessageStatus;
  readonly to: MessageStatus;
  readonly message: string;
}

/** A status report from the SMPP gateway (submit response or delivery receipt). */
export interface DeliveryReport {
  readonly status: DeliveryStatus;
  readonly occurredAt: Date;
  readonly smscMessageId: string | null;
  readonly errorCode: string | null;
  readonly errorReason: string | null;
}

/**
 * What applying a delivery report did. `ignored` reports leave the status alone:
 * `duplicate` (the message already has exactly this status), `already-final` (the message
 * already reached a final status, which wins: a late `submitted`, or a different final status).
 * `smscMessageIdRecorded` says an ignored report still filled in a missing SMSC message id, so the
 * message must be saved even though no status changed.
 */
export type DeliveryReportOutcome =
  | { readonly kind: 'applied'; readonly change: StatusChange }
  | { readonly kind: 'ignored'; readonly reason: 'duplicate' | 'already-final'; readonly smscMessageIdRecorded: boolean };

type MutableState = { -readonly [K in keyof SmsMessageSnapshot]: SmsMessageSnapshot[K] };

/**
 * The message aggregate: its submission, where it is in the state machine
 * (docs/domain-model.md has the table), and its status history. Pure: the time of every change is
 * passed in.
 */
export class SmsMessage {
  private constructor(private readonly state: MutableState) {}

  /** A newly accepted message (version 0, one history entry). */
  static accept(input: { readonly id: string; readonly tenantId: string; readonly submission: ValidSubmission; readonly now: Date }): SmsMessage {
    const { submission, now } = input;
    return new SmsMessage({
      id: input.id,
      tenantId: input.tenantId,
      to: submission.destination.e164,
      from: { kind: submission.sender.kind, value: submission.sender.value },
      body: submission.body.text,
      encoding: submission.segmentation.encoding,
      segmentCount: submission.segmentation.segmentCount,
      clientReference: submission.clientReference?.value ?? null,
      validityPeriodSeconds: submission.validityPeriod.seconds,
      callbackUrl: submission.callbackUrl?.href ?? null,
      status: 'accepted',
      history: [{ status: 'accepted', at: now, errorCode: null, reason: null }],
      errorCode: null,
      errorReason: null,
      route: null,
      smscMessageId: null,
      pipelineAttempts: 0,
      nextAttemptAt: null,
      acceptedAt: now,
      updatedAt: now,
      expiresAt: submission.validityPeriod.expiresAt(now),
      version: 0,
    });
  }

  /** Rebuilds a stored message as it was; no validation (it was validated when accepted). */
  static restore(snapshot: SmsMessageSnapshot): SmsMessage {
    return new SmsMessage({ ...snapshot });
  }

  toSnapshot(): SmsMessageSnapshot {
    return { ...this.state };
  }

  get id(): string {
    return this.state.id;
  }
  get tenantId(): string {
    return this.state.tenantId;
  }
  get status(): MessageStatus {
    return this.state.status;
  }
  get version(): number {
    return this.state.version;
  }
  get to(): string {
    return this.state.to;
  }
  get from(): SenderSnapshot {
    return this.state.from;
  }
  get pipelineAttempts(): number {
    return this.state.pipelineAttempts;
  }
  get nextAttemptAt(): Date | null {
    return this.state.nextAttemptAt;
  }
  get acceptedAt(): Date {
    return this.state.acceptedAt;
  }
  get segmentCount(): number {
    return this.state.segmentCount;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get history(): readonly StatusHistoryEntry[] {
    return this.state.history;
  }

  /** True while the pipeline still has work to do now: `accepted` and no retry scheduled later than `now`. */
  isDueForProcessing(now: Date): boolean {
    return this.state.status === 'accepted' && (this.state.nextAttemptAt === null || this.state.nextAttemptAt <= now);
  }

  isValidityElapsed(now: Date): boolean {
    return now >= this.state.expiresAt;
  }

  /** `accepted` → `routed`: the route is chosen and the outbound request is about to be dispatched. */
  markRouted(route: Route, attempt: number, now: Date): Result<StatusChange, InvalidTransition> {
    return this.pipelineTransition('routed', now, null, null, () => {
      this.state.route = route;
      this.state.pipelineAttempts = attempt;
      this.state.nextAttemptAt = null;
    });
  }

  /** `accepted` → `rejected`: a permanent pipeline failure (sender not leased, no route, invalid destination). */
  reject(errorCode: string, reason: string, attempt: number, now: Date): Result<StatusChange, InvalidTransition> {
    return this.pipelineTransition('rejected', now, errorCode, reason, () => {
      this.state.pipelineAttempts = attempt;
      this.state.nextAttemptAt = null;
    });
  }

  /** `accepted` → `expired`: the validity period ran out before the pipeline could dispatch. */
  expireBeforeDispatch(attempt: number, now: Date): Result<StatusChange, InvalidTransition> {
    return this.pipelineTransition('expired', now, 'ORCH.VALIDITY_ELAPSED', 'validity period elapsed before dispatch', () => {
      this.state.pipelineAttempts = attempt;
      this.state.nextAttemptAt = null;
    });
  }

  /** `accepted` → `dead_lettered`: transient failures outlasted every retry. */
  deadLetter(attempt: number, reason: string, now: Date): Result<StatusChange, InvalidTransition> {
    return this.pipelineTransition('dead_lettered', now, 'ORCH.RETRIES_EXHAUSTED', reason, () => {
      this.state.pipelineAttempts = attempt;
      this.state.nextAttemptAt = null;
    });
  }

  /**
   * Records a transient pipeline failure and when to try again. The status stays `accepted`
   * (no history entry: history holds status changes, retries are counted in `pipelineAttempts`).
   */
  scheduleRetry(attempt: number, retryAt: Date, now: Date): Result<void, InvalidTransition> {
    if (this.state.status !== 'accepted') return err(invalidTransition(this.state.status, 'accepted'));
    this.state.pipelineAttempts = attempt;
    this.state.nextAttemptAt = retryAt;
    this.state.updatedAt = now;
    return ok();
  }

  /**
   * Applies a report from the SMPP gateway. Reports may arrive out of order and more than once,
   * so the rule is (docs/domain-model.md, "Out-of-order delivery reports"):
   * 1. a report of the status the message already has is a `duplicate`;
   * 2. a final status is never replaced: any later report is `already-final` (so a late
   *    `submitted` after `delivered` does not move the message back);
   * 3. a report for a message never dispatched (still `accepted`) is an invalid transition;
   * 4. otherwise the transition is applied: `routed` may go to `submitted` or straight to a final
   *    status (the receipt overtook the submit response), `submitted` to a final status.
   * An ignored report still fills in a missing SMSC message id.
   */
  applyDeliveryReport(report: DeliveryReport, now: Date): Result<DeliveryReportOutcome, InvalidTransition> {
    const current = this.state.status;
    if (current === report.status) return ok(this.ignore('duplicate', report, now));
    if (isFinal(current)) return ok(this.ignore('already-final', report, now));
    // `accepted` → `expired` is the pipeline's own move, not one a gateway report may make.
    if (current === 'accepted' || !canTransition(current, report.status)) return err(invalidTransition(current, report.status));
    const isFailure = report.status !== 'submitted' && report.status !== 'delivered';
    const change = this.transition(report.status, now, isFailure ? report.errorCode : null, isFailure ? report.errorReason : null, report.occurredAt);
    this.state.smscMessageId ??= report.smscMessageId;
    return ok({ kind: 'applied', change });
  }

  private ignore(reason: 'duplicate' | 'already-final', report: DeliveryReport, now: Date): DeliveryReportOutcome {
    const fills = this.state.smscMessageId === null && report.smscMessageId !== null && this.state.route !== null;
    if (fills) {
      this.state.smscMessageId = report.smscMessageId;
      this.state.updatedAt = now;
    }
    return { kind: 'ignored', reason, smscMessageIdRecorded: fills };
  }

  // The pipeline acts only on messages it has not dispatched yet; once routed, only the gateway's
  // reports move a message (so `routed` → `expired` is allowed for a report, not for the pipeline).
  private pipelineTransition(
    to: MessageStatus,
    now: Date,
    errorCode: string | null,
    reason: string | null,
    apply: () => void,
  ): Result<StatusChange, InvalidTransition> {
    const from = this.state.status;
    if (from !== 'accepted' || !canTransition(from, to)) return err(invalidTransition(from, to));
    apply();
    return ok(this.transition(to, now, errorCode, reason));
  }

  // Callers have checked the state machine allows the move.
  private transition(to: MessageStatus, now: Date, errorCode: string | null, reason: string | null, at: Date = now): StatusChange {
    const from = this.state.status;
    this.state.status = to;
    this.state.updatedAt = now;
    if (errorCode !== null || reason !== null) {
      this.state.errorCode = errorCode;
      this.state.errorReason = reason;
    }
    this.state.history = [...this.state.history, { status: to, at, errorCode, reason }];
    return { from, to, at, errorCode, reason };
  }
}

function invalidTransition(from: MessageStatus, to: MessageStatus): InvalidTransition {
  return { code: 'ORCH.INVALID_TRANSITION', from, to, message: `a message cannot go from ${from} to ${to}` };
}
