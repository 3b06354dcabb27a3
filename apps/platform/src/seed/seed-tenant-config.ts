import type { PlatformTopology } from '../topology.js';
import type { ServiceClient } from './service-client.js';

/**
 * The demo tenant's root node in config-service (under `/GLOBAL`), so the orchestrator resolves the
 * tenant's limits there (the platform defaults until someone sets a value) instead of falling back
 * on "no such tenant". Created when missing.
 */
export async function seedTenantConfig(config: ServiceClient, topology: PlatformTopology, changes: string[]): Promise<void> {
  const tenantId = topology.tenant.id;
  const found = await config.call('GET', `/v1/nodes/tenant:${encodeURIComponent(tenantId)}`);
  if (found.status === 200) return;
  if (found.status !== 404) throw new Error(`config-service answered ${found.status} reading tenant ${tenantId}: ${JSON.stringify(found.body).slice(0, 500)}`);
  await config.expect([201], 'POST', '/v1/nodes', { parent: '/GLOBAL', level: 'tenant', name: tenantId, tenantId, reason: 'embedded platform demo seed' });
  changes.push(`config-service tenant node ${tenantId} created`);
}
