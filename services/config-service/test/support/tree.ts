import type { CreateNodeUseCase } from '../../src/application/create-node.use-case.js';
import type { Subject } from '../../src/domain/access.js';

export const TENANTS = { acme: 'tenant-acme', globex: 'tenant-globex', impostor: 'tenant-impostor' } as const;

export const TREE = {
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

export const actors = {
  platformAdmin: { id: 'user:root', roles: ['platform-admin'], tenantId: null, service: null },
  acmeAdmin: { id: 'user:acme-admin', roles: ['tenant-admin'], tenantId: TENANTS.acme, service: null },
  acmeReader: { id: 'user:acme-reader', roles: ['read-only'], tenantId: TENANTS.acme, service: null },
  globexAdmin: { id: 'user:globex-admin', roles: ['tenant-admin'], tenantId: TENANTS.globex, service: null },
  orchestrator: { id: 'svc:sms-orchestrator', roles: ['service'], tenantId: null, service: 'sms-orchestrator' },
} satisfies Record<string, Subject>;

/** Creates the test tree of docs/domain-model.md through the use case, as a platform administrator. */
export async function createTree(create: CreateNodeUseCase): Promise<void> {
  const nodes: Array<[parent: string, level: string, name: string, tenantId?: string]> = [
    [TREE.global, 'region', 'kabul'],
    [TREE.global, 'region', 'herat'],
    [TREE.kabul, 'tenant', 'acme', TENANTS.acme],
    [TREE.acme, 'sub-account', 'billing'],
    [TREE.global, 'tenant', 'globex', TENANTS.globex],
    [TREE.globex, 'sub-account', 'ops'],
    [TREE.herat, 'tenant', 'acme', TENANTS.impostor],
  ];
  for (const [parent, level, name, tenantId] of nodes) {
    const created = await create.execute({ subject: actors.platformAdmin, parent, level, name, tenantId: tenantId ?? null, reason: 'test tree' });
    if (!created.ok) throw new Error(`cannot create ${parent}/${level}:${name}: ${created.error.message}`);
  }
}
