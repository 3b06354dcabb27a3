import { err, ok, type Result } from '@sms/kernel';
import { issue, type FieldIssue } from '../domain/field-issue.js';
import type { OperatorStatus } from '../domain/operator.js';
import { validationFailed, type OpsErrorOf } from '../domain/operator-management-errors.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import { toOperatorView, type OperatorView } from './views.js';

export interface ListOperatorsQuery {
  /** Which states to list; active and suspended when absent (deleted ones only when asked). */
  readonly statuses?: readonly OperatorStatus[];
  /** 1 to 500; 100 when absent. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | null;
}

export interface OperatorPage {
  readonly items: readonly OperatorView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const STATUSES: readonly OperatorStatus[] = ['active', 'suspended', 'deleted'];
export const LIST_LIMITS = { default: 100, max: 500 } as const;

/** Lists operators a page at a time, in creation order. Never touches the secret store. */
export class ListOperators {
  constructor(private readonly deps: { readonly operators: OperatorRepository }) {}

  async execute(query: ListOperatorsQuery = {}): Promise<Result<OperatorPage, OpsErrorOf<'OPS.VALIDATION_FAILED'>>> {
    const statuses = query.statuses ?? ['active', 'suspended'];
    const limit = query.limit ?? LIST_LIMITS.default;
    const issues: FieldIssue[] = [];
    if (statuses.length === 0) issues.push(issue('statuses', 'needs at least one status'));
    statuses.forEach((s, i) => {
      if (!STATUSES.includes(s)) issues.push(issue(`statuses[${i}]`, `must be one of ${STATUSES.join(', ')}`));
    });
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMITS.max) issues.push(issue('limit', `must be an integer from 1 to ${LIST_LIMITS.max}`));
    if (issues.length > 0) return err(validationFailed(issues));
    // One extra row says whether another page exists.
    const rows = await this.deps.operators.list({ statuses, limit: limit + 1, afterId: query.cursor ?? null });
    const page = rows.slice(0, limit);
    return ok({
      items: page.map(toOperatorView),
      nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    });
  }
}
