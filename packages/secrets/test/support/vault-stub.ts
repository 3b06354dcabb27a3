/**
 * A small stand-in for HashiCorp Vault's HTTP API, for tests on a machine without Vault. It answers
 * as Vault's documented API does for the endpoints the adapters use, and nothing else:
 *
 * - `GET /v1/sys/health` (unauthenticated): 200 when unsealed, 503 when sealed; the health JSON shape.
 * - KV version 2 at `/v1/<mount>/`: `GET data/<path>[?version=N]` → `{ data: { data, metadata } }`,
 *   404 `{"errors":[]}` when missing, 404 with `data.data: null` when the version was soft-deleted;
 *   `POST data/<path>` with `{ data }` → `{ data: { version, created_time, … } }`, 400 without `data`;
 *   `DELETE data/<path>` (soft delete of the latest version) → 204;
 *   `DELETE metadata/<path>` (all versions) → 204, also when missing.
 * - Transit at `/v1/<mount>/`: `GET keys/<name>` (asymmetric key shape: `keys.<n>.public_key`, raw
 *   base64 for Ed25519, PEM for RSA); `POST sign/<name>` → `vault:v<N>:<base64>` (RSA: PSS by default,
 *   or PKCS#1 v1.5, over SHA-256; PSS salt as large as possible, as Go's crypto/rsa "auto" does);
 *   `POST verify/<name>` → `{ data: { valid } }`, 400 on a malformed signature or unknown key version;
 *   400 "encryption key not found" for an unknown key. Keys are real (node:crypto), so signatures verify
 *   with standard tools.
 * - Every other path needs `X-Vault-Token`: a wrong or missing token gets 403 `{"errors":["permission denied"]}`;
 *   with a namespace configured, a missing or different `X-Vault-Namespace` gets 403 too. Sealed: 503
 *   `{"errors":["Vault is sealed"]}`.
 *
 * Not modelled: policies beyond "right token or not", leases, CAS, metadata reads, batch operations,
 * key derivation, ECDSA keys, response wrapping, rate-limit quotas.
 */
