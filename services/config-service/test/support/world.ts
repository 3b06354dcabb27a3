import { ManualClock, SequentialIdGenerator } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { CedarAccessPolicy } from '../../src/adapters/authorization/cedar-access-policy.js';
import type { Subject } from '../../src/domain/access.js';
import { ConfigLevels } from '../../src/domain/config-levels.js';
import { createChildNode, createRootNode } from '../../src/domain/config-node.js';
import type { ConfigNode } from '../../src/domain/config-node.js';
import { GLOBAL_NODE_ID, seedKeys, seedLevels, systemRoles } from '../../src/domain/config-seed.js';
import { defineKey } from '../../src/domain/key-definition.js';
import type { KeyDefinition, KeyDraft } from '../../src/domain/key-definition.js';
import type { NodeVersion } from '../../src/domain/node-version.js';
import type { NodeChangeDeps } from '../../src/application/node-change.js';
import { InMemoryResolutionCache } from '../../src/application/testing/in-memory-resolution-cache.js';
import { InMemoryUnitOfWork } from '../../src/application/testing/in-memory-unit-of-work.js';

export const T0 = '2026-02-01T00:00:00.000Z';
export const ACME = 'tenant-acme';
export const GLOBEX = 'tenant-globex';
export const IMPOSTOR = 'tenant-impostor';

export const PATHS = {
  global: '/GLOBAL',
  kabul: '/GLOBAL/region:kabul',
  herat: '/GLOBAL/region:herat',
  acme: '/GLOBAL/region:kabul/tenant:acme',
  acmeBilling: '/GLOBAL/region:kabul/tenant:acme/sub-account:billing',
  globex: '/GLOBAL/tenant:globex',
  globexOps: '/GLOBAL/tenant:globex/sub-account:ops',
  /** Another tenant's node whose path looks like acme's: same name, other region. */
  impostorAcme: '/GLOBAL/region:herat/tenant:acme',
} as const;

export const subjects = {
  platformAdmin: { id: 'user:root', roles: ['platform-admin'], tenantId: null, service: null },
  acmeAdmin: { id: 'user:acme-admin', roles: ['tenant-admin'], tenantId: ACME, service: null },
  acmeReader: { id: 'user:acme-reader', roles: ['read-only'], tenantId: ACME, service: null },
  globexAdmin: { id: 'user:globex-admin', roles: ['tenant-admin'], tenantId: GLOBEX, service: null },
  auditor: { id: 'user:auditor', roles: ['read-only'], tenantId: null, service: null },
  orchestrator: { id: 'svc:sms-orchestrator', roles: ['service'], tenantId: null, service: 'sms-orchestrator' },
  routing: { id: 'svc:routing-engine', roles: ['service'], tenantId: null, service: 'routing-engine' },
  nobody: { id: 'user:nobody', roles: [], tenantId: null, service: null },
} satisfies Record<string, Subject>;

export const extraKeys: readonly KeyDraft[] = [
  {
    key: 'sms.default_sender',
    schema: { type: 'string', minLength: 3, maxLength: 11, pattern: '[A-Za-z0-9]+' },
    description: 'Sender used when a request names none.',
    sensitive: false,
    ownerService: 'sms-orchestrator',
  },
  {
    key: 'webhook.signing_secret_ref',
    schema: { type: 'string', maxLength: 200 },
    description: 'Reference of the webhook signing secret in the secret store.',
    sensitive: true,
    ownerService: 'sms-orchestrator',
  },
  {
    key: 'routing.failover_timeout',
    schema: { type: 'duration', minimum: '100ms', maximum: '1m', default: '5s' },
    description: 'How long routing waits before failing over.',
    sensitive: false,
    ownerService: 'routing-engine',
  },
];

export const levels = (() => {
  const defined = ConfigLevels.define(seedLevels);
  if (!defined.ok) throw new Error(defined.error.message);
  return defined.value;
})();

const meta = { author: 'system:test', reason: 'test arrangement', now: new Date(T0) };

function child(parent: ConfigNode, id: string, level: string, name: string, tenantId?: string): { node: ConfigNode; version: NodeVersion } {
  const created = createChildNode(parent, { id, level, name, tenantId: tenantId ?? null }, levels, meta);
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

export function keyOf(draft: KeyDraft): KeyDefinition {
  const defined = defineKey(draft, new Date(T0));
  if (!defined.ok) throw new Error(defined.error.message);
  return defined.value;
}

/** The tree the tests run on, with every port in memory and the real Cedar policy engine. */
export function createWorld() {
  const clock = new ManualClock('2026-02-02T00:00:00.000Z');
  const ids = new SequentialIdGenerator('gen');
  const uow = new InMemoryUnitOfWork();
  const cache = new InMemoryResolutionCache(clock, 60_000);
  const accessPolicy = new CedarAccessPolicy(systemRoles);
  const root = createRootNode(GLOBAL_NODE_ID, meta);
  const kabul = child(root.node, 'n-kabul', 'region', 'kabul');
  const herat = child(root.node, 'n-herat', 'region', 'herat');
  const acme = child(kabul.node, 'n-acme', 'tenant', 'acme', ACME);
  const acmeBilling = child(acme.node, 'n-acme-billing', 'sub-account', 'billing');
  const globex = child(root.node, 'n-globex', 'tenant', 'globex', GLOBEX);
  const globexOps = child(globex.node, 'n-globex-ops', 'sub-account', 'ops');
  const impostor = child(herat.node, 'n-impostor', 'tenant', 'acme', IMPOSTOR);
  const all = [root, kabul, herat, acme, acmeBilling, globex, globexOps, impostor];
  uow.seed({
    nodes: all.map((c) => c.node),
    versions: all.map((c) => c.version),
    keys: [...seedKeys, ...extraKeys].map(keyOf),
    roles: systemRoles,
  });
  const deps: NodeChangeDeps & { levels: ConfigLevels } = { uow, accessPolicy, cache, clock, ids, levels };
  return {
    clock,
    ids,
    uow,
    cache,
    accessPolicy,
    deps,
    /** Events committed since the world was made, by type. */
    events(type?: string): EventEnvelope[] {
      return uow.outbox.filter((e) => type === undefined || e.type === type);
    },
    node(path: string): ConfigNode {
      const found = uow.nodes.find((n) => n.path === path);
      if (found === undefined) throw new Error(`no node ${path}`);
      return found;
    },
  };
}

export type World = ReturnType<typeof createWorld>;

/** Unwraps an ok Result or fails the test with the error. */
export function unwrap<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Unwraps an error Result or fails the test. */
export function unwrapErr<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): E {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}
