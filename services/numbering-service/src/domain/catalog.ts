import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from './numbering-errors.js';
import type { NumberingError } from './numbering-errors.js';
import { digitsOf, isNumberKind, parseSender } from './number-value.js';
import type { NumberKind } from './number-value.js';

/**
 * Vanity tiers are commercial price classes of short codes, set by Commerce (and approved with Legal):
 * `standard` (no vanity), `silver`, `gold`, `platinum` in increasing price. An MSISDN is always `standard`.
 */
export const VANITY_TIERS = ['standard', 'silver', 'gold', 'platinum'] as const;
export type VanityTier = (typeof VANITY_TIERS)[number];
export const isVanityTier = (value: string): value is VanityTier => (VANITY_TIERS as readonly string[]).includes(value);

/** The three kinds of tenant the platform serves; a tenant pool belongs to one. */
export const TENANT_SEGMENTS = ['enterprise', 'smb', 'government'] as const;
export type TenantSegment = (typeof TENANT_SEGMENTS)[number];
export const isTenantSegment = (value: string): value is TenantSegment =>
  (TENANT_SEGMENTS as readonly string[]).includes(value);

/** Tiers a segment may hold at most; a tenant pool may narrow them further. */
export const SEGMENT_TIER_ELIGIBILITY: Readonly<Record<TenantSegment, readonly VanityTier[]>> = Object.freeze({
  enterprise: VANITY_TIERS,
  government: VANITY_TIERS,
  smb: ['standard', 'silver'],
});

const OPERATOR_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Operator (MNO) codes are upper-case identifiers such as `ROSHAN`, `ETISALAT-AF`, `MTN-AF`, `AWCC`, `SALAAM`. */
export const isOperatorCode = (value: string): boolean => OPERATOR_CODE.test(value);
/** References of contracts, blocks and pools: 1–64 characters of letters, digits, `.`, `_`, `-`. */
export const isReference = (value: string): boolean => REFERENCE.test(value);

/** The agreement under which an operator allocates numbers to the platform; valid from `startsAt` until `endsAt`. */
export interface OperatorContract {
  readonly id: string;
  readonly operatorCode: string;
  readonly reference: string;
  readonly startsAt: Date;
  /** Exclusive end; `null` for an open-ended contract. */
  readonly endsAt: Date | null;
  readonly createdAt: Date;
}

/** A contiguous range of numbers of one kind allocated under one contract. */
export interface NumberBlock {
  readonly id: string;
  readonly contractId: string;
  readonly operatorCode: string;
  readonly reference: string;
  readonly kind: NumberKind;
  /** First and last value of the range, inclusive, in canonical form (`+93…` or short-code digits). */
  readonly rangeStart: string;
  readonly rangeEnd: string;
  readonly createdAt: Date;
}

/**
 * An inventory pool groups numbers for allocation (e.g. `general-msisdn`, `vanity-short-codes`,
 * `government-reserved`). `segments` restricts which tenant segments may take its numbers; empty means all.
 */
export interface InventoryPool {
  readonly id: string;
  readonly reference: string;
  readonly name: string;
  /** Only numbers of this kind may join the pool; `null` allows both. */
  readonly kind: NumberKind | null;
  readonly segments: readonly TenantSegment[];
  readonly createdAt: Date;
}

/** A tenant's own pool: the reservations and leases it holds are filed under one of its tenant pools. */
export interface TenantPool {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly segment: TenantSegment;
  readonly allowedTiers: readonly VanityTier[];
  readonly createdAt: Date;
}

export const isContractActive = (contract: OperatorContract, now: Date): boolean =>
  contract.startsAt.getTime() <= now.getTime() && (contract.endsAt === null || now.getTime() < contract.endsAt.getTime());

/** True when `value` lies in the block's range (same kind, same number of digits, between the bounds). */
export function blockContains(block: NumberBlock, kind: NumberKind, value: string): boolean {
  if (block.kind !== kind) return false;
  const digits = digitsOf(value);
  const start = digitsOf(block.rangeStart);
  const end = digitsOf(block.rangeEnd);
  return digits.length === start.length && start <= digits && digits <= end;
}

/** Whether a tenant of `segment` may take a number from `pool`. */
export const poolAdmitsSegment = (pool: InventoryPool, segment: TenantSegment): boolean =>
  pool.segments.length === 0 || pool.segments.includes(segment);

export const tenantPoolAdmitsTier = (pool: TenantPool, tier: VanityTier): boolean => pool.allowedTiers.includes(tier);

const invalid = (field: string, message: string): NumberingError =>
  numberingError('NUMBERING.INVALID_ARGUMENT', message, { field });

const nonEmpty = (value: string, field: string, max = 200): Result<string, NumberingError> => {
  const trimmed = value.trim();
  return trimmed.length === 0 || trimmed.length > max
    ? err(invalid(field, `${field} must be 1–${max} characters`))
    : ok(trimmed);
};

