import { defineErrors } from '@sms/kernel';

/**
 * Every error code numbering-service answers with. Codes are stable: clients and dashboards key on them.
 * The HTTP edge answers `status` with a problem+json body; the gRPC edge answers {@link numberingGrpcStatus}.
 */
export const numberingErrors = defineErrors({
  'NUMBERING.INVALID_ARGUMENT': {
    title: 'Invalid argument',
    status: 400,
    cause: 'A field of the request is missing or malformed; `details.field` names it.',
  },
  'NUMBERING.FORBIDDEN': {
    title: 'Not permitted',
    status: 403,
    cause: "The caller's role does not grant the permission, or a tenant acted on another tenant's resource.",
  },
  'NUMBERING.NUMBER_NOT_FOUND': {
    title: 'Number not found',
    status: 404,
    cause: 'No MSISDN or short code with this value or id is in the inventory.',
  },
  'NUMBERING.NUMBER_NOT_AVAILABLE': {
    title: 'Number not available',
    status: 409,
    cause: 'A reservation was asked for a number that is not in the `available` state.',
  },
  'NUMBERING.INVALID_TRANSITION': {
    title: 'Action not allowed in this state',
    status: 409,
    cause: "The number's lifecycle state does not allow this action (see the state machine in domain-model.md).",
  },
  'NUMBERING.NOT_HOLDER': {
    title: 'Number not held by this tenant',
    status: 403,
    cause: 'The reservation or lease the action needs belongs to another tenant (or to none).',
  },
  'NUMBERING.RESERVATION_EXPIRED': {
    title: 'Reservation expired',
    status: 409,
    cause: "An assignment was asked after the reservation's TTL had passed.",
  },
  'NUMBERING.RESERVATION_NOT_EXPIRED': {
    title: 'Reservation not yet expired',
    status: 409,
    cause: 'An expiry was asked for a reservation whose TTL has not passed yet.',
  },
  'NUMBERING.LEASE_ENDED': {
    title: 'Lease ended',
    status: 409,
    cause: 'A renewal or reinstatement was asked for a lease whose term has already ended.',
  },
  'NUMBERING.LEASE_NOT_ENDED': {
    title: 'Lease not yet ended',
    status: 409,
    cause: 'An expiry was asked for a lease whose term has not ended yet.',
  },
  'NUMBERING.QUARANTINE_NOT_ENDED': {
    title: 'Quarantine cool-off not over',
    status: 409,
    cause: "A quarantined number was asked back into the inventory before its cool-off ended.",
  },
  'NUMBERING.NOT_REINSTATABLE': {
    title: 'Recall cannot be reinstated',
    status: 409,
    cause: 'Only a number recalled from a lease can be reinstated; this one was recalled from a reservation.',
  },
  'NUMBERING.TIER_NOT_ELIGIBLE': {
    title: 'Tier not eligible for this tenant pool',
    status: 403,
    cause: "The number's vanity tier is not allowed in the tenant pool it was asked for.",
  },
  'NUMBERING.POOL_RESTRICTED': {
    title: 'Inventory pool restricted',
    status: 403,
    cause: "The number's inventory pool is reserved for other tenant segments (e.g. government only).",
  },
  'NUMBERING.CONTRACT_INACTIVE': {
    title: 'Operator contract inactive',
    status: 409,
    cause: 'The operator contract the number (or block) belongs to is not yet in force or has ended.',
  },
  'NUMBERING.TENANT_POOL_NOT_FOUND': {
    title: 'Tenant pool not found',
    status: 404,
    cause: 'No tenant pool with this id belongs to the tenant.',
  },
  'NUMBERING.CATALOG_NOT_FOUND': {
    title: 'Catalog entry not found',
    status: 404,
    cause: 'A referenced operator contract, block or inventory pool does not exist.',
  },
  'NUMBERING.CATALOG_DUPLICATE': {
    title: 'Catalog entry already exists',
    status: 409,
    cause: 'An operator contract, block, pool or tenant pool with this reference already exists.',
  },
  'NUMBERING.CONFLICT': {
    title: 'Concurrent modification',
    status: 409,
    cause: 'Another request changed the same number (or added numbers this import adds) between this request reading and writing; read again and retry.',
  },
  'NUMBERING.REGION_NOT_OWNER': {
    title: 'Number owned by another region',
    status: 421,
    cause: "This deployment's region does not own the number's range (multi-region fence, docs/adr/0004); send the change to the owning region.",
  },
  'NUMBERING.IDEMPOTENCY_KEY_REUSED': {
    title: 'Idempotency key reused with a different request',
    status: 422,
    cause: 'The idempotency key was already used by this caller for a request with a different body.',
  },
  'NUMBERING.IDEMPOTENCY_IN_PROGRESS': {
    title: 'Request with this idempotency key in progress',
    status: 409,
    cause: 'A request with the same idempotency key is still being processed; retry after it finishes.',
  },
  'NUMBERING.IMPORT_SIGNATURE_MISSING': {
    title: 'Import signature missing',
    status: 422,
    cause: "An operator inventory file was uploaded without its detached RSA-SHA256 signature.",
  },
  'NUMBERING.IMPORT_SIGNATURE_INVALID': {
    title: 'Import signature invalid',
    status: 422,
    cause: "The detached signature does not verify with any configured public key of the operator.",
  },
  'NUMBERING.OPERATOR_KEY_MISSING': {
    title: 'No signing key configured for the operator',
    status: 422,
    cause: 'The operator has no public key in the keyring, so none of its files can be verified.',
  },
  'NUMBERING.IMPORT_TOO_LARGE': {
    title: 'Import file too large',
    status: 413,
    cause: 'The inventory file exceeds the configured maximum size or row count.',
  },
  'NUMBERING.IMPORT_REJECTED': {
    title: 'Import rejected',
    status: 422,
    cause: 'At least one row of the inventory file is invalid; `details.errors` lists every bad row by line, and nothing was imported.',
  },
  'NUMBERING.EXPORT_MONTH_NOT_ENDED': {
    title: 'Export month not over',
    status: 409,
    cause: 'A regulator export was asked for a month that has not ended yet (months are UTC).',
  },
  'NUMBERING.EXPORT_IN_PROGRESS': {
    title: 'Export of this month in progress',
    status: 409,
    cause: "Another run (a replica's scheduled job or another request) is exporting the same month; retry after it finishes.",
  },
  'NUMBERING.EXPORT_NOT_FOUND': {
    title: 'Export not found',
    status: 404,
    cause: 'No regulator export of this month has been started.',
  },
});

