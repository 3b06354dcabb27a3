import type { PlatformTopology } from '../topology.js';
import { ServiceClient } from './service-client.js';
import type { SeedTokenMinter } from './service-client.js';
import { seedOperators } from './seed-operators.js';
import type { SeededOperator, SmscAddress } from './seed-operators.js';
import { seedShortCode } from './seed-short-code.js';
import type { SeedKeyFiles } from './seed-short-code.js';
import { seedTenantConfig } from './seed-tenant-config.js';

export interface DemoSeedOptions {
  readonly topology: PlatformTopology;
  /** Base URLs of the services the seed writes through. */
  readonly urls: { readonly ops: string; readonly numbering: string; readonly config: string };
  /** Where each operator's SMSC listens, by operator code. */
  readonly addresses: ReadonlyMap<string, SmscAddress>;
  readonly mint: SeedTokenMinter;
  readonly keys: SeedKeyFiles;
}

export interface DemoSeedResult {
  /** The operators as operator-management holds them, with the connection the gateway binds. */
  readonly operators: readonly SeededOperator[];
  /** What this run changed, in order; empty when everything was already in place. */
  readonly changes: readonly string[];
}

/**
 * The demo topology, through each service's own HTTP API as an administrator would enter it:
 * operators, connections, passwords and routing rules in operator-management; the short code and its
 * lease in numbering-service; the tenant's node in config-service. Idempotent: it reads first and
 * only creates or corrects what is missing or different, so a restart or a second run changes nothing.
 */
export async function seedDemo(options: DemoSeedOptions): Promise<DemoSeedResult> {
  const changes: string[] = [];
  const client = (baseUrl: string, roles: readonly string[]) =>
    new ServiceClient(baseUrl, () => options.mint({ subject: 'user:platform-seed', roles }));
  const operators = await seedOperators(client(options.urls.ops, ['ops-admin']), options.topology, options.addresses, changes);
  await seedShortCode(client(options.urls.numbering, ['admin']), options.topology, options.keys, changes);
  await seedTenantConfig(client(options.urls.config, ['platform-admin']), options.topology, changes);
  return { operators, changes };
}
