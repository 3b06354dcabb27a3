import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { checkObjectKey, checkObjectPrefix, checkRetainUntil, DEFAULT_CONTENT_TYPE } from './object-key.js';
import {
  ObjectAlreadyExistsError,
  ObjectKeyRejectedError,
  ObjectRetainedError,
  ObjectStoreUnavailableError,
} from './object-store.port.js';
import type { ObjectStore, ObjectStoreUnavailableReason } from './object-store.port.js';

export interface S3ObjectStoreOptions {
  /** S3-compatible endpoint (`S3_ENDPOINT`); absent for AWS itself. */
  readonly endpoint?: string;
  readonly region: string;
  /** The bucket; for retention it must have Object Lock enabled (which implies versioning). */
  readonly bucket: string;
  /** Static credentials; absent to use the SDK's default chain (environment, instance role, …). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), which most S3-compatible servers need. */
  readonly forcePathStyle?: boolean;
  /** Decides whether a retention date has passed. Default: the system clock. */
  readonly clock?: Clock;
  /** Connection and per-request time limit. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Attempts per operation, including the first (the SDK retries throttling and network faults). Default 3. */
  readonly maxAttempts?: number;
}

/** The S3 adapter also owns an HTTP connection pool, released by `close`. */
export interface S3ObjectStore extends ObjectStore {
  close(): void;
}

/**
 * An {@link ObjectStore} over S3 with @aws-sdk/client-s3.
 *
 * Retention: `retainUntil` becomes `ObjectLockMode: COMPLIANCE` and `ObjectLockRetainUntilDate` on
 * PutObject, with a SHA-256 checksum (S3 requires an integrity header on Object Lock puts). On a
 * versioned, locked bucket S3 itself never refuses a PUT or an unversioned DELETE (it adds a new
 * version or a delete marker; the locked version survives), so to honour the port this adapter
 * reads the current retention with HeadObject first and refuses with {@link ObjectRetainedError}.
 * `ifAbsent` sends `If-None-Match: *` and, because not every S3-compatible server honours it, also
 * checks with HeadObject first; between that check and the PUT, a server that ignores the header
 * lets a concurrent writer win (last write wins).
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): S3ObjectStore {
  const { bucket } = options;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 5000;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    forcePathStyle: options.forcePathStyle ?? false,
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
  const where = options.endpoint === undefined ? `S3 bucket ${bucket}` : `bucket ${bucket} at ${safeOrigin(options.endpoint)}`;

  const run = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asUnavailable(`${operation} (${where})`, error) ?? error;
    }
  };

  /** The object's HeadObject answer, or undefined when there is none. */
  const headRaw = (key: string): Promise<HeadObjectCommandOutput | undefined> =>
    run(`reading metadata of ${key}`, async () => {
      try {
        return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });

  const retainedUntil = (head: HeadObjectCommandOutput | undefined): Date | undefined => {
    const until = head?.ObjectLockRetainUntilDate;
    return until !== undefined && until.getTime() > clock.now().getTime() ? until : undefined;
  };

  return {
    async put(key, body, putOptions = {}) {
      checkObjectKey(key);
      checkRetainUntil(putOptions.retainUntil, clock);
      const existing = await headRaw(key);
      if (existing !== undefined && putOptions.ifAbsent) throw new ObjectAlreadyExistsError(key);
      const until = retainedUntil(existing);
      if (until !== undefined) throw new ObjectRetainedError(key, until);
      await run(`writing ${key}`, async () => {
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: body,
              ContentLength: body.byteLength,
              ContentType: putOptions.contentType ?? DEFAULT_CONTENT_TYPE,
              ChecksumAlgorithm: 'SHA256',
              ...(putOptions.retainUntil === undefined
                ? {}
                : { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: putOptions.retainUntil }),
              ...(putOptions.ifAbsent ? { IfNoneMatch: '*' } : {}),
            }),
          );
        } catch (error) {
          // 412: the object appeared since our HeadObject; 409: a concurrent conditional write won.
          if (putOptions.ifAbsent && isServiceError(error, ['PreconditionFailed', 'ConditionalRequestConflict'], [412, 409])) {
            throw new ObjectAlreadyExistsError(key);
          }
          throw error;
        }
      });
    },

    async get(key) {
      checkObjectKey(key);
      return run(`reading ${key}`, async () => {
        try {
          const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          if (answer.Body === undefined) return new Uint8Array();
          return await answer.Body.transformToByteArray();
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      });
    },

    async head(key) {
      checkObjectKey(key);
      const answer = await headRaw(key);
      if (answer === undefined) return null;
      return {
        size: answer.ContentLength ?? 0,
        ...(answer.ContentType === undefined ? {} : { contentType: answer.ContentType }),
        ...(answer.ObjectLockRetainUntilDate === undefined ? {} : { retainUntil: answer.ObjectLockRetainUntilDate }),
      };
    },

    async delete(key) {
      checkObjectKey(key);
      const until = retainedUntil(await headRaw(key));
      if (until !== undefined) throw new ObjectRetainedError(key, until);
      await run(`deleting ${key}`, async () => {
        try {
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        } catch (error) {
          if (isRetentionRefusal(error)) throw new ObjectRetainedError(key);
          throw error;
        }
      });
    },

    async list(prefix) {
      checkObjectPrefix(prefix);
      return run(`listing ${prefix === '' ? 'every key' : `keys under ${prefix}`}`, async () => {
        const keys: string[] = [];
        let continuationToken: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
            }),
          );
          for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
          continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (continuationToken !== undefined);
        return keys.sort();
      });
    },

    async ping() {
      await run('checking the bucket', async () => {
        try {
          await client.send(new HeadBucketCommand({ Bucket: bucket }));
        } catch (error) {
          // HEAD answers carry no error code: a 404 on the bucket is "no such bucket".
          if (isServiceError(error, ['NotFound', 'NoSuchBucket'], [404])) {
            throw new ObjectStoreUnavailableError('not-ready', `checking the bucket (${where}): the bucket does not exist`, {
              cause: error,
            });
          }
          throw error;
        }
      });
    },

    close() {
      client.destroy();
    },
  };
}

