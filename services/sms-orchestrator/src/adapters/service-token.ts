import type { DevSigner } from '@sms/auth';
import type { Clock } from '@sms/kernel';

/** The bearer token the orchestrator presents to other services (numbering-service, routing-engine). */
export interface ServiceTokenSource {
  token(): Promise<string>;
}

/** The orchestrator's name in service tokens (`svc` claim) and its role there. */
export const SERVICE_IDENTITY = { subject: 'service:sms-orchestrator', serviceName: 'sms-orchestrator', roles: ['service'] } as const;

/** A token given by the deployment (`ORCH_SERVICE_TOKEN`, from the secret store). */
export const staticServiceToken = (token: string): ServiceTokenSource => ({ token: () => Promise.resolve(token) });

/**
 * Tokens minted with the embedded platform's dev key (development only): one hour long, minted
 * again five minutes before they expire.
 */
export function devServiceToken(signer: Pick<DevSigner, 'mint'>, clock: Clock): ServiceTokenSource {
  let current: { token: string; renewAt: number } | undefined;
  let minting: Promise<string> | undefined;
  return {
    token() {
      const now = clock.now().getTime();
      if (current !== undefined && now < current.renewAt) return Promise.resolve(current.token);
      minting ??= signer
        .mint({ subject: SERVICE_IDENTITY.subject, serviceName: SERVICE_IDENTITY.serviceName, roles: [...SERVICE_IDENTITY.roles], ttlSec: 3600 })
        .then((token) => {
          current = { token, renewAt: now + 55 * 60_000 };
          return token;
        })
        .finally(() => {
          minting = undefined;
        });
      return minting;
    },
  };
}
