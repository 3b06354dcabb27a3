import type { Logger } from '@sms/logging';
import type { Actor, NumberDeadline, NumberRecord } from '../index.js';
import type { ScheduledJob } from '../adapters/postgres/postgres-job.scheduler.js';
import type { NumberingUseCases } from './numbering-use-cases.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The actor of every scheduled job (audit rows name it). */
export const SCHEDULER_ACTOR: Actor = { role: 'system', id: 'numbering-scheduler' };

export const JOB_NAMES = {
  reservationExpiry: 'reservation-expiry',
  quarantineSweep: 'quarantine-sweep',
  leaseRenewal: 'lease-renewal',
  auditVerification: 'audit-verification',
  idempotencyPurge: 'idempotency-purge',
  /** composition/numbering-regulator-export.ts */
  regulatorExport: 'regulator-export',
} as const;

export interface NumberingJobsOptions {
  readonly useCases: NumberingUseCases;
  readonly logger: Logger;
  /** Counted once per lease whose renewal was refused or failed (`numbering_lease_renewal_failures_total`). */
  readonly onRenewalFailure: () => void;
  /** Told the outcome of each daily audit-chain verification (sets `numbering_audit_chain_broken`). */
  readonly onAuditVerified?: (intact: boolean, at: Date) => void;
  /** Told each reservation the safety net released, and how long after its TTL (`numbering_reservation_expiry_lateness_seconds`). */
  readonly onReservationExpired?: (lateMs: number) => void;
  /** Numbers read per page (default 200). */
  readonly batchSize?: number;
  /** How far ahead of a lease's end the daily job renews it (default 7 days: several chances before it lapses). */
  readonly renewAheadMs?: number;
  readonly intervals?: {
    readonly reservationExpiryMs?: number;
    readonly quarantineSweepMs?: number;
    readonly leaseRenewalMs?: number;
    readonly auditVerificationMs?: number;
  };
}

/**
 * Pages through the numbers due at `at`, handling each; stops when a page handles nothing new, so numbers
 * that stay due after a refusal cannot loop the job forever (they are logged and retried on the next tick).
 */
async function sweep(
  useCases: NumberingUseCases,
  deadline: NumberDeadline,
  at: Date,
  batchSize: number,
  handle: (number: NumberRecord) => Promise<boolean>,
): Promise<number> {
  let handled = 0;
  for (;;) {
    const due = await useCases.system.numbers.findDue({ deadline, at, limit: batchSize });
    let progressed = 0;
    for (const number of due) if (await handle(number)) progressed += 1;
    handled += progressed;
    if (due.length < batchSize || progressed === 0) return handled;
  }
}

/**
 * The service's scheduled jobs (docs/overview.md): the reservation-expiry safety net (every minute), the
 * quarantine sweep (every 5 minutes), the lease auto-renewal (daily) and the audit-chain verification (daily). Each keys its commands by the
 * number and its version (or lease end), so a rerun or a second replica replays instead of acting twice.
 */
