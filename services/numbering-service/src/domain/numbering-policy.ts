/**
 * Why a number is in quarantine; each reason has its own cool-off (configuration, approved by Legal).
 *
 * - `released` (90 days): a lease ended, released by its tenant or lapsed unrenewed. The number carried
 *   traffic, so recipients need time to stop associating it with the old tenant.
 * - `reservation_expired` (30 days): a reservation reached its TTL without being assigned. Letting
 *   reservations lapse is how scarce numbers get hoarded; the cool-off stops reserve–lapse–reserve cycles.
 * - `compliance_recall` (365 days): a recalled number (abuse, suspension, regulator order) sent to
 *   quarantine; its reputation must recover before anyone else sends from it.
 * - `reservation_cancelled` (0 days): the tenant cancelled its own reservation; the number never carried
 *   traffic and cancelling promptly is the behaviour we want, so it returns at the next sweep.
 *
 * A number an operator hands back to the platform arrives through the signed CSV import as `available`;
 * it needs no quarantine stage of its own.
 */
export const QUARANTINE_REASONS = ['released', 'reservation_expired', 'compliance_recall', 'reservation_cancelled'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export interface Range {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** The numbering rules that are configuration, not code. */
export interface NumberingPolicy {
  /** Cool-off per quarantine reason, in whole days (a day is 86 400 000 ms of UTC time). */
  readonly coolOffDays: Readonly<Record<QuarantineReason, number>>;
  /** Reservation TTL in seconds: default when the request names none, and the bounds a request may ask. */
  readonly reservationTtlSeconds: Range;
  /** Lease term in days, for assignment and for each renewal. */
  readonly leaseTermDays: Range;
  /** Operator CSV import limits. */
  readonly importLimits: { readonly maxBytes: number; readonly maxRows: number };
}

export const DAY_MS = 86_400_000;

export const defaultNumberingPolicy: NumberingPolicy = Object.freeze({
  coolOffDays: Object.freeze({ released: 90, reservation_expired: 30, compliance_recall: 365, reservation_cancelled: 0 }),
  reservationTtlSeconds: Object.freeze({ default: 86_400, min: 60, max: 30 * 86_400 }),
  leaseTermDays: Object.freeze({ default: 365, min: 1, max: 3 * 365 }),
  importLimits: Object.freeze({ maxBytes: 20 * 1024 * 1024, maxRows: 200_000 }),
});

export interface NumberingPolicyOverrides {
  readonly coolOffDays?: Partial<Record<QuarantineReason, number>>;
  readonly reservationTtlSeconds?: Partial<Range>;
  readonly leaseTermDays?: Partial<Range>;
  readonly importLimits?: Partial<NumberingPolicy['importLimits']>;
}

const checkRange = (name: string, range: Range, floor: number): void => {
  for (const [key, value] of Object.entries(range)) {
    if (!Number.isInteger(value) || value < floor) throw new RangeError(`${name}.${key} must be an integer ≥ ${floor}`);
  }
  if (!(range.min <= range.default && range.default <= range.max))
    throw new RangeError(`${name} must satisfy min ≤ default ≤ max`);
};

/**
 * The policy with overrides from configuration applied. Throws a RangeError on a nonsensical value:
 * configuration is validated at start-up, so a bad value stops the process instead of running with it.
 */
export function createNumberingPolicy(overrides: NumberingPolicyOverrides = {}): NumberingPolicy {
  const policy: NumberingPolicy = {
    coolOffDays: { ...defaultNumberingPolicy.coolOffDays, ...overrides.coolOffDays },
    reservationTtlSeconds: { ...defaultNumberingPolicy.reservationTtlSeconds, ...overrides.reservationTtlSeconds },
    leaseTermDays: { ...defaultNumberingPolicy.leaseTermDays, ...overrides.leaseTermDays },
    importLimits: { ...defaultNumberingPolicy.importLimits, ...overrides.importLimits },
  };
  for (const reason of QUARANTINE_REASONS) {
    const days = policy.coolOffDays[reason];
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`coolOffDays.${reason} must be a whole number of days ≥ 0`);
  }
  checkRange('reservationTtlSeconds', policy.reservationTtlSeconds, 1);
  checkRange('leaseTermDays', policy.leaseTermDays, 1);
  if (!Number.isInteger(policy.importLimits.maxBytes) || policy.importLimits.maxBytes < 1)
    throw new RangeError('importLimits.maxBytes must be a positive integer');
  if (!Number.isInteger(policy.importLimits.maxRows) || policy.importLimits.maxRows < 1)
    throw new RangeError('importLimits.maxRows must be a positive integer');
  return Object.freeze(policy);
}

/** The instant a quarantine that starts at `start` for `reason` may end. */
export const quarantineEndsAt = (policy: NumberingPolicy, reason: QuarantineReason, start: Date): Date =>
  new Date(start.getTime() + policy.coolOffDays[reason] * DAY_MS);
