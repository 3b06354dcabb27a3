import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createOperatorContract } from '../domain/catalog.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { appendAuditEntries } from './audit-trail.js';
import { catalogAuditEntry } from './catalog-change.js';
import type { CatalogChangeDeps } from './catalog-change.js';
import { toContractView } from './catalog-views.js';
import type { OperatorContractView } from './catalog-views.js';
import { runIdempotentCommand } from './idempotent-command.js';
import { instant } from './input.js';

export interface CreateOperatorContractInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly operatorCode: string;
  readonly reference: string;
  /** ISO-8601 instants; `endsAt` null for an open-ended contract. */
  readonly startsAt: string;
  readonly endsAt: string | null;
}

/** CreateOperatorContract: records an operator's numbering contract (admin surface). */
export class CreateOperatorContract {
  constructor(private readonly deps: CatalogChangeDeps) {}

  async execute(input: CreateOperatorContractInput): Promise<Result<OperatorContractView, NumberingError>> {
    const startsAt = instant(input.startsAt, 'startsAt');
    if (!startsAt.ok) return startsAt;
    const endsAt = input.endsAt === null ? ok(null) : instant(input.endsAt, 'endsAt');
    if (!endsAt.ok) return endsAt;
    const allowed = authorize(input.actor, 'catalog.manage');
    if (!allowed.ok) return allowed;
    const { actor, idempotencyKey, ...request } = input;

    return runIdempotentCommand(this.deps, { name: 'catalog.contract.create', actor, idempotencyKey, request }, async (tx, now) => {
      const contract = createOperatorContract(
        this.deps.ids.next(),
        { operatorCode: input.operatorCode, reference: input.reference, startsAt: startsAt.value, endsAt: endsAt.value },
        now,
      );
      if (!contract.ok) return contract;
      if ((await tx.catalog.insertContract(contract.value)) === 'duplicate')
        return err(numberingError('NUMBERING.CATALOG_DUPLICATE', 'this operator already has a contract with this reference', { field: 'reference' }));
      const view = toContractView(contract.value);
      await appendAuditEntries(tx.audit, [
        catalogAuditEntry(this.deps.ids, now, {
          actor,
          action: 'catalog.contract.create',
          aggregateType: 'operator_contract',
          aggregateId: view.id,
          tenantId: null,
          idempotencyKey,
          details: { ...view },
        }),
      ]);
      return ok(view);
    });
  }
}
