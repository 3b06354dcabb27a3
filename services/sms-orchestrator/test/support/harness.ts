import { ManualClock, SequentialIdGenerator } from '@sms/kernel';
import type { IdGenerator } from '@sms/kernel';
import { ApplyDeliveryStatus } from '../../src/application/apply-delivery-status.use-case.js';
import { GetMessage } from '../../src/application/get-message.use-case.js';
import { ProcessMessage } from '../../src/application/process-message.use-case.js';
import { SubmitBulk } from '../../src/application/submit-bulk.use-case.js';
import { SubmitMessage } from '../../src/application/submit-message.use-case.js';
import {
  FixedStopwatch,
  InMemoryIdempotencyStore,
  InMemoryInbox,
  InMemoryMessageStore,
  InMemoryOutbox,
  InMemoryRateLimiter,
  InMemoryUnitOfWork,
  RecordingPipelineMetrics,
  ScriptedRouter,
  ScriptedSenderLeaseChecker,
  SequenceRandom,
  StaticTenantSettings,
} from '../../src/application/testing/index.js';
import type { RetryPolicy } from '../../src/domain/retry-policy.js';
import type { SubmitMessageRequest } from '../../src/domain/submission.js';

export const TENANT = 'tenant-a';
export const OTHER_TENANT = 'tenant-b';

/** A valid request: Afghan MSISDNs (Roshan range), a short GSM-7 text. */
export const validRequest = (overrides: Partial<SubmitMessageRequest> = {}): SubmitMessageRequest => ({
  to: '+93791234567',
  from: '+93701234567',
  body: 'Your code is 482913',
  ...overrides,
});

export interface HarnessOptions {
  readonly retryPolicy?: RetryPolicy;
  readonly ids?: IdGenerator;
  readonly allowLoopbackHttp?: boolean;
}

/** Every use case wired to in-memory ports, with a manual clock starting 2026-04-18T10:00:00Z. */
export function createHarness(options: HarnessOptions = {}) {
  const clock = new ManualClock('2026-04-18T10:00:00.000Z');
  const ids = options.ids ?? new SequentialIdGenerator('id');
  const messages = new InMemoryMessageStore();
  const outbox = new InMemoryOutbox();
  const inbox = new InMemoryInbox();
  const idempotency = new InMemoryIdempotencyStore();
  const unitOfWork = new InMemoryUnitOfWork({ messages, outbox, inbox, idempotency });
  const tenantSettings = new StaticTenantSettings();
  const rateLimiter = new InMemoryRateLimiter();
  const senderLeases = new ScriptedSenderLeaseChecker();
  const router = new ScriptedRouter();
  const metrics = new RecordingPipelineMetrics();
  const stopwatch = new FixedStopwatch();
  const random = new SequenceRandom([0.5]);
  const retryPolicy = options.retryPolicy ?? { baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 4 };
  const callbackUrlPolicy = { allowLoopbackHttp: options.allowLoopbackHttp ?? false };
  const submitDeps = { unitOfWork, idempotency, tenantSettings, rateLimiter, clock, ids, callbackUrlPolicy };
  return {
    clock,
    ids,
    messages,
    outbox,
    inbox,
    idempotency,
    unitOfWork,
    tenantSettings,
    rateLimiter,
    senderLeases,
    router,
    metrics,
    stopwatch,
    random,
    retryPolicy,
    submitMessage: new SubmitMessage(submitDeps),
    submitBulk: new SubmitBulk(submitDeps),
    getMessage: new GetMessage({ unitOfWork }),
    processMessage: new ProcessMessage({ unitOfWork, senderLeases, router, metrics, stopwatch, random, clock, ids, retryPolicy }),
    applyDeliveryStatus: new ApplyDeliveryStatus({ unitOfWork, clock, ids }),
  };
}

export type Harness = ReturnType<typeof createHarness>;

/** Submits a valid message for TENANT and returns its id. */
export async function acceptMessage(harness: Harness, overrides: Partial<SubmitMessageRequest> = {}, tenantId = TENANT): Promise<string> {
  const result = await harness.submitMessage.execute({ tenantId, idempotencyKey: null, request: validRequest(overrides) });
  if (!result.ok) throw new Error(`setup submit failed: ${JSON.stringify(result.error)}`);
  return result.value.output.messageId;
}

/** Submits and runs the pipeline once with the default scripted answers (leased, routed). */
export async function dispatchMessage(harness: Harness, overrides: Partial<SubmitMessageRequest> = {}): Promise<string> {
  const messageId = await acceptMessage(harness, overrides);
  const result = await harness.processMessage.execute({ tenantId: TENANT, messageId });
  if (!result.ok || result.value.kind !== 'dispatched') throw new Error(`setup dispatch failed: ${JSON.stringify(result)}`);
  return messageId;
}
