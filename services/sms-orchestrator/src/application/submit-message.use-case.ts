import { err } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import type { CallbackUrlPolicy } from '../domain/callback-url.js';
import { fieldError } from '../domain/field-error.js';
import { IdempotencyKey } from '../domain/idempotency-key.js';
import { messageAccepted } from '../domain/message-events.js';
import { requestFingerprint } from '../domain/request-fingerprint.js';
import { SmsMessage } from '../domain/sms-message.js';
import { validateSubmission } from '../domain/submission.js';
import type { SubmitMessageRequest } from '../domain/submission.js';
import { submitIdempotently } from './idempotent-submission.js';
import type { IdempotencyStore } from './ports/idempotency.store.port.js';
import type { RateLimiter } from './ports/rate-limiter.port.js';
import type { TenantSettings } from './ports/tenant-settings.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';
import type { SubmitMessageOutput } from './submit-outputs.js';
import type { SubmitRefusal, Submitted } from './submit-refusal.js';

export interface SubmitMessageDeps {
  readonly unitOfWork: UnitOfWork;
  readonly idempotency: IdempotencyStore;
  readonly tenantSettings: TenantSettings;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly callbackUrlPolicy: CallbackUrlPolicy;
}

export interface SubmitMessageCommand {
  /** From the verified token, never from the body. */
  readonly tenantId: string;
  /** The `Idempotency-Key` header, or null when absent. */
  readonly idempotencyKey: string | null;
  readonly request: SubmitMessageRequest;
}

/** The header's name in field errors. */
export const IDEMPOTENCY_KEY_FIELD = 'Idempotency-Key';

/**
 * `POST /v1/sms/send`: validates the request (every bad field named; nothing stored), dedups it
 * by idempotency key, applies the tenant's rate limit, and stores the message as `accepted`
 * together with its `sms.message.accepted.v1` event, which starts the pipeline.
 */
export class SubmitMessage {
  constructor(private readonly deps: SubmitMessageDeps) {}

  async execute(command: SubmitMessageCommand): Promise<Result<Submitted<SubmitMessageOutput>, SubmitRefusal>> {
    const { tenantId, request } = command;
    const keyResult = command.idempotencyKey === null ? null : IdempotencyKey.parse(command.idempotencyKey);
    const settings = await this.deps.tenantSettings.forTenant(tenantId);
    const validated = validateSubmission(request, {
      maxPartsPerMessage: settings.maxPartsPerMessage,
      callbackUrlPolicy: this.deps.callbackUrlPolicy,
    });
    const errors = [
      ...(keyResult !== null && !keyResult.ok ? [fieldError(IDEMPOTENCY_KEY_FIELD, keyResult.error.code, `${IDEMPOTENCY_KEY_FIELD} ${keyResult.error.message}`)] : []),
      ...(validated.ok ? [] : validated.error),
    ];
    if (!validated.ok || errors.length > 0) return err({ code: 'ORCH.VALIDATION_FAILED', errors });

    const now = this.deps.clock.now();
    const submission = validated.value;
    return submitIdempotently(this.deps, {
      tenantId,
      key: keyResult?.ok ? keyResult.value.value : null,
      fingerprint: requestFingerprint('send', request),
      now,
      permits: 1,
      rateLimit: settings.submitRateLimit,
      replayOf: (response) => (response.operation === 'send' ? response.output : null),
      toResponse: (output) => ({ operation: 'send', output }),
      perform: async (scope) => {
        const message = SmsMessage.accept({ id: this.deps.ids.next(), tenantId, submission, now });
        await scope.messages.insert([message]);
        await scope.outbox.append([messageAccepted(message, this.deps.ids.next())]);
        return {
          messageId: message.id,
          status: 'accepted',
          encoding: submission.segmentation.encoding,
          segments: submission.segmentation.segmentCount,
          clientReference: submission.clientReference?.value ?? null,
          acceptedAt: now.toISOString(),
        };
      },
    });
  }
}
