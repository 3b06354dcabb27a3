import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { ChangeKind } from '../domain/node-version.js';
import { AccessGuard } from './access-guard.js';
import { loadNode } from './node-reference.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';
import { redactorFor } from './redaction.js';
import type { ValueView } from './redaction.js';

export interface KeyDiffView {
  readonly key: string;
  readonly before: ValueView & { readonly locked: boolean };
  readonly after: ValueView & { readonly locked: boolean };
}

export interface NodeVersionView {
  readonly version: number;
  readonly change: ChangeKind;
  readonly author: string;
  readonly reason: string;
  readonly at: string;
  readonly diff: readonly KeyDiffView[];
  readonly rolledBackTo: number | null;
}

export interface NodeHistoryRequest {
  readonly subject: Subject;
  readonly node: string;
  /** At most 200; default 50. */
  readonly limit?: number;
  /** Page backwards: only versions older than this one. */
  readonly beforeVersion?: number;
}

/** A node's history, newest first (`history.read`): who changed what, why and when, with before/after per key. */
export class GetNodeHistoryUseCase {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly accessPolicy: AccessPolicy }) {}

  async execute(request: NodeHistoryRequest): Promise<Result<readonly NodeVersionView[], ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const limit = request.limit ?? 50;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 200) {
      return err(configError('CONFIG.INVALID_INPUT', 'limit must be between 1 and 200', { field: 'limit' }));
    }
    const guard = new AccessGuard(this.deps.accessPolicy);
    return this.deps.uow.run<readonly NodeVersionView[], ConfigError>(
      async (tx) => {
        const node = await loadNode(tx.nodes, request.node);
        if (!node.ok) return node;
        const allowed = guard.checkNode(request.subject, 'history.read', node.value, request.node);
        if (!allowed.ok) return allowed;
        const definitions = new Map((await tx.keys.list()).map((k) => [k.key, k]));
        const redact = redactorFor(guard, request.subject, node.value, definitions);
        const options = request.beforeVersion === undefined ? { limit } : { limit, beforeVersion: request.beforeVersion };
        const versions = await tx.versions.list(node.value.id, options);
        return ok(
          versions.map((v) => ({
            version: v.version,
            change: v.change,
            author: v.author,
            reason: v.reason,
            at: v.at,
            rolledBackTo: v.rolledBackTo,
            diff: v.diff.map((d) => ({
              key: d.key,
              before: { ...redact(d.key, d.before.value), locked: d.before.locked },
              after: { ...redact(d.key, d.after.value), locked: d.after.locked },
            })),
          })),
        );
      },
      { tenantId: request.subject.tenantId, readOnly: true },
    );
  }
}
