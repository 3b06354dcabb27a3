import { SmsMessage } from '../../src/domain/sms-message.js';
import type { Route, SmsMessageSnapshot } from '../../src/domain/sms-message.js';
import { validateSubmission } from '../../src/domain/submission.js';
import type { SubmitMessageRequest } from '../../src/domain/submission.js';
import type { MessageStatus } from '../../src/domain/message-status.js';

export const ACCEPTED_AT = new Date('2026-04-18T10:00:00.000Z');
export const ROUTE: Route = { operatorId: 'roshan', connectionId: 'roshan-smpp-1' };

/** A freshly accepted message built from a valid request. */
export function acceptedMessage(overrides: Partial<SubmitMessageRequest> = {}, now: Date = ACCEPTED_AT): SmsMessage {
  const submission = validateSubmission(
    { to: '+93791234567', from: '+93701234567', body: 'Your code is 482913', clientReference: 'otp-4711', ...overrides },
    { maxPartsPerMessage: 10, callbackUrlPolicy: { allowLoopbackHttp: false } },
  );
  if (!submission.ok) throw new Error(`test request is invalid: ${JSON.stringify(submission.error)}`);
  return SmsMessage.accept({ id: 'msg-1', tenantId: 'tenant-a', submission: submission.value, now });
}

/** A message restored in an arbitrary status, as if loaded from storage (dispatched statuses have a route). */
export function messageIn(status: MessageStatus, extra: Partial<SmsMessageSnapshot> = {}): SmsMessage {
  const base = acceptedMessage().toSnapshot();
  const dispatched = !['accepted', 'rejected', 'dead_lettered'].includes(status);
  return SmsMessage.restore({ ...base, status, route: dispatched ? ROUTE : null, ...extra });
}
