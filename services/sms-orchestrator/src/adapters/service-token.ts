import type { DevSigner, ServiceTokenSource } from '@sms/auth';
import { devServiceToken as devToken } from '@sms/auth';
import type { Clock } from '@sms/kernel';

export type { ServiceTokenSource } from '@sms/auth';
export { staticServiceToken } from '@sms/auth';

/** The orchestrator's name in service tokens (`svc` claim) and its role there. */
export const SERVICE_IDENTITY = { subject: 'service:sms-orchestrator', serviceName: 'sms-orchestrator', roles: ['service'] } as const;

/** The orchestrator's tokens minted with the embedded platform's dev key (development only). */
export const devServiceToken = (signer: Pick<DevSigner, 'mint'>, clock: Clock): ServiceTokenSource => devToken(signer, SERVICE_IDENTITY, clock);