export type NumberingErrorCode = keyof typeof numberingErrors;

/** A business failure as a value. `details` carries machine-readable context (a field name, the bad rows). */
export interface NumberingError {
  readonly code: NumberingErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function numberingError(
  code: NumberingErrorCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): NumberingError {
  return details === undefined ? { code, message } : { code, message, details };
}

/** The gRPC status name the gRPC edge answers for each code (the issue asks CONFLICT → ABORTED). */
export const numberingGrpcStatus: Readonly<Record<NumberingErrorCode, string>> = Object.freeze({
  'NUMBERING.INVALID_ARGUMENT': 'INVALID_ARGUMENT',
  'NUMBERING.FORBIDDEN': 'PERMISSION_DENIED',
  'NUMBERING.NUMBER_NOT_FOUND': 'NOT_FOUND',
  'NUMBERING.NUMBER_NOT_AVAILABLE': 'FAILED_PRECONDITION',
  'NUMBERING.INVALID_TRANSITION': 'FAILED_PRECONDITION',
  'NUMBERING.NOT_HOLDER': 'PERMISSION_DENIED',
  'NUMBERING.RESERVATION_EXPIRED': 'FAILED_PRECONDITION',
  'NUMBERING.RESERVATION_NOT_EXPIRED': 'FAILED_PRECONDITION',
  'NUMBERING.LEASE_ENDED': 'FAILED_PRECONDITION',
  'NUMBERING.LEASE_NOT_ENDED': 'FAILED_PRECONDITION',
  'NUMBERING.QUARANTINE_NOT_ENDED': 'FAILED_PRECONDITION',
  'NUMBERING.NOT_REINSTATABLE': 'FAILED_PRECONDITION',
  'NUMBERING.TIER_NOT_ELIGIBLE': 'PERMISSION_DENIED',
  'NUMBERING.POOL_RESTRICTED': 'PERMISSION_DENIED',
  'NUMBERING.CONTRACT_INACTIVE': 'FAILED_PRECONDITION',
  'NUMBERING.TENANT_POOL_NOT_FOUND': 'NOT_FOUND',
  'NUMBERING.CATALOG_NOT_FOUND': 'NOT_FOUND',
  'NUMBERING.CATALOG_DUPLICATE': 'ALREADY_EXISTS',
  'NUMBERING.CONFLICT': 'ABORTED',
  'NUMBERING.REGION_NOT_OWNER': 'FAILED_PRECONDITION',
  'NUMBERING.IDEMPOTENCY_KEY_REUSED': 'INVALID_ARGUMENT',
  'NUMBERING.IDEMPOTENCY_IN_PROGRESS': 'ABORTED',
  'NUMBERING.IMPORT_SIGNATURE_MISSING': 'INVALID_ARGUMENT',
  'NUMBERING.IMPORT_SIGNATURE_INVALID': 'PERMISSION_DENIED',
  'NUMBERING.OPERATOR_KEY_MISSING': 'FAILED_PRECONDITION',
  'NUMBERING.IMPORT_TOO_LARGE': 'RESOURCE_EXHAUSTED',
  'NUMBERING.IMPORT_REJECTED': 'INVALID_ARGUMENT',
  'NUMBERING.EXPORT_MONTH_NOT_ENDED': 'FAILED_PRECONDITION',
  'NUMBERING.EXPORT_IN_PROGRESS': 'ABORTED',
  'NUMBERING.EXPORT_NOT_FOUND': 'NOT_FOUND',
});
