import { checkBasePath, checkSecretPath } from './secret-path.js';
import { SecretStoreUnavailableError } from './secret-store.port.js';
import type { SecretStore } from './secret-store.port.js';
import { createVaultHttp, isRecord, vaultPath } from './vault-http.js';

export interface VaultSecretStoreOptions {
  /** Vault's base URL, e.g. `https://vault.internal:8200` (`VAULT_ADDR`). */
  readonly address: string;
  /** A token whose policy allows read/create/update on `<mount>/data/<basePath>/*` and delete on `<mount>/metadata/<basePath>/*`. */
  readonly token: string;
  /** Where the KV version 2 engine is mounted. Default `secret`. */
  readonly mount?: string;
  /** The subtree this store may reach, e.g. `ops/operators`. */
  readonly basePath: string;
  /** Per-request time limit. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Vault Enterprise namespace (`X-Vault-Namespace`). */
  readonly namespace?: string;
}

/**
 * A {@link SecretStore} over Vault's KV version 2 HTTP API, with Node's fetch (no SDK):
 * read `GET /v1/<mount>/data/<base>/<path>` (404 → null), write `POST …/data/…` with `{ data }`,
 * delete every version with `DELETE /v1/<mount>/metadata/<base>/<path>`, ping `GET /v1/sys/health`.
 */
export function createVaultSecretStore(options: VaultSecretStoreOptions): SecretStore {
  const mount = checkBasePath(options.mount ?? 'secret', 'mount');
  const basePath = checkBasePath(options.basePath);
  const http = createVaultHttp(
    { address: options.address, token: options.token, namespace: options.namespace, timeoutMs: options.timeoutMs ?? 2000 },
    (reason, message) => new SecretStoreUnavailableError(reason, message),
  );
  const dataPath = (path: string): string => vaultPath(mount, 'data', basePath, path);
  const metadataPath = (path: string): string => vaultPath(mount, 'metadata', basePath, path);
  const unexpected = (operation: string, status: number, body: unknown): Error =>
    new Error(`${operation}: unexpected answer from Vault at ${http.origin} (${status}: ${http.describeErrors(body)})`);

  return {
    async get(path) {
      checkSecretPath(path);
      const operation = `reading secret ${basePath}/${path}`;
      const reply = await http.send(operation, 'GET', dataPath(path));
      // 404 covers a path never written, one whose metadata was deleted, and a deleted or destroyed latest version.
      if (reply.status === 404) return null;
      if (reply.status !== 200) throw unexpected(operation, reply.status, reply.body);
      const data = isRecord(reply.body) && isRecord(reply.body.data) ? reply.body.data.data : undefined;
      if (data === null) return null;
      return toStringRecord(data, operation);
    },

    async put(path, data) {
      checkSecretPath(path);
      const operation = `writing secret ${basePath}/${path}`;
      const payload = toStringRecord(data, operation);
      const reply = await http.send(operation, 'POST', dataPath(path), { body: { data: payload } });
      if (reply.status !== 200) throw unexpected(operation, reply.status, reply.body);
      const version = isRecord(reply.body) && isRecord(reply.body.data) ? reply.body.data.version : undefined;
      if (typeof version !== 'number' || !Number.isInteger(version)) {
        throw new Error(`${operation}: Vault's answer has no data.version`);
      }
      return { version };
    },

    async delete(path) {
      checkSecretPath(path);
      const operation = `deleting secret ${basePath}/${path}`;
      const reply = await http.send(operation, 'DELETE', metadataPath(path));
      if (reply.status !== 204 && reply.status !== 200 && reply.status !== 404) {
        throw unexpected(operation, reply.status, reply.body);
      }
    },

    async ping() {
      const operation = 'checking Vault health';
      // standbyok/perfstandbyok: a standby forwards requests to the active node, so it can serve us.
      const reply = await http.send(operation, 'GET', 'sys/health?standbyok=true&perfstandbyok=true', {
        unauthenticated: true,
      });
      if (reply.status !== 200) {
        throw new SecretStoreUnavailableError('not-ready', `${operation}: Vault at ${http.origin} answered ${reply.status}`);
      }
    },
  };
}

function toStringRecord(value: unknown, operation: string): Record<string, string> {
  if (!isRecord(value)) throw new Error(`${operation}: the secret is not an object of strings`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new Error(`${operation}: field ${JSON.stringify(key)} is not a string`);
    result[key] = item;
  }
  return result;
}
