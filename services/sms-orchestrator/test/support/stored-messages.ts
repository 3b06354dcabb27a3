import { uuidv7 } from '@sms/kernel';
import { SmsMessage } from '../../src/domain/sms-message.js';
import { validateSubmission } from '../../src/domain/submission.js';
import type { SubmitMessageRequest } from '../../src/domain/submission.js';

/** An accepted message of `tenantId` with a UUIDv7 id of `now` (the partition key comes from it). */
export function newMessage(tenantId: string, now: Date = new Date(), overrides: Partial<SubmitMessageRequest> = {}): SmsMessage {
  const submission = validateSubmission(
    { to: '+93791234567', from: '+93701234567', body: 'Your code is 482913', clientReference: 'otp-4711', ...overrides },
    { maxPartsPerMessage: 10, callbackUrlPolicy: { allowLoopbackHttp: false } },
  );
  if (!submission.ok) throw new Error(`test request is invalid: ${JSON.stringify(submission.error)}`);
  return SmsMessage.accept({ id: uuidv7(now.getTime()), tenantId, submission: submission.value, now });
}
