import type { Clock } from '@sms/kernel';
import type { DevSigner } from './dev-signer.js';

/** The bearer token a service presents to another service. */
export interface ServiceTokenSource {
  token(): Promise<string>;
}

/** Who a service token says the caller is: `sub`, `svc` and `roles` claims. */
export interface ServiceIdentity {
  readonly subject: string;
  readonly serviceName: string;
  readonly roles: readonly string[];
}

/** A token given by the deployment (from the secret store). */
export const staticServiceToken = (token: string): ServiceTokenSource => ({ token: () => Promise.resolve(token) });

const DEV_TOKEN_TTL_SEC = 3600;
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Tokens minted with the embedded platform's dev key (development only): one hour long, minted again five minutes
 * before they expire, so a long-running embedded platform never presents an expired one.
 */
export function devServiceToken(
  signer: Pick<DevSigner, 'mint'>,
  identity: ServiceIdentity,
  clock: Clock,
  /** `iss` and `aud` when the verifiers are configured with others than the embedded defaults. */
  audience: { readonly issuer?: string; readonly audience?: string } = {},
): ServiceTokenSource {
  let current: { token: string; renewAt: number } | undefined;
  let minting: Promise<string> | undefined;
  return {
    token() {
      const now = clock.now().getTime();
      if (current !== undefined && now < current.renewAt) return Promise.resolve(current.token);
      minting ??= signer
        .mint({
          subject: identity.subject,
          serviceName: identity.serviceName,
          roles: [...identity.roles],
          ttlSec: DEV_TOKEN_TTL_SEC,
          ...(audience.issuer !== undefined ? { issuer: audience.issuer } : {}),
          ...(audience.audience !== undefined ? { audience: audience.audience } : {}),
        })
        .then((token) => {
          current = { token, renewAt: now + DEV_TOKEN_TTL_SEC * 1000 - RENEW_BEFORE_MS };
          return token;
        })
        .finally(() => {
          minting = undefined;
        });
      return minting;
    },
  };
}
