import { problemResponse, sendProblem } from '@sms/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TENANT_HEADER } from './auth-defaults.js';
import { AuthKeysUnavailableError, authErrors } from './auth-errors.js';
import type { AuthFailure } from './auth-errors.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; set by the `authenticate` hook, absent on routes without it. */
    principal?: Principal;
  }
}

export interface AuthenticateOptions {
  /**
   * Tenant-scoped operation: `X-Tenant-Id` is required (400 `AUTH.TENANT_HEADER_MISSING` when
   * absent) and must equal the token's tenant claim (403 `AUTH.TENANT_MISMATCH` otherwise,
   * including for a token with no tenant).
   */
  readonly requireTenantHeader?: boolean;
  /** `realm` of the `WWW-Authenticate` challenge; default `sms-platform`. */
  readonly realm?: string;
}

/** A Fastify hook; works as `onRequest` (recommended: refuses before the body is read) or `preHandler`. */
export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

// RFC 6750 §2.1: the credentials are "Bearer" and a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** RFC 6750 §3 challenge; error codes only, never anything taken from the request. */
function challenge(realm: string, failure: AuthFailure): string | undefined {
  switch (failure.code) {
    case 'AUTH.TOKEN_MISSING':
      return `Bearer realm="${realm}"`;
    case 'AUTH.TOKEN_INVALID':
    case 'AUTH.TOKEN_EXPIRED':
    case 'AUTH.TOKEN_NOT_YET_VALID':
    case 'AUTH.WRONG_ISSUER':
    case 'AUTH.WRONG_AUDIENCE':
      return `Bearer realm="${realm}", error="invalid_token"`;
    case 'AUTH.FORBIDDEN':
      return `Bearer realm="${realm}", error="insufficient_scope"`;
    case 'AUTH.TENANT_HEADER_MISSING':
    case 'AUTH.TENANT_MISMATCH':
      return undefined;
  }
}

function refuse(request: FastifyRequest, reply: FastifyReply, realm: string, failure: AuthFailure): FastifyReply {
  const definition = authErrors[failure.code];
  const header = challenge(realm, failure);
  request.log.info({ code: failure.code, status: definition.status }, 'request rejected');
  return sendProblem(reply, {
    code: failure.code,
    status: definition.status,
    title: definition.title,
    detail: failure.message,
    ...(failure.code === 'AUTH.FORBIDDEN' ? { extra: { required_roles: failure.requiredRoles } } : {}),
    ...(header !== undefined ? { headers: { 'www-authenticate': header } } : {}),
  });
}

function bearerToken(request: FastifyRequest): string | AuthFailure {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    return { code: 'AUTH.TOKEN_MISSING', message: 'Send a token as Authorization: Bearer <token>.' };
  }
  if (!/^Bearer(\s|$)/i.test(header)) {
    return { code: 'AUTH.TOKEN_MISSING', message: 'The Authorization header does not use the Bearer scheme; send Authorization: Bearer <token>.' };
  }
  const match = BEARER.exec(header);
  if (match?.[1] === undefined) {
    return { code: 'AUTH.TOKEN_INVALID', message: 'The Authorization header does not hold a well-formed bearer token.' };
  }
  return match[1];
}

function tenantFailure(request: FastifyRequest, principal: Principal): AuthFailure | undefined {
  const header = request.headers[TENANT_HEADER];
  const tenant = typeof header === 'string' ? header.trim() : '';
  if (tenant === '') return { code: 'AUTH.TENANT_HEADER_MISSING', message: 'This operation requires the X-Tenant-Id header.' };
  if (principal.tenantId === null) return { code: 'AUTH.TENANT_MISMATCH', message: 'The token is not issued for a tenant.' };
  if (tenant !== principal.tenantId) return { code: 'AUTH.TENANT_MISMATCH', message: 'X-Tenant-Id does not match the tenant of the token.' };
  return undefined;
}

