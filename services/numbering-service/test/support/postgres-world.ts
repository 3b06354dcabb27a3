import { ok } from '@sms/kernel';
import { ManualClock, uuidv7Generator } from '@sms/kernel';
import type { Clock, IdGenerator, Result } from '@sms/kernel';
import { createNumberingPolicy, InMemoryLeaseCache, InMemoryOperatorKeyring, newInventoryNumber } from '../../src/index.js';
import type { Actor, LeaseCache, NumberingPolicyOverrides, NumberRecord, OperatorKeyring, VanityTier } from '../../src/index.js';
import { SYSTEM_SCOPE } from '../../src/adapters/postgres/numbering-scope.js';
import { createNumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import type { NumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import type { MigratedSchema, PostgresFixture } from './postgres-numbering.js';
import type { NumberingPorts } from '../../src/adapters/postgres/postgres-numbering.store.js';

export const T0 = new Date('2026-05-01T10:00:00.000Z');
const DAY = 86_400_000;
export const ADMIN: Actor = { role: 'admin', id: 'admin-1' };
export const tenant = (tenantId: string, role: 'tenant' | 'tenant_viewer' = 'tenant'): Actor => ({ role, id: `user-of-${tenantId}`, tenantId });

const must = <T>(result: Result<T, { code: string; message: string }>, what: string): T => {
  if (!result.ok) throw new Error(`arrange: ${what} failed with ${result.error.code}: ${result.error.message}`);
  return result.value;
};

export interface PostgresWorld {
  readonly schema: MigratedSchema;
  readonly useCases: NumberingUseCases;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly leaseCache: LeaseCache;
  readonly contractId: string;
  readonly blockIds: { readonly msisdn: string; readonly shortCode: string };
  readonly poolIds: { readonly general: string; readonly government: string };
  /** Tenant pool id of each tenant the world was made with (enterprise segment). */
  readonly tenantPools: Readonly<Record<string, string>>;
  /** Adds available numbers straight into the inventory (as an import would leave them), in one transaction. */
  addNumbers(values: readonly string[], options?: { readonly tier?: VanityTier; readonly pool?: 'general' | 'government' }): Promise<NumberRecord[]>;
  key(): string;
}

/**
 * A numbering service on a freshly migrated schema: the real use cases over the Postgres adapters, a
 * ROSHAN contract in force, an MSISDN block (+93700000000–+93709999999), a short-code block (1000–9999),
 * a general and a government pool, and an enterprise tenant pool per tenant. Catalog entries are created
 * through the use cases (so they are audited like in production).
 */
export async function createPostgresWorld(
  fixture: PostgresFixture,
  options: {
    readonly tenants?: readonly string[];
    readonly clock?: Clock;
    readonly leaseCache?: LeaseCache;
    readonly keyring?: OperatorKeyring;
    readonly policy?: NumberingPolicyOverrides;
  } = {},
): Promise<PostgresWorld> {
  const clock = options.clock ?? new ManualClock(T0);
  const schema = await fixture.schema({ clock });
  const ids = uuidv7Generator;
  const leaseCache = options.leaseCache ?? new InMemoryLeaseCache(clock);
  const useCases = createNumberingUseCases({
    ports: (scope) => schema.store.scoped(scope),
    leaseCache,
    clock,
    ids,
    policy: createNumberingPolicy(options.policy),
    keyring: options.keyring ?? new InMemoryOperatorKeyring(),
  });
  let keys = 0;
  const key = (): string => `seed-${(keys += 1)}-${ids.next()}`;
  const { contractId, blockIds, poolIds, tenantPools } = await seedCatalog(useCases, clock, options.tenants ?? []);

  return {
    schema,
    useCases,
    clock,
    ids,
    leaseCache,
    contractId,
    blockIds,
    poolIds,
    tenantPools,
    key,
    addNumbers: (values, addOptions = {}) =>
      insertNumbers(schema.store.scoped(SYSTEM_SCOPE), { contractId, blockIds, poolIds, tenantPools }, clock, values, addOptions),
  };
}

export interface SeededCatalog {
  readonly contractId: string;
  readonly blockIds: { readonly msisdn: string; readonly shortCode: string };
  readonly poolIds: { readonly general: string; readonly government: string };
  readonly tenantPools: Readonly<Record<string, string>>;
}

/**
 * Creates, through the use cases as an admin: a ROSHAN contract in force (CTR-ROSHAN-2026), an MSISDN block
 * BLK-070 (+93700000000–+93709999999), a short-code block BLK-SC (1000–9999), the pools `general` and
 * `government`, and an enterprise tenant pool per tenant.
 */
export async function seedCatalog(useCases: NumberingUseCases, clock: Clock, tenants: readonly string[]): Promise<SeededCatalog> {
  let keys = 0;
  const key = (): string => `catalog-${(keys += 1)}-${uuidv7Generator.next()}`;
  const admin = useCases.forActor(ADMIN);
  const now = clock.now().getTime();
  const contract = must(
    await admin.createContract.execute({
      actor: ADMIN,
      idempotencyKey: key(),
      operatorCode: 'ROSHAN',
      reference: 'CTR-ROSHAN-2026',
      startsAt: new Date(now - 120 * DAY).toISOString(),
      endsAt: null,
    }),
    'create contract',
  );
  const block = async (reference: string, kind: string, rangeStart: string, rangeEnd: string): Promise<string> =>
    must(
      await admin.createBlock.execute({
        actor: ADMIN,
        idempotencyKey: key(),
        operatorCode: 'ROSHAN',
        contractReference: contract.reference,
        reference,
        kind,
        rangeStart,
        rangeEnd,
      }),
      `create block ${reference}`,
    ).id;
  const blockIds = { msisdn: await block('BLK-070', 'msisdn', '+93700000000', '+93709999999'), shortCode: await block('BLK-SC', 'short_code', '1000', '9999') };
  const pool = async (reference: string, segments: string[]): Promise<string> =>
    must(await admin.createPool.execute({ actor: ADMIN, idempotencyKey: key(), reference, name: reference, kind: null, segments }), `create pool ${reference}`).id;
  const poolIds = { general: await pool('general', []), government: await pool('government', ['government']) };
  const tenantPools: Record<string, string> = {};
  for (const tenantId of tenants) {
    tenantPools[tenantId] = must(
      await admin.createTenantPool.execute({ actor: ADMIN, idempotencyKey: key(), tenantId, name: `${tenantId} senders`, segment: 'enterprise' }),
      `create tenant pool of ${tenantId}`,
    ).id;
  }
  return { contractId: contract.id, blockIds, poolIds, tenantPools };
}

/** Adds available numbers straight into the inventory (as an import would leave them), in one transaction. */
export async function insertNumbers(
  ports: NumberingPorts,
  catalog: SeededCatalog,
  clock: Clock,
  values: readonly string[],
  options: { readonly tier?: VanityTier; readonly pool?: 'general' | 'government' } = {},
): Promise<NumberRecord[]> {
  const numbers = values.map((value) => {
    const kind = value.startsWith('+') ? 'msisdn' : 'short_code';
    return newInventoryNumber(
      uuidv7Generator.next(),
      {
        kind,
        value,
        operatorCode: 'ROSHAN',
        contractId: catalog.contractId,
        blockId: kind === 'msisdn' ? catalog.blockIds.msisdn : catalog.blockIds.shortCode,
        poolId: catalog.poolIds[options.pool ?? 'general'],
        tier: options.tier ?? 'standard',
      },
      clock.now(),
    );
  });
  await ports.unitOfWork.run(async (tx) => {
    const outcome = await tx.numbers.insertNew(numbers);
    if (outcome.outcome !== 'inserted') throw new Error(`arrange: numbers exist already: ${outcome.values.join(', ')}`);
    return ok();
  });
  return numbers;
}