export function createNumberingJobs(options: NumberingJobsOptions): ScheduledJob[] {
  const { useCases, logger } = options;
  const batchSize = options.batchSize ?? 200;
  const renewAheadMs = options.renewAheadMs ?? 7 * DAY_MS;
  const system = useCases.forActor(SCHEDULER_ACTOR);
  const intervals = options.intervals ?? {};

  const reservationExpiry: ScheduledJob = {
    name: JOB_NAMES.reservationExpiry,
    intervalMs: intervals.reservationExpiryMs ?? MINUTE_MS,
    run: (now) =>
      sweep(useCases, 'reservation_expiry', now, batchSize, async (number) => {
        const result = await system.expire.execute({
          actor: SCHEDULER_ACTOR,
          idempotencyKey: `job:reservation-expiry:${number.id}:v${number.version}`,
          number: number.value,
          // CAS with the reservation's TTL timer: whichever path writes second finds the version moved on.
          expectedVersion: number.version,
        });
        const l = number.lifecycle;
        if (result.ok && l.state === 'reserved' && result.value.quarantine !== null)
          options.onReservationExpired?.(Date.parse(result.value.quarantine.startedAt) - l.reservation.expiresAt.getTime());
        if (!result.ok) logger.warn({ job: JOB_NAMES.reservationExpiry, numberId: number.id, code: result.error.code }, 'reservation not expired');
        return result.ok;
      }),
  };

  const quarantineSweep: ScheduledJob = {
    name: JOB_NAMES.quarantineSweep,
    intervalMs: intervals.quarantineSweepMs ?? 5 * MINUTE_MS,
    run: (now) =>
      sweep(useCases, 'quarantine_end', now, batchSize, async (number) => {
        const result = await system.endQuarantine.execute({
          actor: SCHEDULER_ACTOR,
          idempotencyKey: `job:quarantine-end:${number.id}:v${number.version}`,
          number: number.value,
        });
        if (!result.ok) logger.warn({ job: JOB_NAMES.quarantineSweep, numberId: number.id, code: result.error.code }, 'quarantine not ended');
        return result.ok;
      }),
  };

  const leaseRenewal: ScheduledJob = {
    name: JOB_NAMES.leaseRenewal,
    intervalMs: intervals.leaseRenewalMs ?? DAY_MS,
    async run(now) {
      // Renewed leases move past the window, so each page brings new ones. Leases without auto-renewal are
      // left alone (they lapse); a page holding only those ends the run.
      const at = new Date(now.getTime() + renewAheadMs);
      let renewed = 0;
      for (;;) {
        const due = await useCases.system.numbers.findDue({ deadline: 'lease_end', at, limit: batchSize });
        let progressed = 0;
        for (const number of due) {
          const l = number.lifecycle;
          if (l.state !== 'assigned' || !l.lease.autoRenew) continue;
          const result = await system.renew
            .execute({
              actor: SCHEDULER_ACTOR,
              idempotencyKey: `job:lease-renewal:${number.id}:${l.lease.endsAt.toISOString()}`,
              number: number.value,
              tenantId: l.lease.tenantId,
            })
            .catch((error: unknown) => {
              logger.error({ err: error, job: JOB_NAMES.leaseRenewal, numberId: number.id }, 'lease renewal failed');
              return null;
            });
          if (result?.ok === true) {
            progressed += 1;
            continue;
          }
          options.onRenewalFailure();
          if (result !== null && !result.ok)
            logger.warn({ job: JOB_NAMES.leaseRenewal, numberId: number.id, code: result.error.code }, 'lease not renewed');
        }
        renewed += progressed;
        if (due.length < batchSize || progressed === 0) return renewed;
      }
    },
  };

  // Daily walk of the whole hash chain; a broken chain raises NumberingAuditChainBroken through the gauge.
  const auditVerification: ScheduledJob = {
    name: JOB_NAMES.auditVerification,
    intervalMs: intervals.auditVerificationMs ?? DAY_MS,
    async run(now) {
      const result = await system.verifyAudit.execute({ actor: SCHEDULER_ACTOR });
      if (!result.ok) throw new Error(`audit verification refused: ${result.error.code}`);
      const verdict = result.value;
      options.onAuditVerified?.(verdict.intact, now);
      if (!verdict.intact) logger.error({ job: JOB_NAMES.auditVerification, firstBroken: verdict.firstBroken }, 'audit chain broken');
      return verdict.rowCount;
    },
  };

  return [reservationExpiry, quarantineSweep, leaseRenewal, auditVerification];
}

export interface IdempotencyPurgeJobOptions {
  /** Deletes up to `limit` keys whose window ended at or before `before`; answers how many (PostgresIdempotencyStore.deleteExpired). */
  readonly deleteExpired: (before: Date, limit: number) => Promise<number>;
  /** Keys deleted per statement (default 1000), so no statement holds many row locks for long. */
  readonly batchSize?: number;
  /** Default hourly. */
  readonly intervalMs?: number;
}

/**
 * Idempotency-key purge: deletes the keys whose retention window (NUMBERING_IDEMPOTENCY_RETENTION_HOURS,
 * default 48 h, written on each key as `expires_at`) has passed, batch after batch until a batch comes back
 * short. Nothing is lost: an expired key no longer replays anyway; this keeps the table at about a window's
 * worth of keys.
 */
export function createIdempotencyPurgeJob(options: IdempotencyPurgeJobOptions): ScheduledJob {
  const batchSize = options.batchSize ?? 1000;
  return {
    name: JOB_NAMES.idempotencyPurge,
    intervalMs: options.intervalMs ?? 60 * MINUTE_MS,
    async run(now) {
      let deleted = 0;
      for (;;) {
        const batch = await options.deleteExpired(now, batchSize);
        deleted += batch;
        if (batch < batchSize) return deleted;
      }
    },
  };
}
