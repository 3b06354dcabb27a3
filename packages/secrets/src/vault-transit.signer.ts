import { createPublicKey } from 'node:crypto';
import { checkBasePath } from './secret-path.js';
import { decodeBase64, ed25519PublicKeyFromRaw, spkiPem } from './signature-algorithms.js';
import { SignerUnavailableError } from './signer.port.js';
import type { SignatureAlgorithm, Signer } from './signer.port.js';
import { createVaultHttp, isRecord, vaultPath } from './vault-http.js';

export interface VaultTransitSignerOptions {
  /** Vault's base URL (`VAULT_ADDR`). */
  readonly address: string;
  /** A token whose policy allows `update` on `<mount>/sign/<key>` and `<mount>/verify/<key>`, `read` on `<mount>/keys/<key>`. */
  readonly token: string;
  /** The Transit key: type `ed25519` or `rsa-2048`/`rsa-3072`/`rsa-4096`. */
  readonly keyName: string;
  /** Where the Transit engine is mounted. Default `transit`. */
  readonly mount?: string;
  readonly namespace?: string;
  /** Per-request time limit. Default 2000 ms. */
  readonly timeoutMs?: number;
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VAULT_SIGNATURE = /^vault:v([1-9][0-9]*):(.+)$/;

interface TransitKey {
  readonly type: string;
  readonly latestVersion: number;
  readonly keys: Record<string, unknown>;
}

/**
 * A {@link Signer} over Vault Transit: the private key never leaves Vault. Signs with
 * `POST /v1/<mount>/sign/<key>` (base64 input; RSA keys with PSS over SHA-256), verifies with
 * `POST /v1/<mount>/verify/<key>`, and reads the public key from `GET /v1/<mount>/keys/<key>`.
 * Vault's `vault:v<N>:<base64>` becomes `{ keyId: '<key>:v<N>', signature: '<base64>' }`, so the
 * signature file carries plain base64 and the key version travels in the key id.
 */
export function createVaultTransitSigner(options: VaultTransitSignerOptions): Signer {
  const mount = checkBasePath(options.mount ?? 'transit', 'mount');
  const keyName = options.keyName;
  if (!KEY_NAME.test(keyName)) throw new Error(`keyName ${JSON.stringify(keyName)} is not a valid Transit key name`);
  const http = createVaultHttp(
    { address: options.address, token: options.token, namespace: options.namespace, timeoutMs: options.timeoutMs ?? 2000 },
    (reason, message) => new SignerUnavailableError(reason, message),
  );
  const refused = (operation: string, status: number, body: unknown): Error =>
    new Error(`${operation}: Vault at ${http.origin} refused (${status}: ${http.describeErrors(body)})`);

  const readKey = async (): Promise<TransitKey> => {
    const operation = `reading Transit key ${mount}/${keyName}`;
    const reply = await http.send(operation, 'GET', vaultPath(mount, 'keys', keyName));
    if (reply.status === 404) throw new Error(`${operation}: no such key at Vault ${http.origin}`);
    if (reply.status !== 200) throw refused(operation, reply.status, reply.body);
    const data = isRecord(reply.body) ? reply.body.data : undefined;
    if (!isRecord(data) || typeof data.type !== 'string' || typeof data.latest_version !== 'number' || !isRecord(data.keys)) {
      throw new Error(`${operation}: Vault's answer lacks type, latest_version or keys`);
    }
    return { type: data.type, latestVersion: data.latest_version, keys: data.keys };
  };

  // The key type never changes after creation, so one successful read serves every later call.
  let algorithmOnce: Promise<SignatureAlgorithm> | undefined;
  const algorithm = (): Promise<SignatureAlgorithm> => {
    if (algorithmOnce === undefined) {
      const pending = readKey().then((key) => algorithmForTransitType(key.type));
      algorithmOnce = pending;
      // A failed read is not cached: the next call asks Vault again.
      void pending.catch(() => {
        if (algorithmOnce === pending) algorithmOnce = undefined;
      });
    }
    return algorithmOnce;
  };

  const signingParameters = (alg: SignatureAlgorithm): Record<string, string> =>
    alg === 'RSA-PSS-SHA256' ? { hash_algorithm: 'sha2-256', signature_algorithm: 'pss' } : {};

  return {
    async sign(data) {
      const alg = await algorithm();
      const operation = `signing with Transit key ${mount}/${keyName}`;
      const reply = await http.send(operation, 'POST', vaultPath(mount, 'sign', keyName), {
        body: { input: Buffer.from(data).toString('base64'), ...signingParameters(alg) },
      });
      if (reply.status !== 200) throw refused(operation, reply.status, reply.body);
      const signature = isRecord(reply.body) && isRecord(reply.body.data) ? reply.body.data.signature : undefined;
      const match = typeof signature === 'string' ? VAULT_SIGNATURE.exec(signature) : null;
      if (match === null) throw new Error(`${operation}: Vault's answer has no vault:v<N>: signature`);
      return { keyId: `${keyName}:v${match[1]}`, algorithm: alg, signature: match[2] ?? '' };
    },

    async verify(data, signature) {
      const alg = await algorithm();
      const version = versionOf(signature.keyId, keyName);
      if (version === null || signature.algorithm !== alg || decodeBase64(signature.signature) === null) return false;
      const operation = `verifying with Transit key ${mount}/${keyName}`;
      const reply = await http.send(operation, 'POST', vaultPath(mount, 'verify', keyName), {
        body: {
          input: Buffer.from(data).toString('base64'),
          signature: `vault:v${version}:${signature.signature}`,
          ...signingParameters(alg),
        },
      });
      // The key exists and signs (algorithm() read it), so a 400 here is Vault rejecting this signature.
      if (reply.status === 400) return false;
      if (reply.status !== 200) throw refused(operation, reply.status, reply.body);
      const valid = isRecord(reply.body) && isRecord(reply.body.data) ? reply.body.data.valid : undefined;
      if (typeof valid !== 'boolean') throw new Error(`${operation}: Vault's answer has no data.valid`);
      return valid;
    },

    async publicKeyPem() {
      const key = await readKey();
      algorithmForTransitType(key.type);
      const entry = key.keys[String(key.latestVersion)];
      const publicKey = isRecord(entry) ? entry.public_key : undefined;
      if (typeof publicKey !== 'string' || publicKey.length === 0) {
        throw new Error(`Transit key ${mount}/${keyName} v${key.latestVersion} has no public key in Vault's answer`);
      }
      // Vault gives Ed25519 public keys as raw base64 and RSA public keys as PEM.
      return key.type === 'ed25519' ? spkiPem(ed25519PublicKeyFromRaw(publicKey)) : spkiPem(createPublicKey(publicKey));
    },
  };
}

function algorithmForTransitType(type: string): SignatureAlgorithm {
  if (type === 'ed25519') return 'Ed25519';
  if (type === 'rsa-2048' || type === 'rsa-3072' || type === 'rsa-4096') return 'RSA-PSS-SHA256';
  throw new Error(`Transit key type ${type} is not supported for signing here; use ed25519 or rsa-2048/3072/4096`);
}

function versionOf(keyId: string, keyName: string): number | null {
  const prefix = `${keyName}:v`;
  if (typeof keyId !== 'string' || !keyId.startsWith(prefix)) return null;
  const rest = keyId.slice(prefix.length);
  return /^[1-9][0-9]{0,8}$/.test(rest) ? Number(rest) : null;
}
