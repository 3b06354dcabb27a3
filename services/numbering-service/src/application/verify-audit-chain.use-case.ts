import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { AuditChainVerifier } from '../domain/audit-chain.js';
import type { AuditChainHead, AuditChainVerdict } from '../domain/audit-chain.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import type { AuditLogReader } from './ports/audit-log.port.js';

export interface VerifyAuditChainInput {
  readonly actor: Actor;
  /** A head recorded by an earlier run (or published outside the database) that the chain must still contain. */
  readonly anchor?: AuditChainHead;
  /** Rows read per page; 1000 when absent. */
  readonly pageSize?: number;
}

/**
 * VerifyAuditChain: walks the whole chain from the first row, page by page, and names the first broken
 * row. The daily verification job (issue 7) runs it, raises the chain-broken metric on a break, and
 * records the intact head as the next run's anchor.
 */
export class VerifyAuditChain {
  constructor(private readonly deps: { readonly audit: AuditLogReader }) {}

  async execute(input: VerifyAuditChainInput): Promise<Result<AuditChainVerdict, NumberingError>> {
    const allowed = authorize(input.actor, 'audit.verify');
    if (!allowed.ok) return allowed;
    const pageSize = Math.max(1, Math.min(input.pageSize ?? 1000, 10_000));
    const verifier = new AuditChainVerifier({ anchor: input.anchor ?? null });
    let after = 0;
    for (;;) {
      const page = await this.deps.audit.readAfter(after, pageSize);
      for (const row of page) {
        if (verifier.push(row) !== null) return ok(verifier.verdict());
      }
      const last = page[page.length - 1];
      if (last === undefined || page.length < pageSize) break;
      after = last.seq;
    }
    return ok(verifier.verdict());
  }
}
