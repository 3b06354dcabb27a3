import { err, ok } from '@sms/kernel';
import type { IdGenerator, Result } from '@sms/kernel';
import type { IdempotencyStore } from './ports/idempotency.store.port.js';
import type { RateLimiter } from './ports/rate-limiter.port.js';
import type { SubmitRateLimit } from './ports/tenant-settings.port.js';
import type { TransactionScope, UnitOfWork } from './ports/unit-of-work.port.js';
import type { SubmitRefusal, Submitted } from './submit-refusal.js';
import type { IdempotentResponse } from './submit-outputs.js';

export interface IdempotentSubmissionDeps {
  readonly unitOfWork: UnitOfWork;
  readonly idempotency: IdempotencyStore;
  readonly rateLimiter: RateLimiter;
  readonly ids: IdGenerator;
}

export interface IdempotentSubmission<T> {
  readonly tenantId: string;
  /** Null when the client sent no `Idempotency-Key`: the request is simply performed. */
  readonly key: string | null;
  readonly fingerprint: string;
  readonly now: Date;
  /** Rate-limit tokens the request takes (one per message it creates). */
  readonly permits: number;
  readonly rateLimit: SubmitRateLimit;
  /** The stored output when the response belongs to this endpoint; null otherwise. */
  readonly replayOf: (response: IdempotentResponse) => T | null;
  readonly toResponse: (output: T) => IdempotentResponse;
  /** Stores the request's effect; runs inside the unit of work that also records the response. */
  readonly perform: (scope: TransactionScope) => Promise<T>;
}

// Thrown inside the unit of work to roll it back when our claim was taken over.
class ClaimLost extends Error {}

/**
 * The part of submitting that SubmitMessage and SubmitBulk share, in this order:
 * 1. claim the idempotency key (replay, conflict and in-progress answer at once and take no
 *    rate-limit tokens);
 * 2. take rate-limit tokens (refused: release the claim, so the client may retry with the key);
 * 3. in one unit of work, store the effect and the response (both or neither);
 * 4. when step 3 throws, release the claim and rethrow.
 */
export async function submitIdempotently<T>(deps: IdempotentSubmissionDeps, request: IdempotentSubmission<T>): Promise<Result<Submitted<T>, SubmitRefusal>> {
  const { tenantId, key, now } = request;
  const token = deps.ids.next();
  if (key !== null) {
    const claim = await deps.idempotency.claim({ tenantId, key, fingerprint: request.fingerprint, token, now });
    switch (claim.outcome) {
      case 'replay': {
        const output = request.replayOf(claim.response);
        return output === null ? err({ code: 'ORCH.IDEMPOTENCY_CONFLICT' }) : ok({ output, replayed: true });
      }
      case 'conflict':
        return err({ code: 'ORCH.IDEMPOTENCY_CONFLICT' });
      case 'in-progress':
        return err({ code: 'ORCH.IDEMPOTENCY_IN_PROGRESS' });
      case 'new':
        break;
    }
  }

  const decision = await deps.rateLimiter.tryAcquire(tenantId, request.permits, request.rateLimit, now);
  if (!decision.allowed) {
    if (key !== null) await deps.idempotency.release(tenantId, key, token);
    return err({ code: 'ORCH.RATE_LIMITED', retryAfterMs: decision.retryAfterMs });
  }

  try {
    const output = await deps.unitOfWork.run(tenantId, async (scope) => {
      const performed = await request.perform(scope);
      if (key !== null) {
        const recorded = await scope.idempotency.record({ tenantId, key, token, response: request.toResponse(performed), now });
        if (!recorded) throw new ClaimLost();
      }
      return performed;
    });
    return ok({ output, replayed: false });
  } catch (error) {
    if (error instanceof ClaimLost) return err({ code: 'ORCH.IDEMPOTENCY_IN_PROGRESS' });
    // Best effort: if releasing fails too, the claim is abandoned and expires after the in-progress timeout.
    if (key !== null) await deps.idempotency.release(tenantId, key, token).catch(() => undefined);
    throw error;
  }
}
