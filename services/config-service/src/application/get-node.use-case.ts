import { ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import { AccessGuard } from './access-guard.js';
import { loadNode } from './node-reference.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';
import { redactorFor } from './redaction.js';
import type { ValueView } from './redaction.js';

export interface NodeView {
  readonly id: string;
  readonly level: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly path: string;
  readonly tenantId: string | null;
  readonly isTenantRoot: boolean;
  /** Only the overrides held at this node (not resolved). */
  readonly overrides: Readonly<Record<string, ValueView>>;
  readonly locks: readonly string[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Reads one node with its own overrides and locks (`node.read`); sensitive values are redacted without `sensitive.read`. */
export class GetNodeUseCase {
  constructor(private readonly deps: { readonly uow: UnitOfWork; readonly accessPolicy: AccessPolicy }) {}

  async execute(request: { readonly subject: Subject; readonly node: string }): Promise<Result<NodeView, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const guard = new AccessGuard(this.deps.accessPolicy);
    return this.deps.uow.run<NodeView, ConfigError>(
      async (tx) => {
        const node = await loadNode(tx.nodes, request.node);
        if (!node.ok) return node;
        const allowed = guard.checkNode(request.subject, 'node.read', node.value, request.node);
        if (!allowed.ok) return allowed;
        const definitions = new Map((await tx.keys.list()).map((k) => [k.key, k]));
        const redact = redactorFor(guard, request.subject, node.value, definitions);
        const n = node.value;
        return ok({
          id: n.id,
          level: n.level,
          name: n.name,
          parentId: n.parentId,
          path: n.path,
          tenantId: n.tenantId,
          isTenantRoot: n.isTenantRoot,
          overrides: Object.fromEntries(Object.entries(n.overrides).map(([k, v]) => [k, redact(k, v)])),
          locks: n.locks,
          version: n.version,
          createdAt: n.createdAt,
          updatedAt: n.updatedAt,
        });
      },
      { tenantId: request.subject.tenantId, readOnly: true },
    );
  }
}
