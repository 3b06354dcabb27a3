import { err, ok } from '@sms/kernel';
import type { IdGenerator, Result } from '@sms/kernel';
import type { JsonObject } from '../domain/json.js';
import { holderOf } from '../domain/number.js';
import type { NumberRecord } from '../domain/number.js';
import { applyNumberCommand, refusalFor } from '../domain/number-state-machine.js';
import type { NumberAction, NumberCommand, NumberTransition } from '../domain/number-state-machine.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import type { NumberingPolicy } from '../domain/numbering-policy.js';
import { auditActorOf, appendAuditEntries } from './audit-trail.js';
import { envelopeOf } from './event-envelopes.js';
import { runIdempotentCommand } from './idempotent-command.js';
import type { CommandDeps, CommandMeta } from './idempotent-command.js';
import { toNumberView } from './number-view.js';
import type { NumberView } from './number-view.js';
import type { LeaseCache } from './ports/lease-cache.port.js';
import type { NumberingTransaction } from './ports/unit-of-work.port.js';

export interface NumberChangeDeps extends CommandDeps {
  readonly ids: IdGenerator;
  readonly policy: NumberingPolicy;
  readonly leaseCache: LeaseCache;
}

/** One state change of one number, as a use case describes it. */
export interface NumberChange {
  readonly meta: CommandMeta;
  /** Canonical value of the number. */
  readonly number: string;
  readonly action: NumberAction;
  /**
   * Builds the domain command once the number is read and the table allows the action; may refuse for
   * reasons that need other data (the tenant pool, the contract).
   */
  readonly build: (number: NumberRecord, tx: NumberingTransaction, now: Date) => Promise<Result<NumberCommand, NumberingError>>;
  /** Extra context for the audit row (a recall note). */
  readonly auditDetails?: JsonObject;
}

function tenantConcerned(transition: NumberTransition): string | null {
  const direct = holderOf(transition.after) ?? holderOf(transition.before);
  if (direct !== null) return direct;
  const l = transition.after.lifecycle;
  if (l.state === 'quarantined') return l.quarantine.previousTenantId;
  if (l.state === 'recalled') return l.recall.tenantId;
  const b = transition.before.lifecycle;
  return b.state === 'recalled' ? b.recall.tenantId : null;
}

/**
 * The common path of every lifecycle use case: idempotency, read, domain transition, compare-and-swap
 * write, audit row and outbox events in one unit of work; then the lease-cache entry is invalidated.
 */
export async function changeNumber(deps: NumberChangeDeps, change: NumberChange): Promise<Result<NumberView, NumberingError>> {
  const result = await runIdempotentCommand(deps, change.meta, async (tx, now) => {
    const number = await tx.numbers.findByValue(change.number);
    if (number === null) return err(numberingError('NUMBERING.NUMBER_NOT_FOUND', 'no such number in the inventory'));
    const refusal = refusalFor(number.lifecycle.state, change.action);
    if (refusal !== null) return err(refusal);
    const command = await change.build(number, tx, now);
    if (!command.ok) return command;
    const transition = applyNumberCommand(number, command.value, { now, policy: deps.policy });
    if (!transition.ok) return transition;
    const { after, events } = transition.value;

    const saved = await tx.numbers.saveIfVersion(after, number.version);
    if (saved === 'conflict') return err(numberingError('NUMBERING.CONFLICT', 'the number changed concurrently; read it again and retry'));
    if (saved === 'not_owner')
      return err(numberingError('NUMBERING.REGION_NOT_OWNER', "another region owns this number's range; send the change to that region"));

    await appendAuditEntries(tx.audit, [
      {
        id: deps.ids.next(),
        occurredAt: now.toISOString(),
        actor: auditActorOf(change.meta.actor),
        action: change.meta.name,
        aggregateType: 'number',
        aggregateId: after.id,
        tenantId: tenantConcerned(transition.value),
        fromState: number.lifecycle.state,
        toState: after.lifecycle.state,
        aggregateVersion: after.version,
        idempotencyKey: change.meta.idempotencyKey,
        details: { number: after.value, command: command.value, events: events.map((e) => e.type), ...change.auditDetails },
      },
    ]);
    await tx.outbox.add(events.map((event) => envelopeOf(event, { type: 'number', id: after.id }, deps.ids, now)));
    return ok(toNumberView(after));
  });
  if (result.ok) await invalidateLeaseCache(deps.leaseCache, result.value.number, result.value.version);
  return result;
}

/**
 * Best-effort: a cache that is down cannot hold a stale entry for longer than its TTL, and the lease-event
 * consumer invalidates again, so a failure here must not fail a change that already committed.
 */
export async function invalidateLeaseCache(cache: LeaseCache, sender: string, version: number): Promise<void> {
  try {
    await cache.invalidate(sender, version);
  } catch {
    // Covered by the entry TTL and by InvalidateLeaseCacheOnEvent.
  }
}
