import type { Clock, IdGenerator } from '@sms/kernel';
import {
  AssignNumber,
  CreateInventoryPool,
  CreateNumberBlock,
  CreateOperatorContract,
  CreateTenantPool,
  EndQuarantine,
  ExpireHold,
  ImportOperatorInventory,
  InvalidateLeaseCacheOnEvent,
  isTenantActor,
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
} from '../index.js';
import type {
  Actor,
  LeaseCache,
  NumberChangeDeps,
  NumberingPolicy,
  OperatorKeyring,
  ReservationTimers,
  TenantActivitySink,
} from '../index.js';
import { SYSTEM_SCOPE, tenantScope } from '../adapters/postgres/numbering-scope.js';
import type { NumberingScope } from '../adapters/postgres/numbering-scope.js';
import type { NumberingPorts } from '../adapters/postgres/postgres-numbering.store.js';

export interface NumberingUseCaseOptions {
  /** The persistence ports of one scope (Postgres: `store.scoped(scope)`). */
  readonly ports: (scope: NumberingScope) => NumberingPorts;
  readonly leaseCache: LeaseCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly policy: NumberingPolicy;
  readonly keyring: OperatorKeyring;
  /** Armed by each reservation with its TTL (cache expiry events); without them the safety-net job alone expires. */
  readonly reservationTimers?: ReservationTimers;
  /** Told reserve and release outcomes, for the anomaly signals. */
  readonly activity?: TenantActivitySink;
}

/**
 * Tenants' requests run in their tenant's scope (row-level security applies); staff, internal services,
 * jobs and consumers run in the system scope.
 */
export const scopeOf = (actor: Actor): NumberingScope => (isTenantActor(actor) ? tenantScope(actor.tenantId) : SYSTEM_SCOPE);

/** The use cases bound to one actor's scope. */
export interface ActorUseCases {
  readonly lookup: LookupNumber;
  readonly reserve: ReserveNumber;
  readonly assign: AssignNumber;
  readonly release: ReleaseNumber;
  readonly renew: RenewLease;
  readonly expire: ExpireHold;
  readonly recall: RecallNumber;
  readonly resolveRecall: ResolveRecall;
  readonly endQuarantine: EndQuarantine;
  readonly retire: RetireNumber;
  readonly holdings: ListTenantHoldings;
  readonly tenantPools: ListTenantPools;
  readonly importInventory: ImportOperatorInventory;
  readonly verifyAudit: VerifyAuditChain;
  readonly createContract: CreateOperatorContract;
  readonly createBlock: CreateNumberBlock;
  readonly createPool: CreateInventoryPool;
  readonly createTenantPool: CreateTenantPool;
}

export interface NumberingUseCases {
  /** The hot path: system scope (the caller is an internal service), cache first. */
  readonly validateLease: ValidateLease;
  readonly invalidateLeaseCache: InvalidateLeaseCacheOnEvent;
  /** Ports of the system scope, for jobs and the admin read models. */
  readonly system: NumberingPorts;
  forActor(actor: Actor): ActorUseCases;
}

/** Wires every use case by hand over the given ports (no container). Building them per request is cheap. */
export function createNumberingUseCases(options: NumberingUseCaseOptions): NumberingUseCases {
  const { leaseCache, clock, ids, policy, keyring, reservationTimers, activity } = options;
  const reserveHooks = { ...(reservationTimers === undefined ? {} : { timers: reservationTimers }), ...(activity === undefined ? {} : { activity }) };
  const system = options.ports(SYSTEM_SCOPE);
  return {
    validateLease: new ValidateLease({ numbers: system.numbers, leaseCache, clock }),
    invalidateLeaseCache: new InvalidateLeaseCacheOnEvent({ leaseCache }),
    system,
    forActor(actor) {
      const ports = options.ports(scopeOf(actor));
      const deps: NumberChangeDeps = { unitOfWork: ports.unitOfWork, idempotency: ports.idempotency, clock, ids, policy, leaseCache };
      return {
        lookup: new LookupNumber({ numbers: ports.numbers }),
        reserve: new ReserveNumber(deps, reserveHooks),
        assign: new AssignNumber(deps),
        release: new ReleaseNumber(deps, activity),
        renew: new RenewLease(deps),
        expire: new ExpireHold(deps),
        recall: new RecallNumber(deps),
        resolveRecall: new ResolveRecall(deps),
        endQuarantine: new EndQuarantine(deps),
        retire: new RetireNumber(deps),
        holdings: new ListTenantHoldings({ numbers: ports.numbers }),
        tenantPools: new ListTenantPools({ catalog: ports.catalog }),
        importInventory: new ImportOperatorInventory({
          unitOfWork: ports.unitOfWork,
          clock,
          ids,
          policy,
          keyring,
          imports: ports.imports,
          numbers: ports.numbers,
          catalog: ports.catalog,
        }),
        verifyAudit: new VerifyAuditChain({ audit: ports.auditReader }),
        createContract: new CreateOperatorContract(deps),
        createBlock: new CreateNumberBlock(deps),
        createPool: new CreateInventoryPool(deps),
        createTenantPool: new CreateTenantPool(deps),
      };
    },
  };
}
