import { defineErrors } from '@sms/kernel';

/**
 * Error codes of authentication and authorization. Token problems answer 401 (with
 * `WWW-Authenticate: Bearer`), a caller that is known but not allowed 403; the JWKS endpoint
 * being unreachable is an outage (503), not the caller's fault.
 */
export const authErrors = defineErrors({
  'AUTH.TOKEN_MISSING': {
    title: 'Authentication required',
    status: 401,
    cause: 'The request has no `Authorization: Bearer <token>` header (absent, empty, or another scheme such as Basic).',
  },
  'AUTH.TOKEN_INVALID': {
    title: 'Invalid token',
    status: 401,
    cause:
      'The bearer token is not a well-formed signed JWT, its signature does not verify with a trusted key, its algorithm is not allowed (never `none` or HS*), or a required claim (`sub`, `exp`) is missing or malformed.',
  },
  'AUTH.TOKEN_EXPIRED': {
    title: 'Token expired',
    status: 401,
    cause: "The token's `exp` is in the past (beyond the configured clock tolerance); get a new token.",
  },
  'AUTH.TOKEN_NOT_YET_VALID': {
    title: 'Token not yet valid',
    status: 401,
    cause: "The token's `nbf` is in the future (beyond the configured clock tolerance); check the issuer's clock.",
  },
  'AUTH.WRONG_ISSUER': {
    title: 'Token from another issuer',
    status: 401,
    cause: "The token's `iss` is not the issuer this service trusts.",
  },
  'AUTH.WRONG_AUDIENCE': {
    title: 'Token for another audience',
    status: 401,
    cause: "The token's `aud` does not name this platform's audience.",
  },
  'AUTH.TENANT_HEADER_MISSING': {
    title: 'Tenant header missing',
    status: 400,
    cause: 'The operation is tenant-scoped and the request has no `X-Tenant-Id` header.',
  },
  'AUTH.TENANT_MISMATCH': {
    title: 'Tenant mismatch',
    status: 403,
    cause: 'The `X-Tenant-Id` header differs from the tenant of the token, or the token carries no tenant.',
  },
  'AUTH.FORBIDDEN': {
    title: 'Forbidden',
    status: 403,
    cause: 'The token is valid but holds none of the roles the operation requires; `required_roles` lists them.',
  },
  'AUTH.KEYS_UNAVAILABLE': {
    title: 'Token keys unavailable',
    status: 503,
    cause: "The identity provider's JWKS endpoint could not be reached or answered garbage, so no token can be verified; retry later.",
  },
});

export type AuthErrorCode = keyof typeof authErrors;

/** A token that could not be accepted; what `JwtVerifier.verify` returns instead of a principal. */
export type TokenFailure =
  | { readonly code: 'AUTH.TOKEN_MISSING'; readonly message: string }
  | { readonly code: 'AUTH.TOKEN_INVALID'; readonly message: string }
  | { readonly code: 'AUTH.TOKEN_EXPIRED'; readonly message: string }
  | { readonly code: 'AUTH.TOKEN_NOT_YET_VALID'; readonly message: string }
  | { readonly code: 'AUTH.WRONG_ISSUER'; readonly message: string }
  | { readonly code: 'AUTH.WRONG_AUDIENCE'; readonly message: string };

/**
 * Why a request was not authenticated or not authorized. `code` is stable (an `authErrors` key);
 * `message` is safe to show a caller: it never contains the token or any claim value of it.
 */
export type AuthFailure =
  | TokenFailure
  | { readonly code: 'AUTH.TENANT_HEADER_MISSING'; readonly message: string }
  | { readonly code: 'AUTH.TENANT_MISMATCH'; readonly message: string }
  | { readonly code: 'AUTH.FORBIDDEN'; readonly message: string; readonly requiredRoles: readonly string[] };

/**
 * Thrown by `JwtVerifier.verify` when the keys cannot be fetched (JWKS endpoint down, timing out,
 * answering non-200 or not a JWKS). An infrastructure fault, not a verdict on the token.
 */
export class AuthKeysUnavailableError extends Error {
  override readonly name = 'AuthKeysUnavailableError';
}
