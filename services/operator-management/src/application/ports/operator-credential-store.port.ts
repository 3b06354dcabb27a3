import type { SecretStore } from '@sms/secrets';

/**
 * Where bind passwords live: the platform's secret store (`SecretStore` of `@sms/secrets`:
 * Vault KV v2 in production, the envelope-encrypted local store in embedded mode). This port is
 * the subset operator-management uses, so any `SecretStore` satisfies it. Build that store with
 * base path `ops`: the paths used here are `operators/<operatorId>/connections/<connectionId>`,
 * so the Vault policy can be scoped to `secret/ops/operators/*`.
 *
 * Failures: "not found" is `null`. When the store is down, sealed, too slow or refuses our token,
 * every method throws `SecretStoreUnavailableError` (code `SECRETS.UNAVAILABLE`); the credential
 * vault turns it into `OPS.SECRET_STORE_UNAVAILABLE`. Any other throw is a fault and propagates.
 */
export type OperatorCredentialStore = Pick<SecretStore, 'get' | 'put' | 'delete'>;
