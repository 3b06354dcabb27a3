import { defineErrors } from '@sms/kernel';
import type { FieldIssue } from './field-issue.js';

/**
 * Every error code operator-management answers with. The HTTP edge turns a code into a
 * problem+json `type` (`problemTypeFor`), `title` and `status`; docs/errors.md lists them all
 * (a unit test keeps the two in step).
 */
export const operatorManagementErrors = defineErrors({
  'OPS.VALIDATION_FAILED': {
    title: 'Invalid input',
    status: 400,
    cause: 'One or more fields break their rules; `issues` names each field and what is wrong with it.',
  },
  'OPS.OPERATOR_NOT_FOUND': {
    title: 'Operator not found',
    status: 404,
    cause: 'No operator has the given id.',
  },
  'OPS.OPERATOR_DUPLICATE': {
    title: 'Operator already exists',
    status: 409,
    cause: 'Another operator that is not deleted already has this operator code or this MCC/MNC pair; `field` says which.',
  },
  'OPS.OPERATOR_DELETED': {
    title: 'Operator deleted',
    status: 410,
    cause: 'The operator was soft-deleted: it is kept for history but can no longer be changed, routed to or bound.',
  },
  'OPS.OPERATOR_IN_USE': {
    title: 'Operator still referenced by routing rules',
    status: 409,
    cause: 'The operator cannot be deleted while a routing rule sends traffic to it or lists it for failover; `ruleIds` names them.',
  },
  'OPS.VERSION_CONFLICT': {
    title: 'Version conflict',
    status: 409,
    cause: 'The record changed since the caller read it (the expected version is not the current one); read it again and retry.',
  },
  'OPS.CONNECTION_NOT_FOUND': {
    title: 'SMPP connection not found',
    status: 404,
    cause: 'The operator has no SMPP connection with the given id.',
  },
  'OPS.CONNECTION_DUPLICATE': {
    title: 'SMPP connection already exists',
    status: 409,
    cause: 'The operator already has a connection with the same host, port and system_id.',
  },
  'OPS.LAST_CONNECTION': {
    title: 'Last SMPP connection',
    status: 409,
    cause: 'An operator keeps at least one SMPP connection; add another before removing this one, or delete the operator.',
  },
  'OPS.SECRET_STORE_UNAVAILABLE': {
    title: 'Secret store unavailable',
    status: 503,
    cause: 'The secret store (Vault, or the local encrypted store) is down, sealed or refused us; credential calls and writes that need it are refused and nothing was stored.',
  },
  'OPS.CREDENTIALS_FORBIDDEN': {
    title: 'Credentials not available to this caller',
    status: 403,
    cause: 'Only the SMPP gateway service identity may read connection credentials.',
  },
  'OPS.CREDENTIALS_NOT_SET': {
    title: 'Connection has no credentials',
    status: 404,
    cause: 'No bind password has been stored for this connection yet.',
  },
  'OPS.ROUTING_RULES_OVERLAP': {
    title: 'Overlapping routing rules',
    status: 422,
    cause: 'Two rules at the same priority match some of the same traffic without having identical conditions (a weighted split); `overlaps` names each pair.',
  },
  'OPS.ROUTING_OPERATOR_UNAVAILABLE': {
    title: 'Routing rule names an unusable operator',
    status: 422,
    cause: 'A routing rule or its failover list names an operator that does not exist or is deleted; `references` names each.',
  },
  'OPS.LEGACY_EXPORT_MALFORMED': {
    title: 'Legacy export cannot be read',
    status: 400,
    cause: 'The legacy operator export is not valid CSV or JSON in the documented format (docs/legacy-import.md); no row was considered.',
  },
  'OPS.MTLS_REQUIRED': {
    title: 'Mutual TLS required',
    status: 403,
    cause: 'The internal API is served only over mutual TLS in this deployment; this request came over plain HTTP (which serves only health and metrics).',
  },
  'OPS.CLIENT_CERTIFICATE_NOT_ALLOWED': {
    title: 'Client certificate not allowed',
    status: 403,
    cause: 'The client certificate is valid (signed by the trusted client CA) but its subject CN is not in the allow-list of this service.',
  },
});

export type OpsErrorCode = keyof typeof operatorManagementErrors;

/** A pair of routing rules that overlap at the same priority. */
export interface RuleOverlap {
  readonly firstRuleId: string;
  readonly secondRuleId: string;
  readonly priority: number;
  readonly reason: string;
}

/** A routing rule reference to an operator that cannot be routed to. */
export interface UnavailableOperatorReference {
  readonly ruleId: string;
  readonly operatorId: string;
  readonly role: 'target' | 'failover';
  readonly reason: 'unknown' | 'deleted';
}

