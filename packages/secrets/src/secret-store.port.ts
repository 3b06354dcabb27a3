/**
 * Where the platform keeps credentials it must never write to its own tables in clear: operators'
 * SMPP passwords, API keys of upstream systems. Two adapters implement it: Vault KV v2 in
 * production and envelope-encrypted PostgreSQL rows in embedded mode; one contract suite runs
 * against both.
 *
 * Every path is relative to a base path fixed when the store is built (`ops/operators`), so a
 * service can only reach its own subtree. A path that tries to leave it (`..`, a leading `/`,
 * empty segments, characters outside `[A-Za-z0-9._-]`) is refused with
 * {@link SecretPathRejectedError} before any I/O.
 *
 * Failures: "not found" is `null`; a store that is down, sealed, too slow or refuses our
 * credentials throws {@link SecretStoreUnavailableError} (callers answer 503).
 */
export interface SecretStore {
  /** The latest version of the secret at `path`, or `null` when there is none. */
  get(path: string): Promise<Record<string, string> | null>;

  /** Writes a new version of the secret at `path`; versions start at 1 and only grow. */
  put(path: string, data: Readonly<Record<string, string>>): Promise<{ version: number }>;

  /** Removes every version of the secret at `path`. Deleting a missing path succeeds. */
  delete(path: string): Promise<void>;

  /** Resolves when the store can serve requests; throws {@link SecretStoreUnavailableError} otherwise. */
  ping(): Promise<void>;
}

/** Why a dependency (secret store, signer) could not serve a request. */
export type UnavailableReason =
  /** Connection refused, reset, DNS failure: nothing answered. */
  | 'unreachable'
  /** No answer within the configured time. */
  | 'timeout'
  /** The server answered but refused our credentials (a revoked or under-privileged token). */
  | 'permission-denied'
  /** The server is sealed, uninitialised, a standby that cannot serve, or rate-limiting us. */
  | 'not-ready'
  /** The server answered with a 5xx error. */
  | 'server-error';

/**
 * Thrown when the secret store cannot serve the request: it is down, sealed, timed out or
 * refused our credentials. Distinct from "not found" (`get` answers `null`). Callers map it to
 * 503. The message names the operation and the path, never a token or a secret value.
 */
export class SecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';
  readonly code = 'SECRETS.UNAVAILABLE';

  constructor(
    readonly reason: UnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Thrown, before any I/O, when a path is not a plain relative path under the store's base path:
 * empty, absolute, with empty, `.` or `..` segments, or with characters outside `[A-Za-z0-9._-]`.
 */
export class SecretPathRejectedError extends Error {
  override readonly name = 'SecretPathRejectedError';
  readonly code = 'SECRETS.PATH_REJECTED';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`secret path ${JSON.stringify(path)} is refused: ${problem}`);
  }
}

/**
 * Thrown by the local store when a stored secret fails authentication on decryption: the row was
 * altered, copied under another path or version, or was written under another master key. It is
 * an integrity fault, never a "not found".
 */
export class SecretIntegrityError extends Error {
  override readonly name = 'SecretIntegrityError';
  readonly code = 'SECRETS.INTEGRITY';
}