export interface NewOperatorContract {
  readonly operatorCode: string;
  readonly reference: string;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
}

export function createOperatorContract(
  id: string,
  input: NewOperatorContract,
  now: Date,
): Result<OperatorContract, NumberingError> {
  if (!isOperatorCode(input.operatorCode))
    return err(invalid('operatorCode', 'operatorCode must be an upper-case operator code such as ROSHAN'));
  if (!isReference(input.reference)) return err(invalid('reference', 'reference must be 1–64 letters, digits, . _ -'));
  if (Number.isNaN(input.startsAt.getTime())) return err(invalid('startsAt', 'startsAt must be a valid instant'));
  if (input.endsAt !== null && !(input.endsAt.getTime() > input.startsAt.getTime()))
    return err(invalid('endsAt', 'endsAt must be after startsAt'));
  return ok({ id, ...input, createdAt: now });
}

export interface NewNumberBlock {
  readonly reference: string;
  readonly kind: string;
  readonly rangeStart: string;
  readonly rangeEnd: string;
}

/** Builds a block under `contract`; bounds are given in canonical form (`+93…` or short-code digits). */
export function createNumberBlock(
  id: string,
  contract: OperatorContract,
  input: NewNumberBlock,
  now: Date,
): Result<NumberBlock, NumberingError> {
  if (!isReference(input.reference)) return err(invalid('reference', 'reference must be 1–64 letters, digits, . _ -'));
  if (!isNumberKind(input.kind)) return err(invalid('kind', 'kind must be msisdn or short_code'));
  const start = parseSender(input.rangeStart, 'rangeStart');
  if (!start.ok || start.value.kind !== input.kind)
    return err(invalid('rangeStart', `rangeStart must be a valid ${input.kind} value`));
  const end = parseSender(input.rangeEnd, 'rangeEnd');
  if (!end.ok || end.value.kind !== input.kind) return err(invalid('rangeEnd', `rangeEnd must be a valid ${input.kind} value`));
  const startDigits = digitsOf(start.value.value);
  const endDigits = digitsOf(end.value.value);
  if (startDigits.length !== endDigits.length || startDigits > endDigits)
    return err(invalid('rangeEnd', 'rangeEnd must have as many digits as rangeStart and not be below it'));
  return ok({
    id,
    contractId: contract.id,
    operatorCode: contract.operatorCode,
    reference: input.reference,
    kind: input.kind,
    rangeStart: start.value.value,
    rangeEnd: end.value.value,
    createdAt: now,
  });
}

export interface NewInventoryPool {
  readonly reference: string;
  readonly name: string;
  readonly kind: string | null;
  readonly segments: readonly string[];
}

export function createInventoryPool(id: string, input: NewInventoryPool, now: Date): Result<InventoryPool, NumberingError> {
  if (!isReference(input.reference)) return err(invalid('reference', 'reference must be 1–64 letters, digits, . _ -'));
  const name = nonEmpty(input.name, 'name');
  if (!name.ok) return name;
  if (input.kind !== null && !isNumberKind(input.kind)) return err(invalid('kind', 'kind must be msisdn, short_code or null'));
  const segments: TenantSegment[] = [];
  for (const segment of input.segments) {
    if (!isTenantSegment(segment)) return err(invalid('segments', `unknown tenant segment ${segment}`));
    if (!segments.includes(segment)) segments.push(segment);
  }
  return ok({ id, reference: input.reference, name: name.value, kind: input.kind, segments, createdAt: now });
}

export interface NewTenantPool {
  readonly tenantId: string;
  readonly name: string;
  readonly segment: string;
  /** Defaults to every tier the segment may hold. */
  readonly allowedTiers?: readonly string[];
}

export function createTenantPool(id: string, input: NewTenantPool, now: Date): Result<TenantPool, NumberingError> {
  const tenantId = nonEmpty(input.tenantId, 'tenantId', 128);
  if (!tenantId.ok) return tenantId;
  const name = nonEmpty(input.name, 'name');
  if (!name.ok) return name;
  if (!isTenantSegment(input.segment)) return err(invalid('segment', 'segment must be enterprise, smb or government'));
  const eligible = SEGMENT_TIER_ELIGIBILITY[input.segment];
  const requested = input.allowedTiers ?? eligible;
  if (requested.length === 0) return err(invalid('allowedTiers', 'allowedTiers must name at least one tier'));
  const allowedTiers: VanityTier[] = [];
  for (const tier of requested) {
    if (!isVanityTier(tier)) return err(invalid('allowedTiers', `unknown vanity tier ${tier}`));
    if (!eligible.includes(tier))
      return err(invalid('allowedTiers', `a ${input.segment} tenant pool may not hold ${tier} numbers`));
    if (!allowedTiers.includes(tier)) allowedTiers.push(tier);
  }
  return ok({ id, tenantId: tenantId.value, name: name.value, segment: input.segment, allowedTiers, createdAt: now });
}