/**
 * True when S3 refused a delete because of Object Lock: `AccessDenied` or `InvalidRequest` whose
 * message speaks of the lock or retention (e.g. "Access Denied because object protected by object
 * lock"). A plain AccessDenied is a permissions problem, not retention.
 */
export function isRetentionRefusal(error: unknown): boolean {
  if (!isServiceError(error, ['AccessDenied', 'InvalidRequest'], [])) return false;
  return /object lock|retention|retain|worm|protected/i.test((error as Error).message);
}

function isServiceError(error: unknown, names: readonly string[], statuses: readonly number[]): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return names.includes(error.name) || statuses.includes(error.$metadata.httpStatusCode ?? 0);
}

function isNotFound(error: unknown): boolean {
  return isServiceError(error, ['NotFound', 'NoSuchKey'], [404]) && !isServiceError(error, ['NoSuchBucket'], []);
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** The unavailable error for a fault that means "S3 cannot serve us now", else undefined. */
function asUnavailable(operation: string, error: unknown): ObjectStoreUnavailableError | undefined {
  if (
    error instanceof ObjectAlreadyExistsError ||
    error instanceof ObjectRetainedError ||
    error instanceof ObjectKeyRejectedError ||
    error instanceof ObjectStoreUnavailableError ||
    !(error instanceof Error)
  ) {
    return undefined;
  }
  const make = (reason: ObjectStoreUnavailableReason, detail: string): ObjectStoreUnavailableError =>
    new ObjectStoreUnavailableError(reason, `${operation}: ${detail}`, { cause: error });
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode ?? 0;
    if (error.name === 'NoSuchBucket') return make('not-ready', 'the bucket does not exist');
    if (status === 403 || error.name === 'InvalidAccessKeyId' || error.name === 'SignatureDoesNotMatch') {
      return make('permission-denied', `S3 refused our credentials (${error.name})`);
    }
    if (status === 429 || error.name === 'SlowDown') return make('not-ready', `S3 asks us to slow down (${error.name})`);
    if (status >= 500) return make('server-error', `S3 failed (${status} ${error.name})`);
    return undefined;
  }
  const code = (error as Error & { code?: unknown }).code;
  if (error.name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return make('timeout', `S3 did not answer in time (${error.message})`);
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return make('unreachable', `S3 is unreachable (${error.message})`);
  return undefined;
}

function safeOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'the configured endpoint';
  }
}
