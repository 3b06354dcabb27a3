import { ok } from '@sms/kernel';
import type { Clock, Result } from '@sms/kernel';
import { evaluateLease, leaseSnapshotOf } from '../domain/lease-verdict.js';
import type { LeaseSnapshot, LeaseVerdict } from '../domain/lease-verdict.js';
import { isMessageUse, MESSAGE_USES } from '../domain/number.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { oneOf, requireText } from './input.js';
import type { LeaseCache } from './ports/lease-cache.port.js';
import type { NumberRepository } from './ports/number.repository.port.js';

export interface ValidateLeaseInput {
  /** The sender the tenant wants to use: E.164 MSISDN with `+`, or short code digits. */
  readonly sender: string;
  readonly tenantId: string;
  readonly use: string;
}

export interface ValidateLeaseOutput {
  readonly verdict: LeaseVerdict;
  /** Where the answer came from, and what the cache did (for the hit-ratio and fallback metrics). */
  readonly source: 'cache' | 'repository';
  readonly cache: 'hit' | 'miss' | 'unavailable';
}

export interface ValidateLeaseDeps {
  readonly numbers: NumberRepository;
  readonly leaseCache: LeaseCache;
  readonly clock: Clock;
}

/**
 * ValidateLease, the hot path: is this sender leased to this tenant, right now, for this use? Reads the
 * lease cache first; on a miss reads the repository and fills the cache; when the cache is unreachable it
 * answers from the repository alone. The cache holds the lease (not the answer), so time is always
 * judged at the moment of the call. Callers are authenticated by the gRPC edge (mTLS allowlist).
 */
export class ValidateLease {
  constructor(private readonly deps: ValidateLeaseDeps) {}

  async execute(input: ValidateLeaseInput): Promise<Result<ValidateLeaseOutput, NumberingError>> {
    const sender = parseSender(input.sender, 'sender');
    if (!sender.ok) return sender;
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    const use = oneOf(input.use, 'use', MESSAGE_USES, isMessageUse);
    if (!use.ok) return use;
    const request = { tenantId: tenantId.value, use: use.value };

    let cached: LeaseSnapshot | undefined;
    let cacheState: ValidateLeaseOutput['cache'] = 'miss';
    try {
      cached = await this.deps.leaseCache.get(sender.value.value);
      if (cached !== undefined) cacheState = 'hit';
    } catch {
      cacheState = 'unavailable';
    }
    if (cached !== undefined) {
      return ok({ verdict: evaluateLease(cached, { ...request, now: this.deps.clock.now() }), source: 'cache', cache: cacheState });
    }

    const number = await this.deps.numbers.findByValue(sender.value.value);
    const snapshot = number === null ? null : leaseSnapshotOf(number);
    // Unknown senders are not cached: an import adds numbers without touching the cache.
    if (snapshot !== null && cacheState === 'miss') await this.deps.leaseCache.put(snapshot).catch(() => undefined);
    return ok({ verdict: evaluateLease(snapshot, { ...request, now: this.deps.clock.now() }), source: 'repository', cache: cacheState });
  }
}
