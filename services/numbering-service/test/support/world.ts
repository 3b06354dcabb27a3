import { ManualClock } from '@sms/kernel';
import type { IdGenerator } from '@sms/kernel';
import {
  AssignNumber,
  CreateInventoryPool,
  CreateNumberBlock,
  CreateOperatorContract,
  CreateTenantPool,
  EndQuarantine,
  ExpireHold,
  InMemoryLeaseCache,
  InMemoryNumberingStore,
  ListTenantHoldings,
  ListTenantPools,
  LookupNumber,
  RecallNumber,
  ReleaseNumber,
  RenewLease,
  ReserveNumber,
  ResolveRecall,
  RetireNumber,
  ValidateLease,
  VerifyAuditChain,
  createNumberingPolicy,
  newInventoryNumber,
} from '../../src/index.js';
import type {
  Actor,
  InventoryPool,
  NumberBlock,
  NumberChangeDeps,
  NumberingPolicyOverrides,
  NumberRecord,
  OperatorContract,
  Role,
  TenantPool,
  VanityTier,
} from '../../src/index.js';

/** The instant every world starts at. */
export const T0 = new Date('2026-05-01T10:00:00.000Z');

/** Predictable ids that are still valid UUIDs (version 7, RFC 9562 variant), so event schemas accept them. */
export class UuidSequence implements IdGenerator {
  private counter = 0;
  next(): string {
    this.counter += 1;
    return `00000000-0000-7000-8000-${this.counter.toString(16).padStart(12, '0')}`;
  }
}

export const ACME = 'tenant-acme';
export const SHOP = 'tenant-shop';
export const MINISTRY = 'tenant-ministry';

export const tenantActor = (tenantId: string, role: 'tenant' | 'tenant_viewer' = 'tenant'): Actor => ({
  role,
  id: `user-of-${tenantId}`,
  tenantId,
});
export const staffActor = (role: Exclude<Role, 'tenant' | 'tenant_viewer'>): Actor => ({ role, id: `${role}-1` });

const day = 86_400_000;

