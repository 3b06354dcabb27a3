import { err } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import { validateBulk } from '../domain/bulk-submission.js';
import type { SubmitBulkRequest } from '../domain/bulk-submission.js';
import type { CallbackUrlPolicy } from '../domain/callback-url.js';
import { fieldError } from '../domain/field-error.js';
import { IdempotencyKey } from '../domain/idempotency-key.js';
import { messageAccepted } from '../domain/message-events.js';
import { requestFingerprint } from '../domain/request-fingerprint.js';
import { SmsMessage } from '../domain/sms-message.js';
import { submitIdempotently } from './idempotent-submission.js';
import type { IdempotencyStore } from './ports/idempotency.store.port.js';
import type { RateLimiter } from './ports/rate-limiter.port.js';
import type { TenantSettings } from './ports/tenant-settings.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';
import { IDEMPOTENCY_KEY_FIELD } from './submit-message.use-case.js';
import type { BulkItemOutput, SubmitBulkOutput } from './submit-outputs.js';
import type { SubmitRefusal, Submitted } from './submit-refusal.js';

export interface SubmitBulkDeps {
  readonly unitOfWork: UnitOfWork;
  readonly idempotency: IdempotencyStore;
  readonly tenantSettings: TenantSettings;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly callbackUrlPolicy: CallbackUrlPolicy;
}

export interface SubmitBulkCommand {
  /** From the verified token, never from the body. */
  readonly tenantId: string;
  readonly idempotencyKey: string | null;
  readonly request: SubmitBulkRequest;
}

/**
 * `POST /v1/sms/bulk`: up to 1,000 messages, or one body to up to 1,000 recipients. Valid items
 * are accepted (one message id each, all in one transaction, rate-limited as one request of as
 * many messages); invalid items are reported next to them by index. The whole request is
 * refused, storing nothing, when it is empty, too large, has an invalid shared field, or has no
 * valid item.
 */
export class SubmitBulk {
  constructor(private readonly deps: SubmitBulkDeps) {}

  async execute(command: SubmitBulkCommand): Promise<Result<Submitted<SubmitBulkOutput>, SubmitRefusal>> {
    const { tenantId, request } = command;
    const keyResult = command.idempotencyKey === null ? null : IdempotencyKey.parse(command.idempotencyKey);
    if (keyResult !== null && !keyResult.ok) {
      const error = fieldError(IDEMPOTENCY_KEY_FIELD, keyResult.error.code, `${IDEMPOTENCY_KEY_FIELD} ${keyResult.error.message}`);
      return err({ code: 'ORCH.VALIDATION_FAILED', errors: [error] });
    }
    const settings = await this.deps.tenantSettings.forTenant(tenantId);
    const validated = validateBulk(request, { maxPartsPerMessage: settings.maxPartsPerMessage, callbackUrlPolicy: this.deps.callbackUrlPolicy });
    if (!validated.ok) return err({ code: 'ORCH.VALIDATION_FAILED', errors: validated.error });

    const now = this.deps.clock.now();
    const items = validated.value;
    const acceptedCount = items.filter((item) => item.valid).length;
    return submitIdempotently(this.deps, {
      tenantId,
      key: keyResult?.value.value ?? null,
      fingerprint: requestFingerprint('bulk', request),
      now,
      permits: acceptedCount,
      rateLimit: settings.submitRateLimit,
      replayOf: (response) => (response.operation === 'bulk' ? response.output : null),
      toResponse: (output) => ({ operation: 'bulk', output }),
      perform: async (scope) => {
        const messages: SmsMessage[] = [];
        const outputs = items.map((item): BulkItemOutput => {
          if (!item.valid) return { index: item.index, to: item.to, status: 'rejected', errors: item.errors };
          const message = SmsMessage.accept({ id: this.deps.ids.next(), tenantId, submission: item.submission, now });
          messages.push(message);
          return {
            index: item.index,
            to: item.to,
            status: 'accepted',
            messageId: message.id,
            encoding: item.submission.segmentation.encoding,
            segments: item.submission.segmentation.segmentCount,
          };
        });
        await scope.messages.insert(messages);
        await scope.outbox.append(messages.map((message) => messageAccepted(message, this.deps.ids.next())));
        return { acceptedCount, rejectedCount: items.length - acceptedCount, items: outputs };
      },
    });
  }
}
