import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { createNumberBlock, isContractActive } from '../domain/catalog.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { appendAuditEntries } from './audit-trail.js';
import { catalogAuditEntry } from './catalog-change.js';
import type { CatalogChangeDeps } from './catalog-change.js';
import { toBlockView } from './catalog-views.js';
import type { NumberBlockView } from './catalog-views.js';
import { runIdempotentCommand } from './idempotent-command.js';
import { requireText } from './input.js';

export interface CreateNumberBlockInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  readonly operatorCode: string;
  readonly contractReference: string;
  readonly reference: string;
  readonly kind: string;
  /** Inclusive bounds in canonical form: `+93700000000`, or short-code digits. */
  readonly rangeStart: string;
  readonly rangeEnd: string;
}

/** CreateNumberBlock: a range of numbers under a contract in force; ranges of one kind never overlap. */
export class CreateNumberBlock {
  constructor(private readonly deps: CatalogChangeDeps) {}

  async execute(input: CreateNumberBlockInput): Promise<Result<NumberBlockView, NumberingError>> {
    const operatorCode = requireText(input.operatorCode, 'operatorCode', 32);
    if (!operatorCode.ok) return operatorCode;
    const contractReference = requireText(input.contractReference, 'contractReference', 64);
    if (!contractReference.ok) return contractReference;
    const allowed = authorize(input.actor, 'catalog.manage');
    if (!allowed.ok) return allowed;
    const { actor, idempotencyKey, ...request } = input;

    return runIdempotentCommand(this.deps, { name: 'catalog.block.create', actor, idempotencyKey, request }, async (tx, now) => {
      const contract = await tx.catalog.findContractByReference(operatorCode.value, contractReference.value);
      if (contract === null)
        return err(numberingError('NUMBERING.CATALOG_NOT_FOUND', 'no such contract for this operator', { field: 'contractReference' }));
      if (!isContractActive(contract, now))
        return err(numberingError('NUMBERING.CONTRACT_INACTIVE', 'the contract is not in force', { field: 'contractReference' }));
      const block = createNumberBlock(this.deps.ids.next(), contract, input, now);
      if (!block.ok) return block;
      const overlapping = await tx.catalog.findOverlappingBlocks(block.value.kind, block.value.rangeStart, block.value.rangeEnd);
      if (overlapping.length > 0)
        return err(
          numberingError('NUMBERING.CATALOG_DUPLICATE', 'the range overlaps an existing block', {
            field: 'rangeStart',
            overlaps: overlapping.map((b) => b.reference),
          }),
        );
      if ((await tx.catalog.insertBlock(block.value)) === 'duplicate')
        return err(numberingError('NUMBERING.CATALOG_DUPLICATE', 'this operator already has a block with this reference', { field: 'reference' }));
      const view = toBlockView(block.value);
      await appendAuditEntries(tx.audit, [
        catalogAuditEntry(this.deps.ids, now, {
          actor,
          action: 'catalog.block.create',
          aggregateType: 'number_block',
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
