import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import type { JSONWebKeySet } from 'jose';
import {
  DEFAULT_ROLES_CLAIM,
  DEFAULT_SERVICE_CLAIM,
  DEFAULT_TENANT_CLAIM,
  EMBEDDED_AUDIENCE,
  EMBEDDED_ISSUER,
  isValidRoleName,
  isValidTenantId,
} from './auth-defaults.js';

/** The file holding the dev private key (PKCS#8 PEM, mode 0600) inside the key folder. */
export const DEV_KEY_FILE = 'dev-signing-key.pem';

/** Longest lifetime of a dev token: a week. */
export const MAX_DEV_TOKEN_TTL_SEC = 7 * 24 * 3600;

/** The key folder of embedded mode: `<DATA_DIR>/auth`. */
export const devKeyDir = (dataDir: string): string => join(dataDir, 'auth');

export type DevSigningAlgorithm = 'EdDSA' | 'RS256';

export interface DevSignerOptions {
  /** Folder of the key pair, normally `devKeyDir(DATA_DIR)`; created with mode 0700. Never inside the repository. */
  readonly keyDir: string;
  /** Algorithm of a key created now; an existing key keeps its own. Default EdDSA (Ed25519). */
  readonly algorithm?: DevSigningAlgorithm;
  /** Where "now" comes from when minting (tests mint expired or future tokens with a ManualClock). */
  readonly clock?: Clock;
}

export interface MintOptions {
  readonly subject: string;
  readonly tenantId?: string;
  readonly roles?: readonly string[];
  /** For a service identity: the calling service's name (`svc` claim). */
  readonly serviceName?: string;
  /** Lifetime in seconds, 1 to MAX_DEV_TOKEN_TTL_SEC; default 3600. */
  readonly ttlSec?: number;
  /** Default EMBEDDED_ISSUER. */
  readonly issuer?: string;
  /** Default EMBEDDED_AUDIENCE. */
  readonly audience?: string;
}

/**
 * Signs tokens with a local key pair, for embedded mode and tests. Production verifiers trust the
 * identity provider's JWKS, never this key.
 */
export interface DevSigner {
  /** SPKI PEM of the public key: configure verifiers with it (`createJwtVerifier({ publicKeyPem })`). */
  readonly publicKeyPem: string;
  readonly algorithm: DevSigningAlgorithm;
  /** `kid` of the tokens: the RFC 7638 thumbprint of the public key. */
  readonly keyId: string;
  /** Where the private key lives. */
  readonly keyFile: string;
  /** The public key as a JWKS, for a service that wants to publish it (`/.well-known/jwks.json`). */
  jwks(): Promise<JSONWebKeySet>;
  /** A signed token with `iss`, `aud`, `sub`, `iat`, `nbf`, `exp`, `jti` and the platform claims. */
  mint(options: MintOptions): Promise<string>;
}

const generate = promisify(generateKeyPair);

async function newPrivateKeyPem(algorithm: DevSigningAlgorithm): Promise<string> {
  const pair = algorithm === 'EdDSA' ? await generate('ed25519') : await generate('rsa', { modulusLength: 2048 });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/**
 * Writes the key file only if none exists, with its whole content: written to a temporary name,
 * then hard-linked to the final one (a link never replaces an existing file). When the platform
 * and `npm run token` start together, both end up with the first key written.
 */
async function createKeyFileOnce(file: string, algorithm: DevSigningAlgorithm): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, await newPrivateKeyPem(algorithm), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function algorithmOf(key: KeyObject, file: string): DevSigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  throw new Error(`${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; the dev signer uses Ed25519 or RSA keys (delete the file to get a new one)`);
}

function checkMintOptions(options: MintOptions, ttlSec: number): void {
  if (options.subject === '' || options.subject.length > 256) throw new RangeError('subject must be 1 to 256 characters');
  if (options.tenantId !== undefined && !isValidTenantId(options.tenantId)) throw new RangeError('tenantId is not a valid tenant id');
  for (const role of options.roles ?? []) {
    if (!isValidRoleName(role)) throw new RangeError(`role ${JSON.stringify(role)} is not a valid role name`);
  }
  if (options.serviceName !== undefined && !isValidRoleName(options.serviceName)) throw new RangeError('serviceName is not a valid name');
  if (!Number.isInteger(ttlSec) || ttlSec < 1 || ttlSec > MAX_DEV_TOKEN_TTL_SEC) {
    throw new RangeError(`ttlSec must be an integer from 1 to ${MAX_DEV_TOKEN_TTL_SEC}`);
  }
}

/**
 * The dev signer of `keyDir`: loads `<keyDir>/dev-signing-key.pem`, creating the key pair on first
 * use (folder 0700, file 0600). The public key is derived from the private one, so there is a single
 * file and no half-written pair.
 */
export async function createDevSigner(options: DevSignerOptions): Promise<DevSigner> {
  const file = join(options.keyDir, DEV_KEY_FILE);
  const clock = options.clock ?? systemClock;
  let pem = await readKeyFile(file);
  if (pem === undefined) {
    await mkdir(options.keyDir, { recursive: true, mode: 0o700 });
    await createKeyFileOnce(file, options.algorithm ?? 'EdDSA');
    pem = await readFile(file, 'utf8');
  } else {
    // A key copied around with a lax umask is tightened rather than refused.
    await chmod(file, 0o600);
  }

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error(`${file} is not a readable PEM private key (delete it to get a new one)`);
  }
  const algorithm = algorithmOf(privateKey, file);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const publicJwk = await exportJWK(publicKey);
  const keyId = await calculateJwkThumbprint(publicJwk, 'sha256');

  return {
    publicKeyPem,
    algorithm,
    keyId,
    keyFile: file,

    jwks() {
      return Promise.resolve({ keys: [{ ...publicJwk, kid: keyId, alg: algorithm, use: 'sig' }] });
    },

    async mint(mint) {
      const ttlSec = mint.ttlSec ?? 3600;
      checkMintOptions(mint, ttlSec);
      const now = Math.floor(clock.now().getTime() / 1000);
      const claims: Record<string, unknown> = {};
      if (mint.tenantId !== undefined) claims[DEFAULT_TENANT_CLAIM] = mint.tenantId;
      if (mint.roles !== undefined) claims[DEFAULT_ROLES_CLAIM] = [...new Set(mint.roles)];
      if (mint.serviceName !== undefined) claims[DEFAULT_SERVICE_CLAIM] = mint.serviceName;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: algorithm, kid: keyId, typ: 'JWT' })
        .setIssuer(mint.issuer ?? EMBEDDED_ISSUER)
        .setAudience(mint.audience ?? EMBEDDED_AUDIENCE)
        .setSubject(mint.subject)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + ttlSec)
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}