/** Business failures as values; `code` is a key of {@link operatorManagementErrors}. */
export type OpsError =
  | { readonly code: 'OPS.VALIDATION_FAILED'; readonly detail: string; readonly issues: readonly FieldIssue[] }
  | { readonly code: 'OPS.OPERATOR_NOT_FOUND'; readonly detail: string; readonly operatorId: string }
  | {
      readonly code: 'OPS.OPERATOR_DUPLICATE';
      readonly detail: string;
      readonly field: DuplicateField;
      readonly existingOperatorId: string;
    }
  | { readonly code: 'OPS.OPERATOR_DELETED'; readonly detail: string; readonly operatorId: string }
  | {
      readonly code: 'OPS.OPERATOR_IN_USE';
      readonly detail: string;
      readonly operatorId: string;
      readonly ruleIds: readonly string[];
    }
  | {
      readonly code: 'OPS.VERSION_CONFLICT';
      readonly detail: string;
      readonly expectedVersion: number;
      readonly actualVersion: number;
    }
  | {
      readonly code: 'OPS.CONNECTION_NOT_FOUND';
      readonly detail: string;
      readonly operatorId: string;
      readonly connectionId: string;
    }
  | {
      readonly code: 'OPS.CONNECTION_DUPLICATE';
      readonly detail: string;
      readonly operatorId: string;
      readonly existingConnectionId: string;
    }
  | { readonly code: 'OPS.LAST_CONNECTION'; readonly detail: string; readonly operatorId: string; readonly connectionId: string }
  | { readonly code: 'OPS.SECRET_STORE_UNAVAILABLE'; readonly detail: string }
  | { readonly code: 'OPS.CREDENTIALS_FORBIDDEN'; readonly detail: string }
  | {
      readonly code: 'OPS.CREDENTIALS_NOT_SET';
      readonly detail: string;
      readonly operatorId: string;
      readonly connectionId: string;
    }
  | { readonly code: 'OPS.ROUTING_RULES_OVERLAP'; readonly detail: string; readonly overlaps: readonly RuleOverlap[] }
  | {
      readonly code: 'OPS.ROUTING_OPERATOR_UNAVAILABLE';
      readonly detail: string;
      readonly references: readonly UnavailableOperatorReference[];
    }
  | { readonly code: 'OPS.LEGACY_EXPORT_MALFORMED'; readonly detail: string; readonly issues: readonly FieldIssue[] };

/** The member of {@link OpsError} with code `C`. */
export type OpsErrorOf<C extends OpsErrorCode> = Extract<OpsError, { readonly code: C }>;

/** Which uniqueness rule a new or changed operator breaks. */
export type DuplicateField = 'code' | 'mccMnc';

// Compile-time guard: every error value carries a registered code.
type AssertRegistered<T extends OpsErrorCode> = T;
export type RegisteredOpsErrorCodes = AssertRegistered<OpsError['code']>;

export const validationFailed = (issues: readonly FieldIssue[]): OpsErrorOf<'OPS.VALIDATION_FAILED'> => ({
  code: 'OPS.VALIDATION_FAILED',
  detail: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
  issues,
});

export const operatorNotFound = (operatorId: string): OpsErrorOf<'OPS.OPERATOR_NOT_FOUND'> => ({
  code: 'OPS.OPERATOR_NOT_FOUND',
  detail: `operator ${operatorId} does not exist`,
  operatorId,
});

export const operatorDeleted = (operatorId: string): OpsErrorOf<'OPS.OPERATOR_DELETED'> => ({
  code: 'OPS.OPERATOR_DELETED',
  detail: `operator ${operatorId} is deleted`,
  operatorId,
});

export const operatorDuplicate = (field: DuplicateField, existingOperatorId: string): OpsErrorOf<'OPS.OPERATOR_DUPLICATE'> => ({
  code: 'OPS.OPERATOR_DUPLICATE',
  detail:
    field === 'code'
      ? `operator ${existingOperatorId} already has this operator code`
      : `operator ${existingOperatorId} already has this MCC/MNC`,
  field,
  existingOperatorId,
});

export const versionConflict = (expectedVersion: number, actualVersion: number): OpsErrorOf<'OPS.VERSION_CONFLICT'> => ({
  code: 'OPS.VERSION_CONFLICT',
  detail: `expected version ${expectedVersion} but the current version is ${actualVersion}`,
  expectedVersion,
  actualVersion,
});

export const connectionNotFound = (operatorId: string, connectionId: string): OpsErrorOf<'OPS.CONNECTION_NOT_FOUND'> => ({
  code: 'OPS.CONNECTION_NOT_FOUND',
  detail: `operator ${operatorId} has no connection ${connectionId}`,
  operatorId,
  connectionId,
});

export const secretStoreUnavailable = (): OpsErrorOf<'OPS.SECRET_STORE_UNAVAILABLE'> => ({
  code: 'OPS.SECRET_STORE_UNAVAILABLE',
  detail: 'the secret store is unavailable; nothing was stored, retry later',
});
