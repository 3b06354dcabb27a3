import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { validateSubject } from '../domain/access.js';
import type { Subject } from '../domain/access.js';
import type { ConfigError } from '../domain/config-errors.js';
import type { LockHolder } from '../domain/config-node.js';
import type { ConfigValue } from '../domain/config-value.js';
import { resolveConfig } from '../domain/resolution.js';
import type { ResolvedConfig, ValueSource } from '../domain/resolution.js';
import { AccessGuard } from './access-guard.js';
import { loadAncestors, loadNode, parseNodeReference } from './node-reference.js';
import type { AccessPolicy } from './ports/access-policy.port.js';
import type { ResolutionCache } from './ports/resolution-cache.port.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

export interface ResolveConfigRequest {
  readonly subject: Subject;
  /** Path, `tenant:<tenantId>` or `node:<id>`. */
  readonly node: string;
  /** Only these keys (others are left out); all keys the caller may read when absent. */
  readonly keys?: readonly string[];
}

/** One resolved value as the caller may see it: a sensitive value without `sensitive.read` comes back as null, `redacted: true`. */
export interface ResolvedValueView {
  readonly value: ConfigValue | null;
  readonly redacted: boolean;
  readonly source: ValueSource;
  readonly lockedAt: LockHolder | null;
  readonly deprecated: boolean;
}

export interface ResolvedConfigView {
  readonly nodeId: string;
  readonly path: string;
  readonly tenantId: string | null;
  readonly values: Readonly<Record<string, ResolvedValueView>>;
  /** True when the answer came from the resolution cache. */
  readonly cached: boolean;
}

/**
 * Resolves a node's configuration: every key with its value and where it came from, honouring
 * locks. Resolutions are cached per node reference (subject-independent); access is checked on
 * every call: the node must be visible and `config.resolve` allowed (else CONFIG.NODE_NOT_FOUND,
 * whatever the reason), then each key is kept only when `config.resolve` allows it for that key,
 * and sensitive values are redacted unless `sensitive.read` allows them.
 */
export class ResolveConfigUseCase {
  constructor(
    private readonly deps: {
      readonly uow: UnitOfWork;
      readonly accessPolicy: AccessPolicy;
      readonly cache: ResolutionCache;
    },
  ) {}

  async execute(request: ResolveConfigRequest): Promise<Result<ResolvedConfigView, ConfigError>> {
    const subject = validateSubject(request.subject);
    if (!subject.ok) return subject;
    const reference = parseNodeReference(request.node);
    if (!reference.ok) return reference;
    const guard = new AccessGuard(this.deps.accessPolicy);
    const cached = await this.fromCache(request.node);
    let resolved: ResolvedConfig;
    if (cached !== null) {
      resolved = cached;
    } else {
      const computed = await this.compute(request.node, request.subject.tenantId);
      if (!computed.ok) return computed;
      resolved = computed.value;
    }
    const node = {
      id: resolved.nodeId,
      path: resolved.path,
      level: resolved.level,
      tenantId: resolved.tenantId,
      isTenantRoot: resolved.isTenantRoot,
    };
    const allowed = guard.checkNode(request.subject, 'config.resolve', node, request.node);
    if (!allowed.ok) return allowed;
    const wanted = request.keys === undefined ? null : new Set(request.keys);
    const values: Record<string, ResolvedValueView> = {};
    for (const [key, resolvedValue] of Object.entries(resolved.values)) {
      if (wanted !== null && !wanted.has(key)) continue;
      const keyAttributes = { key, ownerService: resolvedValue.ownerService, sensitive: resolvedValue.sensitive };
      if (!guard.allows(request.subject, 'config.resolve', { kind: 'node', node, key: keyAttributes })) continue;
      const redacted =
        resolvedValue.sensitive && !guard.allows(request.subject, 'sensitive.read', { kind: 'node', node, key: keyAttributes });
      values[key] = {
        value: redacted ? null : resolvedValue.value,
        redacted,
        source: resolvedValue.source,
        lockedAt: resolvedValue.lockedAt,
        deprecated: resolvedValue.deprecated,
      };
    }
    return ok({ nodeId: resolved.nodeId, path: resolved.path, tenantId: resolved.tenantId, values, cached: cached !== null });
  }

  private async fromCache(reference: string): Promise<ResolvedConfig | null> {
    try {
      return await this.deps.cache.get(reference);
    } catch {
      return null; // a failing cache is a miss: the store is the truth
    }
  }

  private async compute(reference: string, tenantId: string | null): Promise<Result<ResolvedConfig, ConfigError>> {
    let epoch: number | null;
    try {
      epoch = await this.deps.cache.epoch();
    } catch {
      epoch = null;
    }
    const resolved = await this.deps.uow.run<ResolvedConfig, ConfigError>(
      async (tx) => {
        const node = await loadNode(tx.nodes, reference);
        if (!node.ok) return err(node.error);
        const ancestors = await loadAncestors(tx.nodes, node.value);
        return ok(resolveConfig([...ancestors, node.value], await tx.keys.list()));
      },
      // Row-level security lets a tenant read its own rows and the tenant-less ancestors above them.
      { tenantId, readOnly: true },
    );
    if (resolved.ok && epoch !== null) {
      try {
        await this.deps.cache.put(reference, resolved.value, epoch);
      } catch {
        // not cached this time; the next call computes again
      }
    }
    return resolved;
  }
}
