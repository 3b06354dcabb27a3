import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import type { JWTPayload } from 'jose';
import { isValidTenantId } from './auth-defaults.js';
import type { TokenFailure } from './auth-errors.js';

/** Who is calling, as established by a verified token. */
export interface Principal {
  /** The token's `sub`: a user id, or a service account for service identities. */
  readonly subject: string;
  /** The tenant the caller acts for (tenant claim); null for platform staff and services. */
  readonly tenantId: string | null;
  /** Roles from the roles claim, without duplicates; empty when the claim is absent. */
  readonly roles: readonly string[];
  /** The calling service's name (`svc` claim) for a service identity; null for people. */
  readonly serviceName: string | null;
  /** OAuth scopes (`scope` as a space-separated string, or `scp` as an array); empty when absent. */
  readonly scopes: readonly string[];
  /** The verified `iss`. */
  readonly issuer: string;
  /** The token's `aud`, always as a list. */
  readonly audience: readonly string[];
  /** The token's `jti`, when it has one (for audit and revocation lists). */
  readonly tokenId: string | null;
  readonly issuedAt: Date | null;
  readonly expiresAt: Date;
  /** Every claim of the token, for the rare check the fields above do not cover. */
  readonly claims: Readonly<JWTPayload>;
}

/** Which claims hold the platform's notions. */
export interface ClaimNames {
  readonly tenantClaim: string;
  readonly rolesClaim: string;
  readonly serviceClaim: string;
}

const MAX_CLAIM_LENGTH = 256;

const invalid = (message: string): TokenFailure => ({ code: 'AUTH.TOKEN_INVALID', message });

const isShortString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH;

/** A list claim given as an array of strings or one space-separated string; null when malformed. */
function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(' ').filter((item) => item !== '') : value;
  if (!Array.isArray(items) || !items.every(isShortString)) return null;
  return [...new Set(items)];
}

/**
 * The principal of a payload whose signature and registered claims are already verified. Refuses
 * tokens whose platform claims are malformed rather than guessing: a bad tenant id or roles claim
 * is a broken issuer or a forged token, not something to work around.
 */
export function principalFromClaims(payload: JWTPayload, names: ClaimNames): Result<Principal, TokenFailure> {
  if (!isShortString(payload.sub)) return err(invalid('The token has no usable subject (sub claim).'));
  if (typeof payload.exp !== 'number') return err(invalid('The token has no expiry (exp claim).'));
  if (typeof payload.iss !== 'string') return err(invalid('The token has no issuer (iss claim).'));

  const tenant = payload[names.tenantClaim];
  if (tenant !== undefined && tenant !== null && !isValidTenantId(tenant)) {
    return err(invalid(`The token's ${names.tenantClaim} claim is not a valid tenant id.`));
  }
  const roles = stringList(payload[names.rolesClaim]);
  if (roles === null) return err(invalid(`The token's ${names.rolesClaim} claim is not a list of role names.`));
  const service = payload[names.serviceClaim];
  if (service !== undefined && service !== null && !isShortString(service)) {
    return err(invalid(`The token's ${names.serviceClaim} claim is not a service name.`));
  }
  const scopes = stringList(payload.scope ?? payload.scp);
  if (scopes === null) return err(invalid("The token's scope claim is not a list of scopes."));

  const audience = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  return ok(
    Object.freeze({
      subject: payload.sub,
      tenantId: typeof tenant === 'string' ? tenant : null,
      roles: Object.freeze(roles),
      serviceName: typeof service === 'string' ? service : null,
      scopes: Object.freeze(scopes),
      issuer: payload.iss,
      audience: Object.freeze([...audience]),
      tokenId: typeof payload.jti === 'string' ? payload.jti : null,
      issuedAt: typeof payload.iat === 'number' ? new Date(payload.iat * 1000) : null,
      expiresAt: new Date(payload.exp * 1000),
      claims: Object.freeze({ ...payload }),
    }),
  );
}