/** A complete in-memory numbering service: catalog, a few numbers, every use case wired. */
export function createWorld(options: { readonly policy?: NumberingPolicyOverrides } = {}) {
  const clock = new ManualClock(T0);
  const ids = new UuidSequence();
  const store = new InMemoryNumberingStore();
  const leaseCache = new InMemoryLeaseCache(clock);
  const policy = createNumberingPolicy(options.policy);
  const deps: NumberChangeDeps = { unitOfWork: store.unitOfWork, idempotency: store.idempotency, clock, ids, policy, leaseCache };

  const contract: OperatorContract = {
    id: ids.next(),
    operatorCode: 'ROSHAN',
    reference: 'CTR-ROSHAN-2026',
    startsAt: new Date(T0.getTime() - 120 * day),
    endsAt: null,
    createdAt: T0,
  };
  const msisdnBlock: NumberBlock = {
    id: ids.next(),
    contractId: contract.id,
    operatorCode: 'ROSHAN',
    reference: 'BLK-070',
    kind: 'msisdn',
    rangeStart: '+93700000000',
    rangeEnd: '+93709999999',
    createdAt: T0,
  };
  const shortCodeBlock: NumberBlock = {
    id: ids.next(),
    contractId: contract.id,
    operatorCode: 'ROSHAN',
    reference: 'BLK-SC',
    kind: 'short_code',
    rangeStart: '1000',
    rangeEnd: '9999',
    createdAt: T0,
  };
  const generalPool: InventoryPool = { id: ids.next(), reference: 'general', name: 'General', kind: null, segments: [], createdAt: T0 };
  const governmentPool: InventoryPool = {
    id: ids.next(),
    reference: 'government',
    name: 'Government reserved',
    kind: null,
    segments: ['government'],
    createdAt: T0,
  };
  const tenantPools = {
    acme: { id: ids.next(), tenantId: ACME, name: 'Acme senders', segment: 'enterprise', allowedTiers: ['standard', 'silver', 'gold', 'platinum'], createdAt: T0 },
    shop: { id: ids.next(), tenantId: SHOP, name: 'Shop senders', segment: 'smb', allowedTiers: ['standard', 'silver'], createdAt: T0 },
    ministry: { id: ids.next(), tenantId: MINISTRY, name: 'Ministry alerts', segment: 'government', allowedTiers: ['standard', 'silver', 'gold', 'platinum'], createdAt: T0 },
  } satisfies Record<string, TenantPool>;

  store.seedContract(contract);
  store.seedBlock(msisdnBlock);
  store.seedBlock(shortCodeBlock);
  store.seedPool(generalPool);
  store.seedPool(governmentPool);
  for (const pool of Object.values(tenantPools)) store.seedTenantPool(pool);

  /** Seeds an available number straight into the inventory (as an import would leave it). */
  const addNumber = (value: string, options: { readonly tier?: VanityTier; readonly pool?: InventoryPool } = {}): NumberRecord => {
    const kind = value.startsWith('+') ? 'msisdn' : 'short_code';
    const number = newInventoryNumber(
      ids.next(),
      {
        kind,
        value,
        operatorCode: 'ROSHAN',
        contractId: contract.id,
        blockId: kind === 'msisdn' ? msisdnBlock.id : shortCodeBlock.id,
        poolId: (options.pool ?? generalPool).id,
        tier: options.tier ?? 'standard',
      },
      clock.now(),
    );
    store.seedNumber(number);
    return number;
  };

  let keys = 0;
  const key = (): string => `key-${(keys += 1)}`;

  return {
    clock,
    ids,
    store,
    leaseCache,
    policy,
    deps,
    contract,
    msisdnBlock,
    shortCodeBlock,
    generalPool,
    governmentPool,
    tenantPools,
    addNumber,
    key,
    reserve: new ReserveNumber(deps),
    assign: new AssignNumber(deps),
    release: new ReleaseNumber(deps),
    renew: new RenewLease(deps),
    expire: new ExpireHold(deps),
    recall: new RecallNumber(deps),
    resolveRecall: new ResolveRecall(deps),
    endQuarantine: new EndQuarantine(deps),
    retire: new RetireNumber(deps),
    validateLease: new ValidateLease({ numbers: store.numbers, leaseCache, clock }),
    lookup: new LookupNumber({ numbers: store.numbers }),
    holdings: new ListTenantHoldings({ numbers: store.numbers }),
    listTenantPools: new ListTenantPools({ catalog: store.catalog }),
    verifyAudit: new VerifyAuditChain({ audit: store.auditReader }),
    createContract: new CreateOperatorContract(deps),
    createBlock: new CreateNumberBlock(deps),
    createPool: new CreateInventoryPool(deps),
    createTenantPool: new CreateTenantPool(deps),
  };
}

export type World = ReturnType<typeof createWorld>;

/** Reserves `value` for Acme (in its enterprise pool) and fails the test if that does not work. */
export async function reserveForAcme(world: World, value: string, ttlSeconds?: number): Promise<void> {
  const result = await world.reserve.execute({
    actor: tenantActor(ACME),
    idempotencyKey: world.key(),
    number: value,
    tenantId: ACME,
    tenantPoolId: world.tenantPools.acme.id,
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
  if (!result.ok) throw new Error(`arrange: reserve failed with ${result.error.code}`);
}

/** Reserves and assigns `value` to Acme for transactional and OTP traffic. */
export async function leaseToAcme(world: World, value: string, termDays?: number): Promise<void> {
  await reserveForAcme(world, value);
  const result = await world.assign.execute({
    actor: tenantActor(ACME),
    idempotencyKey: world.key(),
    number: value,
    tenantId: ACME,
    uses: ['transactional', 'otp'],
    ...(termDays === undefined ? {} : { termDays }),
  });
  if (!result.ok) throw new Error(`arrange: assign failed with ${result.error.code}`);
}

export const DAY = day;
