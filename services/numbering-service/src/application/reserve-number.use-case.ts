import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { isContractActive, poolAdmitsSegment, tenantPoolAdmitsTier } from '../domain/catalog.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { parseSender } from '../domain/number-value.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { integerInRange, requireText } from './input.js';
import { changeNumber } from './number-change.js';
import type { NumberChangeDeps } from './number-change.js';
import type { NumberView } from './number-view.js';
import type { ReservationTimers } from './ports/reservation-timers.port.js';
import type { TenantActivitySink } from './tenant-activity.js';
import { recordActivity } from './tenant-activity.js';

/** What a reservation sets off besides its own change; each optional (unit tests and tools go without). */
export interface ReserveNumberHooks {
  /** Armed after the commit with the reservation's TTL; the safety-net job covers a timer that fails. */
  readonly timers?: ReservationTimers;
  /** Told each attempt's outcome, for the churn and conflict-rate anomaly signals. */
  readonly activity?: TenantActivitySink;
}

export interface ReserveNumberInput {
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** E.164 MSISDN with `+`, or short code digits. */
  readonly number: string;
  readonly tenantId: string;
  readonly tenantPoolId: string;
  /** Reservation TTL; the policy's default when absent. */
  readonly ttlSeconds?: number;
}

/**
 * Reserve: holds an available number for a tenant for a TTL. The tenant pool must be the tenant's, allow
 * the number's tier, and the number's inventory pool and operator contract must admit it.
 */
export class ReserveNumber {
  constructor(
    private readonly deps: NumberChangeDeps,
    private readonly hooks: ReserveNumberHooks = {},
  ) {}

  async execute(input: ReserveNumberInput): Promise<Result<NumberView, NumberingError>> {
    const sender = parseSender(input.number);
    if (!sender.ok) return sender;
    const tenantId = requireText(input.tenantId, 'tenantId');
    if (!tenantId.ok) return tenantId;
    const tenantPoolId = requireText(input.tenantPoolId, 'tenantPoolId');
    if (!tenantPoolId.ok) return tenantPoolId;
    const ttlSeconds = integerInRange(input.ttlSeconds, 'ttlSeconds', this.deps.policy.reservationTtlSeconds);
    if (!ttlSeconds.ok) return ttlSeconds;
    const allowed = authorize(input.actor, 'number.reserve', tenantId.value);
    if (!allowed.ok) return allowed;

    const result = await changeNumber(this.deps, {
      meta: {
        name: 'number.reserve',
        actor: input.actor,
        idempotencyKey: input.idempotencyKey,
        request: { number: sender.value.value, tenantId: tenantId.value, tenantPoolId: tenantPoolId.value, ttlSeconds: ttlSeconds.value },
      },
      number: sender.value.value,
      action: 'reserve',
      build: async (number, tx, now) => {
        const tenantPool = await tx.catalog.findTenantPool(tenantPoolId.value);
        if (tenantPool === null || tenantPool.tenantId !== tenantId.value)
          return err(numberingError('NUMBERING.TENANT_POOL_NOT_FOUND', 'the tenant has no tenant pool with this id', { field: 'tenantPoolId' }));
        if (!tenantPoolAdmitsTier(tenantPool, number.tier))
          return err(
            numberingError('NUMBERING.TIER_NOT_ELIGIBLE', `a ${number.tier} number is not allowed in this tenant pool`, {
              tier: number.tier,
              allowedTiers: tenantPool.allowedTiers,
            }),
          );
        const pool = await tx.catalog.findPoolById(number.poolId);
        if (pool === null) throw new Error(`number ${number.id} refers to missing inventory pool ${number.poolId}`);
        if (!poolAdmitsSegment(pool, tenantPool.segment))
          return err(
            numberingError('NUMBERING.POOL_RESTRICTED', `this number's pool is reserved for ${pool.segments.join(', ')} tenants`, {
              segments: pool.segments,
            }),
          );
        const contract = await tx.catalog.findContractById(number.contractId);
        if (contract === null) throw new Error(`number ${number.id} refers to missing contract ${number.contractId}`);
        if (!isContractActive(contract, now))
          return err(numberingError('NUMBERING.CONTRACT_INACTIVE', "the number's operator contract is not in force"));
        return ok({
          action: 'reserve',
          reservationId: this.deps.ids.next(),
          tenantId: tenantId.value,
          tenantPoolId: tenantPool.id,
          ttlSeconds: ttlSeconds.value,
        });
      },
    });
    recordActivity(this.hooks.activity, tenantId.value, 'reserve', result);
    if (result.ok) await this.armTimer(result.value);
    return result;
  }

  /** Best effort: with no timer the reservation still ends, by the safety-net job (within its minute). */
  private async armTimer(view: NumberView): Promise<void> {
    if (this.hooks.timers === undefined || view.reservation === null) return;
    try {
      await this.hooks.timers.arm({
        numberId: view.id,
        number: view.number,
        version: view.version,
        expiresAt: new Date(view.reservation.expiresAt),
        attempt: 0,
      });
    } catch {
      // Covered by the reservation-expiry job; the timer store's own adapter logs its outage.
    }
  }
}
