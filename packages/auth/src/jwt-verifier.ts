import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { err, systemClock } from '@sms/kernel';
import type { Clock, Result } from '@sms/kernel';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { DEFAULT_ROLES_CLAIM, DEFAULT_SERVICE_CLAIM, DEFAULT_TENANT_CLAIM } from './auth-defaults.js';
import { AuthKeysUnavailableError } from './auth-errors.js';
import type { TokenFailure } from './auth-errors.js';
import { principalFromClaims } from './principal.js';
import type { ClaimNames, Principal } from './principal.js';

/** Verifies bearer tokens; one per service, created at start-up. */
export interface JwtVerifier {
  /**
   * The principal of a valid token, or why it is refused. Throws `AuthKeysUnavailableError` when
   * the JWKS endpoint cannot be reached (an outage, not a bad token).
   */
  verify(token: string): Promise<Result<Principal, TokenFailure>>;
  readonly issuer: string;
  readonly audience: readonly string[];
  /** The signing algorithms accepted, after narrowing to what the key can verify. */
  readonly algorithms: readonly string[];
}

export interface JwtVerifierOptions {
  /** The `iss` every token must carry. */
  readonly issuer: string;
  /** The `aud` a token must name (one of them, when several are given). */
  readonly audience: string | readonly string[];
  /** The identity provider's JWKS URL (https; http only for loopback hosts). Exclusive with `publicKeyPem`. */
  readonly jwksUrl?: string;
  /** One SPKI PEM public key (RSA, EC P-256/384/521 or Ed25519). Exclusive with `jwksUrl`. */
  readonly publicKeyPem?: string;
  /** Allowed `alg` values; asymmetric only. Default: RS256, ES256, EdDSA, Ed25519, narrowed to the key's type. */
  readonly algorithms?: readonly string[];
  /** Leeway for `exp` and `nbf`, for clocks that drift. Default 30 s. */
  readonly clockToleranceSec?: number;
  readonly tenantClaim?: string;
  readonly rolesClaim?: string;
  readonly serviceClaim?: string;
  /** Where "now" comes from (tests pass a ManualClock). */
  readonly clock?: Clock;
  /** JWKS cache lifetime; default 600 s. */
  readonly jwksCacheMaxAgeSec?: number;
  /** Least time between two JWKS fetches triggered by an unknown `kid`; default 30 s. */
  readonly jwksCooldownSec?: number;
  /** JWKS fetch timeout; default 5000 ms. */
  readonly jwksTimeoutMs?: number;
  /** Allow a plain-http JWKS URL on a non-loopback host (never in production). */
  readonly allowInsecureJwksUrl?: boolean;
}

/** Every asymmetric JWS algorithm; symmetric (HS*) and `none` are never accepted. */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
]);

const DEFAULT_ALGORITHMS = ['RS256', 'ES256', 'EdDSA', 'Ed25519'];
const DEFAULT_CLOCK_TOLERANCE_SEC = 30;
// Well above any real access token; refusing bigger ones early keeps garbage cheap to reject.
const MAX_TOKEN_LENGTH = 8192;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The algorithms a PEM key can verify with, by key type. */
function algorithmsForKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      return [];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    case 'dsa':
    case 'ed448':
    case 'x25519':
    case 'x448':
    case undefined:
      return [];
  }
}

function checkedAlgorithms(requested: readonly string[] | undefined): readonly string[] {
  const list = requested ?? DEFAULT_ALGORITHMS;
  if (list.length === 0) throw new Error('algorithms must name at least one algorithm');
  for (const algorithm of list) {
    if (!ASYMMETRIC_ALGORITHMS.includes(algorithm)) {
      throw new Error(`algorithm ${JSON.stringify(algorithm)} is not allowed: only asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}) are accepted`);
    }
  }
  return list;
}

function publicKeyFrom(pem: string): KeyObject {
  if (pem.includes('PRIVATE KEY')) throw new Error('publicKeyPem holds a private key; configure the public key only');
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('publicKeyPem is not a readable PEM public key');
  }
}

function jwksUrlFrom(value: string, allowInsecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('jwksUrl is not a valid URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (allowInsecure || LOOPBACK_HOSTS.has(url.hostname))) return url;
  throw new Error('jwksUrl must use https (plain http is accepted only for loopback hosts or with allowInsecureJwksUrl)');
}

/** Wraps the remote JWKS so that fetch faults become AuthKeysUnavailableError, and unknown keys stay token problems. */
function remoteKeys(options: JwtVerifierOptions, jwksUrl: string): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(jwksUrlFrom(jwksUrl, options.allowInsecureJwksUrl ?? false), {
    cacheMaxAge: (options.jwksCacheMaxAgeSec ?? 600) * 1000,
    cooldownDuration: (options.jwksCooldownSec ?? 30) * 1000,
    timeoutDuration: options.jwksTimeoutMs ?? 5000,
  });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      throw new AuthKeysUnavailableError('the JWKS endpoint could not be used to fetch the signing keys', { cause: error });
    }
  };
}

