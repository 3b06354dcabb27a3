/** Issuer of the tokens the embedded platform's dev signer mints (and its verifiers expect). */
export const EMBEDDED_ISSUER = 'https://auth.sms-platform.local/';

/** Audience of the tokens the embedded platform's dev signer mints (and its verifiers expect). */
export const EMBEDDED_AUDIENCE = 'sms-platform';

/** Claim holding the caller's tenant id. */
export const DEFAULT_TENANT_CLAIM = 'tenant_id';

/** Claim holding the caller's roles: an array of strings, or one space-separated string. */
export const DEFAULT_ROLES_CLAIM = 'roles';

/** Claim naming the calling service, for service identities (machine-to-machine tokens). */
export const DEFAULT_SERVICE_CLAIM = 'svc';

/** The HTTP header a tenant caller names its tenant in; it must equal the token's tenant claim. */
export const TENANT_HEADER = 'x-tenant-id';

// The same rule as @sms/db's tenant scope, so every tenant a token admits can be set on a transaction.
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ROLE = /^[A-Za-z][A-Za-z0-9._:-]{0,63}$/;

/**
 * True for a tenant id the platform accepts: 1 to 128 characters, letters, digits and `. _ : -`,
 * starting with a letter or digit (UUIDs and slugs both fit).
 */
export const isValidTenantId = (value: unknown): value is string => typeof value === 'string' && TENANT_ID.test(value);

/** True for a role name: 1 to 64 characters, letters, digits and `. _ : -`, starting with a letter. */
export const isValidRoleName = (value: unknown): value is string => typeof value === 'string' && ROLE.test(value);
