import type { IdGenerator } from '@sms/kernel';
import type { AuditEntry } from '../domain/audit-chain.js';
import type { JsonObject } from '../domain/json.js';
import type { Actor } from '../domain/permissions.js';
import { auditActorOf } from './audit-trail.js';
import type { CommandDeps } from './idempotent-command.js';

export interface CatalogChangeDeps extends CommandDeps {
  readonly ids: IdGenerator;
}

/** The audit entry for the creation of a catalog entry (contract, block, pool, tenant pool). */
export function catalogAuditEntry(
  ids: IdGenerator,
  now: Date,
  change: {
    readonly actor: Actor;
    readonly action: string;
    readonly aggregateType: string;
    readonly aggregateId: string;
    readonly tenantId: string | null;
    readonly idempotencyKey: string;
    readonly details: JsonObject;
  },
): AuditEntry {
  return {
    id: ids.next(),
    occurredAt: now.toISOString(),
    actor: auditActorOf(change.actor),
    action: change.action,
    aggregateType: change.aggregateType,
    aggregateId: change.aggregateId,
    tenantId: change.tenantId,
    fromState: null,
    toState: 'created',
    aggregateVersion: 1,
    idempotencyKey: change.idempotencyKey,
    details: change.details,
  };
}