function failureFrom(error: unknown, issuer: string, audience: readonly string[]): TokenFailure {
  if (error instanceof joseErrors.JWTExpired) return { code: 'AUTH.TOKEN_EXPIRED', message: 'The token has expired; get a new one.' };
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return { code: 'AUTH.WRONG_ISSUER', message: `The token was not issued by ${issuer}.` };
      case 'aud':
        return { code: 'AUTH.WRONG_AUDIENCE', message: `The token is not meant for this platform (audience ${audience.join(', ')}).` };
      case 'nbf':
        if (error.reason === 'check_failed') return { code: 'AUTH.TOKEN_NOT_YET_VALID', message: 'The token is not valid yet (nbf is in the future).' };
        break;
      default:
        break;
    }
    return { code: 'AUTH.TOKEN_INVALID', message: `The token's ${error.claim} claim is missing or malformed.` };
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return { code: 'AUTH.TOKEN_INVALID', message: 'The token is signed with an algorithm this service does not accept.' };
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return { code: 'AUTH.TOKEN_INVALID', message: 'The token signature does not verify.' };
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return { code: 'AUTH.TOKEN_INVALID', message: 'The token is signed with a key this service does not trust.' };
  }
  // Whatever else jose rejects (not three segments, bad base64url, bad JSON, unsupported crit…) is a malformed token.
  return { code: 'AUTH.TOKEN_INVALID', message: 'The token is not a well-formed signed JWT.' };
}

/**
 * A verifier of bearer JWTs: signature (a remote JWKS, cached, or one public key), algorithm
 * allow-list (asymmetric only), `exp` and `nbf` (with clock tolerance), `iss`, `aud`, and the
 * platform claims (tenant, roles, service). Throws at creation on a configuration error.
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  if ((options.jwksUrl === undefined) === (options.publicKeyPem === undefined)) {
    throw new Error('configure exactly one of jwksUrl or publicKeyPem');
  }
  if (options.issuer === '') throw new Error('issuer must not be empty');
  const audience = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audience.length === 0 || audience.includes('')) throw new Error('audience must name at least one non-empty audience');
  const clockTolerance = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) throw new Error('clockToleranceSec must be a non-negative number');

  let algorithms = checkedAlgorithms(options.algorithms);
  let key: KeyObject | JWTVerifyGetKey;
  if (options.publicKeyPem !== undefined) {
    const publicKey = publicKeyFrom(options.publicKeyPem);
    const usable = algorithmsForKey(publicKey);
    algorithms = algorithms.filter((algorithm) => usable.includes(algorithm));
    if (algorithms.length === 0) {
      throw new Error(`publicKeyPem is a ${publicKey.asymmetricKeyType ?? 'unknown'} key, which verifies none of the allowed algorithms`);
    }
    key = publicKey;
  } else {
    key = remoteKeys(options, options.jwksUrl ?? '');
  }

  const names: ClaimNames = {
    tenantClaim: options.tenantClaim ?? DEFAULT_TENANT_CLAIM,
    rolesClaim: options.rolesClaim ?? DEFAULT_ROLES_CLAIM,
    serviceClaim: options.serviceClaim ?? DEFAULT_SERVICE_CLAIM,
  };
  const clock = options.clock ?? systemClock;
  const frozenAlgorithms = Object.freeze([...algorithms]);
  const frozenAudience = Object.freeze(audience);

  return {
    issuer: options.issuer,
    audience: frozenAudience,
    algorithms: frozenAlgorithms,

    async verify(token) {
      if (token === '') return err({ code: 'AUTH.TOKEN_MISSING', message: 'No bearer token was given.' });
      if (token.length > MAX_TOKEN_LENGTH) return err({ code: 'AUTH.TOKEN_INVALID', message: 'The token is too long.' });
      const verifyOptions: JWTVerifyOptions = {
        issuer: options.issuer,
        audience: [...frozenAudience],
        algorithms: [...frozenAlgorithms],
        clockTolerance,
        requiredClaims: ['exp', 'sub'],
        currentDate: clock.now(),
      };
      try {
        const { payload } = await jwtVerify(token, key, verifyOptions);
        return principalFromClaims(payload, names);
      } catch (error) {
        if (error instanceof AuthKeysUnavailableError) throw error;
        return err(failureFrom(error, options.issuer, frozenAudience));
      }
    },
  };
}
