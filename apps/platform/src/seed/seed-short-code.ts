import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PlatformTopology } from '../topology.js';
import type { ServiceClient } from './service-client.js';

/** Names of what the seed creates in numbering-service (stable, so a second run finds them). */
export const SEED_CATALOG = {
  contract: 'DEMO-SEED',
  pool: 'demo-short-codes',
  tenantPool: 'Demo short codes',
  keyId: 'demo-seed',
} as const;

const blockReferenceOf = (shortCode: string): string => `DEMO-SC-${shortCode}`;

/** Where the seed keeps the demo operator signing key and the keyring numbering-service reads. */
export interface SeedKeyFiles {
  /** numbering-service's NUMBERING_OPERATOR_KEYS_DIR: `<dir>/<OPERATOR_CODE>/<key id>.pem`. */
  readonly operatorKeysDir: string;
  /** The private key that signs the seed's inventory file (never leaves DATA_DIR). */
  readonly privateKeyFile: string;
}

interface NumberView {
  readonly state: string;
  readonly lease: { readonly tenantId: string } | null;
  readonly reservation: { readonly tenantId: string } | null;
}

/**
 * The topology's short code in numbering-service, leased to the demo tenant, through its admin API
 * as an operator's number arrives in production: a contract, a block and a pool, the operator's
 * signed inventory file (signed with a demo key the seed creates and puts in the keyring), a tenant
 * pool, then reserve and assign. Each step runs only when its result is missing.
 */
export async function seedShortCode(numbering: ServiceClient, topology: PlatformTopology, keys: SeedKeyFiles, changes: string[]): Promise<void> {
  const { value, uses } = topology.shortCode;
  const tenantId = topology.tenant.id;
  const numberPath = `/v1/admin/numbers/${encodeURIComponent(value)}`;

  let number = await numberView(numbering, numberPath);
  if (number === null) {
    await importShortCode(numbering, topology, keys, changes);
    number = await numberView(numbering, numberPath);
    if (number === null) throw new Error(`short code ${value} is not in numbering-service after its import`);
  }
  if (number.state === 'assigned' && number.lease?.tenantId === tenantId) return;

  if (number.state === 'available') {
    const tenantPoolId = await ensureTenantPool(numbering, topology, changes);
    await numbering.expect([200, 201], 'POST', `${numberPath}/reserve`, { tenantId, tenantPoolId });
    changes.push(`short code ${value} reserved for ${tenantId}`);
    number = { state: 'reserved', lease: null, reservation: { tenantId } };
  }
  if (number.state === 'reserved' && number.reservation?.tenantId === tenantId) {
    await numbering.expect([200, 201], 'POST', `${numberPath}/assign`, { tenantId, uses });
    changes.push(`short code ${value} leased to ${tenantId}`);
    return;
  }
  // Held by someone else, quarantined, recalled or retired: a person decided that; the seed does not undo it.
  throw new Error(`short code ${value} is ${number.state}${holderOf(number)}; the demo seed cannot lease it to ${tenantId} (see apps/platform/README.md)`);
}

function holderOf(number: NumberView): string {
  const holder = number.lease?.tenantId ?? number.reservation?.tenantId;
  return holder === undefined ? '' : ` (held by ${holder})`;
}

async function numberView(numbering: ServiceClient, path: string): Promise<NumberView | null> {
  const answer = await numbering.call('GET', path);
  if (answer.status === 404) return null;
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  return (answer.body as { number: NumberView }).number;
}

async function importShortCode(numbering: ServiceClient, topology: PlatformTopology, keys: SeedKeyFiles, changes: string[]): Promise<void> {
  const { value, operatorCode } = topology.shortCode;
  const block = blockReferenceOf(value);
  const query = `?operatorCode=${encodeURIComponent(operatorCode)}&limit=500`;

  const contracts = await numbering.expect<{ items: Array<{ reference: string }> }>([200], 'GET', `/v1/admin/contracts${query}`);
  if (!contracts.items.some((c) => c.reference === SEED_CATALOG.contract)) {
    await numbering.expect([201], 'POST', '/v1/admin/contracts', { operatorCode, reference: SEED_CATALOG.contract, startsAt: '2020-01-01T00:00:00.000Z' });
    changes.push(`numbering contract ${operatorCode}/${SEED_CATALOG.contract} created`);
  }
  const blocks = await numbering.expect<{ items: Array<{ reference: string }> }>([200], 'GET', `/v1/admin/blocks${query}`);
  if (!blocks.items.some((b) => b.reference === block)) {
    await numbering.expect([201], 'POST', '/v1/admin/blocks', {
      operatorCode,
      contractReference: SEED_CATALOG.contract,
      reference: block,
      kind: 'short_code',
      rangeStart: value,
      rangeEnd: value,
    });
    changes.push(`numbering block ${block} created`);
  }
  const pools = await numbering.expect<{ items: Array<{ reference: string }> }>([200], 'GET', '/v1/admin/pools?limit=500');
  if (!pools.items.some((p) => p.reference === SEED_CATALOG.pool)) {
    await numbering.expect([201], 'POST', '/v1/admin/pools', { reference: SEED_CATALOG.pool, name: 'Demo short codes', kind: 'short_code' });
    changes.push(`numbering pool ${SEED_CATALOG.pool} created`);
  }

  const file = Buffer.from(`number,kind,operator_code,contract_ref,block_ref,pool_ref,tier\n${value},short_code,${operatorCode},${SEED_CATALOG.contract},${block},${SEED_CATALOG.pool},\n`);
  const privateKey = await demoOperatorKey(keys, operatorCode);
  const signature = sign('sha256', file, privateKey);
  await numbering.expect([200, 201], 'POST', '/v1/admin/imports', { operatorCode, file: file.toString('base64'), signature: signature.toString('base64') });
  changes.push(`short code ${value} imported`);
}

/** The demo signing key of `operatorCode`, created on first use, its public half in numbering-service's keyring folder. */
async function demoOperatorKey(keys: SeedKeyFiles, operatorCode: string): Promise<ReturnType<typeof createPrivateKey>> {
  let pem: string;
  try {
    pem = await readFile(keys.privateKeyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await mkdir(dirname(keys.privateKeyFile), { recursive: true, mode: 0o700 });
    await writeFile(keys.privateKeyFile, pem, { mode: 0o600 });
  }
  const privateKey = createPrivateKey(pem);
  const publicFile = join(keys.operatorKeysDir, operatorCode, `${SEED_CATALOG.keyId}.pem`);
  await mkdir(dirname(publicFile), { recursive: true });
  await writeFile(publicFile, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string);
  return privateKey;
}

/** The demo tenant's pool in numbering-service, created when missing; resolves with its id. */
async function ensureTenantPool(numbering: ServiceClient, topology: PlatformTopology, changes: string[]): Promise<string> {
  const path = `/v1/admin/tenants/${encodeURIComponent(topology.tenant.id)}/pools`;
  const pools = await numbering.expect<{ items: Array<{ id: string; name: string }> }>([200], 'GET', `${path}?limit=500`);
  const found = pools.items.find((p) => p.name === SEED_CATALOG.tenantPool);
  if (found !== undefined) return found.id;
  const created = await numbering.expect<{ id: string }>([201], 'POST', path, { name: SEED_CATALOG.tenantPool, segment: topology.tenant.segment });
  changes.push(`numbering tenant pool of ${topology.tenant.id} created`);
  return created.id;
}