/**
 * A hook that authenticates the caller: reads `Authorization: Bearer <token>`, verifies it, checks
 * `X-Tenant-Id` when asked, and sets `request.principal`. Refusals are problem+json (401 with a
 * `WWW-Authenticate` challenge, 400/403 for the tenant header); a JWKS outage answers 503
 * `AUTH.KEYS_UNAVAILABLE` with `Retry-After`.
 */
export function authenticate(verifier: JwtVerifier, options: AuthenticateOptions = {}): AuthHook {
  const realm = options.realm ?? 'sms-platform';
  if (!/^[\w .:/-]+$/.test(realm)) throw new Error('realm must be plain text (letters, digits, space, . : / -)');

  return async (request, reply) => {
    const token = bearerToken(request);
    if (typeof token !== 'string') return refuse(request, reply, realm, token);

    let verified;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      if (!(error instanceof AuthKeysUnavailableError)) throw error;
      request.log.error({ err: error, code: 'AUTH.KEYS_UNAVAILABLE' }, 'token keys unavailable');
      const definition = authErrors['AUTH.KEYS_UNAVAILABLE'];
      return sendProblem(reply, {
        code: 'AUTH.KEYS_UNAVAILABLE',
        status: definition.status,
        title: definition.title,
        detail: 'The keys needed to verify tokens cannot be fetched right now; retry shortly.',
        headers: { 'retry-after': '5' },
      });
    }
    if (!verified.ok) return refuse(request, reply, realm, verified.error);

    if (options.requireTenantHeader === true) {
      const failure = tenantFailure(request, verified.value);
      if (failure !== undefined) return refuse(request, reply, realm, failure);
    }
    request.principal = verified.value;
    return undefined;
  };
}

/**
 * A hook that lets through a caller holding at least one of `roles` (any of them, not all);
 * otherwise 403 problem+json `AUTH.FORBIDDEN` naming the required roles. Runs after `authenticate`;
 * a route where it runs without one is a wiring bug (500).
 */
export function requireRole(...roles: readonly string[]): AuthHook {
  if (roles.length === 0) throw new Error('requireRole needs at least one role');
  const required = Object.freeze([...roles]);
  const message =
    required.length === 1
      ? `This operation requires the role ${required[0]}.`
      : `This operation requires one of the roles ${required.join(', ')}.`;

  return (request, reply) => {
    const principal = request.principal;
    if (principal === undefined) {
      return Promise.reject(new Error(`requireRole(${required.join(', ')}) ran before authenticate on ${request.method} ${request.routeOptions.url ?? request.url}`));
    }
    if (required.some((role) => principal.roles.includes(role))) return Promise.resolve(undefined);
    return Promise.resolve(refuse(request, reply, 'sms-platform', { code: 'AUTH.FORBIDDEN', message, requiredRoles: required }));
  };
}

/** The principal of an authenticated request; throws (a wiring bug) on a route without `authenticate`. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Error('no principal on this request: the route is missing the authenticate hook');
  return request.principal;
}

export interface AuthProblemResponsesOptions {
  /** Document the 400 of a missing `X-Tenant-Id` (routes with `requireTenantHeader`). */
  readonly tenantHeader?: boolean;
}

/**
 * Response entries for a route schema, so the OpenAPI document shows the auth refusals:
 * `response: { 200: …, ...authProblemResponses({ tenantHeader: true }) }`. Put the route's own 400
 * after it when the route has one.
 */
export function authProblemResponses(options: AuthProblemResponsesOptions = {}) {
  return {
    ...(options.tenantHeader === true ? { 400: problemResponse('Missing X-Tenant-Id header (AUTH.TENANT_HEADER_MISSING)') } : {}),
    401: problemResponse('Missing, invalid or expired bearer token (AUTH.TOKEN_MISSING, AUTH.TOKEN_INVALID, AUTH.TOKEN_EXPIRED, …)'),
    403: problemResponse(
      options.tenantHeader === true
        ? 'X-Tenant-Id differs from the token tenant (AUTH.TENANT_MISMATCH), or a required role is missing (AUTH.FORBIDDEN)'
        : 'A required role is missing (AUTH.FORBIDDEN)',
    ),
  };
}
