/**
 * Where the platform keeps files: operators' signed number-inventory CSVs as received, and the
 * monthly regulator (ATRA) exports, which must stay unaltered for their retention period. Two
 * adapters implement it: S3 with Object Lock in production and a local folder in embedded mode;
 * one contract suite runs against both.
 *
 * Keys are relative, `/`-separated, and limited to `[A-Za-z0-9._=-]` per segment; a key with
 * `..`, a leading `/`, an empty segment or another character is refused with
 * {@link ObjectKeyRejectedError} before any I/O.
 */
export interface ObjectStore {
  /**
   * Stores `body` under `key`. With `retainUntil`, the object is write-once until that instant
   * (compliance mode: nobody can shorten it). Throws {@link ObjectAlreadyExistsError} when
   * `ifAbsent` is set and the key exists, and {@link ObjectRetainedError} when the key holds an
   * object still under retention.
   */
  put(key: string, body: Uint8Array, options?: PutObjectOptions): Promise<void>;

  /** The object's bytes, or `null` when there is none. */
  get(key: string): Promise<Uint8Array | null>;

  /** Size, content type and retention of the object, or `null` when there is none. */
  head(key: string): Promise<ObjectHead | null>;

  /** Removes the object; a missing key is not an error. Throws {@link ObjectRetainedError} while retained. */
  delete(key: string): Promise<void>;

  /** Every key that starts with `prefix` (a plain string prefix, as in S3), sorted. */
  list(prefix: string): Promise<string[]>;

  /** Resolves when the store can serve requests; throws {@link ObjectStoreUnavailableError} otherwise. */
  ping(): Promise<void>;
}

export interface PutObjectOptions {
  /** MIME type; `application/octet-stream` when absent. */
  readonly contentType?: string;
  /** Write-once retention (compliance mode) until this instant; must be in the future. */
  readonly retainUntil?: Date;
  /** Refuse to replace an existing object. */
  readonly ifAbsent?: boolean;
}

export interface ObjectHead {
  readonly size: number;
  readonly contentType?: string;
  /** Present when the object was stored with retention. */
  readonly retainUntil?: Date;
}

/** Why the object store could not serve a request. */
export type ObjectStoreUnavailableReason =
  /** Connection refused, reset, DNS failure: nothing answered. */
  | 'unreachable'
  /** No answer within the configured time. */
  | 'timeout'
  /** The store refused our credentials, or the folder's permissions refuse us. */
  | 'permission-denied'
  /** The bucket does not exist, or the store asks us to slow down. */
  | 'not-ready'
  /** The store answered with a 5xx error. */
  | 'server-error'
  /** The local folder cannot be read or written (disk full, read-only, I/O error, not a folder). */
  | 'storage-error';

/** Thrown by `put` with `ifAbsent` when the key already holds an object. */
export class ObjectAlreadyExistsError extends Error {
  override readonly name = 'ObjectAlreadyExistsError';
  readonly code = 'OBJECT_STORE.ALREADY_EXISTS';

  constructor(readonly key: string) {
    super(`object ${key} already exists`);
  }
}

/** Thrown when `put` would replace, or `delete` would remove, an object still under write-once retention. */
export class ObjectRetainedError extends Error {
  override readonly name = 'ObjectRetainedError';
  readonly code = 'OBJECT_STORE.RETAINED';

  constructor(
    readonly key: string,
    /** Until when the object is retained, when known. */
    readonly retainUntil?: Date,
  ) {
    super(
      retainUntil === undefined
        ? `object ${key} is under retention`
        : `object ${key} is under retention until ${retainUntil.toISOString()}`,
    );
  }
}

/** Thrown, before any I/O, when a key or prefix is not a plain relative object key. */
export class ObjectKeyRejectedError extends Error {
  override readonly name = 'ObjectKeyRejectedError';
  readonly code = 'OBJECT_STORE.KEY_REJECTED';

  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`object key ${JSON.stringify(key)} is refused: ${problem}`);
  }
}

/**
 * Thrown when the store cannot serve the request: unreachable, too slow, refusing our credentials,
 * or (locally) a folder that cannot be written. Callers answer 503.
 */
export class ObjectStoreUnavailableError extends Error {
  override readonly name = 'ObjectStoreUnavailableError';
  readonly code = 'OBJECT_STORE.UNAVAILABLE';

  constructor(
    readonly reason: ObjectStoreUnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