import { constants, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubTransitKeyType = 'ed25519' | 'rsa-2048';

export interface VaultStubOptions {
  /** The one token the stub accepts. Default: random. */
  readonly token?: string;
  /** When set, requests must carry this `X-Vault-Namespace`. */
  readonly namespace?: string;
  readonly kvMount?: string;
  readonly transitMount?: string;
  /** Transit keys to create at start, by name. */
  readonly transitKeys?: Readonly<Record<string, StubTransitKeyType>>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface VaultStub {
  readonly address: string;
  readonly token: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  seal(): void;
  unseal(): void;
  /** Delays every answer by this many ms (to provoke client timeouts). */
  setDelay(ms: number): void;
  /** Adds a new version to a Transit key; later signatures use it. */
  rotateKey(name: string): void;
  close(): Promise<void>;
}

interface KvVersion {
  readonly data: Record<string, unknown>;
  readonly createdTime: string;
  deletionTime: string;
}

interface TransitKeyVersion {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly creationTime: string;
}

interface TransitKey {
  readonly type: StubTransitKeyType;
  readonly versions: TransitKeyVersion[];
}

const HASH_ALGORITHMS: Record<string, string> = {
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
};

export async function startVaultStub(options: VaultStubOptions = {}): Promise<VaultStub> {
  const token = options.token ?? `hvs.${randomBytes(18).toString('base64url')}`;
  const kvMount = options.kvMount ?? 'secret';
  const transitMount = options.transitMount ?? 'transit';
  const kv = new Map<string, KvVersion[]>();
  const transit = new Map<string, TransitKey>();
  const requests: RecordedRequest[] = [];
  let sealed = false;
  let delayMs = 0;

  const newKeyVersion = (type: StubTransitKeyType): TransitKeyVersion => {
    const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { privateKey: pair.privateKey, publicKey: pair.publicKey, creationTime: new Date().toISOString() };
  };
  for (const [name, type] of Object.entries(options.transitKeys ?? {})) {
    transit.set(name, { type, versions: [newKeyVersion(type)] });
  }

  const handle = (method: string, url: URL, headers: IncomingHttpHeaders, rawBody: string): Answer => {
    if (!url.pathname.startsWith('/v1/')) return error(404, []);
    const apiPath = decodeURIComponent(url.pathname.slice('/v1/'.length));

    if (apiPath === 'sys/health' && method === 'GET') {
      const body = {
        initialized: true,
        sealed,
        standby: sealed,
        performance_standby: false,
        replication_performance_mode: 'disabled',
        replication_dr_mode: 'disabled',
        server_time_utc: Math.floor(Date.now() / 1000),
        version: '1.15.0+stub',
        cluster_name: 'vault-cluster-stub',
        cluster_id: 'b2b8d5e4-0000-4000-8000-000000000000',
      };
      return { status: sealed ? 503 : 200, body };
    }
    if (sealed) return error(503, ['Vault is sealed']);
    if (headers['x-vault-token'] !== token) return error(403, ['permission denied']);
    if (options.namespace !== undefined && headers['x-vault-namespace'] !== options.namespace) {
      return error(403, ['permission denied']);
    }

    let body: Record<string, unknown> = {};
    if (rawBody.length > 0) {
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        return error(400, ['failed to parse JSON input']);
      }
    }

    if (apiPath.startsWith(`${kvMount}/data/`)) return kvData(method, apiPath.slice(`${kvMount}/data/`.length), url, body);
    if (apiPath.startsWith(`${kvMount}/metadata/`)) return kvMetadata(method, apiPath.slice(`${kvMount}/metadata/`.length));
    if (apiPath.startsWith(`${transitMount}/`)) return transitRoute(method, apiPath.slice(`${transitMount}/`.length), body);
    return error(404, [`no handler for route "${apiPath}". route entry not found.`]);
  };

  const kvData = (method: string, path: string, url: URL, body: Record<string, unknown>): Answer => {
    const versions = kv.get(path);
    if (method === 'GET') {
      if (versions === undefined || versions.length === 0) return error(404, []);
      const wanted = Number(url.searchParams.get('version') ?? '0');
      const number = wanted > 0 ? wanted : versions.length;
      const version = versions[number - 1];
      if (version === undefined) return error(404, []);
      const metadata = {
        created_time: version.createdTime,
        custom_metadata: null,
        deletion_time: version.deletionTime,
        destroyed: false,
        version: number,
      };
      if (version.deletionTime !== '') return { status: 404, body: envelope({ data: null, metadata }) };
      return { status: 200, body: envelope({ data: version.data, metadata }) };
    }
    if (method === 'POST' || method === 'PUT') {
      const data = body.data;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return error(400, ['no data provided']);
      const list = versions ?? [];
      const created = { data: data as Record<string, unknown>, createdTime: new Date().toISOString(), deletionTime: '' };
      list.push(created);
      kv.set(path, list);
      return {
        status: 200,
        body: envelope({
          created_time: created.createdTime,
          custom_metadata: null,
          deletion_time: '',
          destroyed: false,
          version: list.length,
        }),
      };
    }
    if (method === 'DELETE') {
      const latest = versions?.[versions.length - 1];
      if (latest !== undefined) latest.deletionTime = new Date().toISOString();
      return { status: 204, body: null };
    }
    return error(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  };

  const kvMetadata = (method: string, path: string): Answer => {
    if (method === 'DELETE') {
      kv.delete(path);
      return { status: 204, body: null };
    }
    return error(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  };

  const transitRoute = (method: string, path: string, body: Record<string, unknown>): Answer => {
    const [operation, name, urlHash] = path.split('/');
    const key = name === undefined ? undefined : transit.get(name);
    if (operation === 'keys' && method === 'GET') {
      if (key === undefined || name === undefined) return error(404, []);
      return { status: 200, body: envelope(describeKey(name, key)) };
    }
    if ((operation === 'sign' || operation === 'verify') && method === 'POST') {
      if (key === undefined) return error(400, ['encryption key not found']);
      const input = decodeStdBase64(typeof body.input === 'string' ? body.input : '');
      if (input === null) return error(400, ['unable to decode input as base64: illegal base64 data']);
      const hashName = urlHash ?? (typeof body.hash_algorithm === 'string' ? body.hash_algorithm : 'sha2-256');
      const hash = HASH_ALGORITHMS[hashName];
      if (hash === undefined) return error(400, [`invalid hash algorithm "${hashName}"`]);
      const scheme = typeof body.signature_algorithm === 'string' && body.signature_algorithm !== '' ? body.signature_algorithm : 'pss';
      if (scheme !== 'pss' && scheme !== 'pkcs1v15') return error(400, [`unsupported rsa signature algorithm ${scheme}`]);
      if (operation === 'sign') {
        const wanted = typeof body.key_version === 'number' && body.key_version > 0 ? body.key_version : key.versions.length;
        const version = key.versions[wanted - 1];
        if (version === undefined) return error(400, ['invalid key version']);
        const signature = signInput(key.type, version.privateKey, input, hash, scheme);
        return { status: 200, body: envelope({ signature: `vault:v${wanted}:${signature.toString('base64')}`, key_version: wanted }) };
      }
      const text = typeof body.signature === 'string' ? body.signature : '';
      const match = /^vault:v([0-9]+):(.*)$/.exec(text);
      if (match === null) return error(400, ['invalid signature: no prefix']);
      const version = key.versions[Number(match[1]) - 1];
      if (version === undefined) return error(400, ['invalid key version']);
      const signature = decodeStdBase64(match[2] ?? '');
      if (signature === null) return error(400, ['invalid base64 signature value']);
      return { status: 200, body: envelope({ valid: verifyInput(key.type, version.publicKey, input, signature, hash, scheme) }) };
    }
    return error(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: rawBody });
      const answer = handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://stub'), req.headers, rawBody);
      const respond = (): void => {
        if (answer.body === null) {
          res.writeHead(answer.status).end();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      };
      if (delayMs > 0) setTimeout(respond, delayMs);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `http://127.0.0.1:${port}`,
    token,
    requests,
    seal: () => {
      sealed = true;
    },
    unseal: () => {
      sealed = false;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    rotateKey: (name) => {
      const key = transit.get(name);
      if (key === undefined) throw new Error(`no transit key ${name}`);
      key.versions.push(newKeyVersion(key.type));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

function envelope(data: unknown): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
  };
}

function error(status: number, errors: string[]): Answer {
  return { status, body: { errors } };
}

function describeKey(name: string, key: TransitKey): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  key.versions.forEach((version, index) => {
    const publicKey =
      key.type === 'ed25519'
        ? Buffer.from(rawEd25519(version.publicKey)).toString('base64')
        : version.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    keys[String(index + 1)] = {
      name: key.type,
      public_key: publicKey,
      certificate_chain: '',
      creation_time: version.creationTime,
    };
  });
  return {
    name,
    type: key.type,
    derived: false,
    deletion_allowed: false,
    min_available_version: 0,
    min_decryption_version: 1,
    min_encryption_version: 0,
    latest_version: key.versions.length,
    exportable: false,
    allow_plaintext_backup: false,
    supports_encryption: false,
    supports_decryption: false,
    supports_signing: true,
    supports_derivation: key.type === 'ed25519',
    auto_rotate_period: 0,
    imported_key: false,
    keys,
  };
}

function rawEd25519(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

function rsaOptions(key: KeyObject, scheme: string, forSigning: boolean) {
  return scheme === 'pss'
    ? {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: forSigning ? constants.RSA_PSS_SALTLEN_MAX_SIGN : constants.RSA_PSS_SALTLEN_AUTO,
      }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

function signInput(type: StubTransitKeyType, privateKey: KeyObject, input: Buffer, hash: string, scheme: string): Buffer {
  if (type === 'ed25519') return sign(null, input, privateKey);
  return sign(hash, input, rsaOptions(privateKey, scheme, true));
}

function verifyInput(
  type: StubTransitKeyType,
  publicKey: KeyObject,
  input: Buffer,
  signature: Buffer,
  hash: string,
  scheme: string,
): boolean {
  try {
    if (type === 'ed25519') return verify(null, input, publicKey, signature);
    return verify(hash, input, rsaOptions(publicKey, scheme, false), signature);
  } catch {
    return false;
  }
}

function decodeStdBase64(text: string): Buffer | null {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  return Buffer.from(text, 'base64');
}

