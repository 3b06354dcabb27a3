import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { systemClock } from '@sms/kernel';
import type { Clock } from '@sms/kernel';
import { checkObjectKey, checkObjectPrefix, checkRetainUntil, DEFAULT_CONTENT_TYPE } from './object-key.js';
import {
  ObjectAlreadyExistsError,
  ObjectRetainedError,
  ObjectStoreUnavailableError,
} from './object-store.port.js';
import type { ObjectStore } from './object-store.port.js';

export interface LocalObjectStoreOptions {
  /** The folder that holds the objects; created on first write. */
  readonly rootDir: string;
  /** Decides whether a retention date has passed. Default: the system clock. */
  readonly clock?: Clock;
}

/** The sidecar of one object: what S3 would keep as object metadata, plus where the bytes are. */
interface Sidecar {
  readonly format: 1;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly retainUntil: string | null;
  readonly dataFile: string;
  readonly storedAt: string;
}

// Keys never contain "~", so these suffixes cannot collide with a directory or another key's files.
const SIDECAR_SUFFIX = '~meta';
const DATA_INFIX = '~data-';
const TEMP_INFIX = '~tmp-';

/**
 * An {@link ObjectStore} in a local folder, for embedded mode. Object `a/b/c.csv` lives in
 * `<rootDir>/a/b/` as a data file `c.csv~data-<random>` and a sidecar `c.csv~meta` (JSON: size,
 * SHA-256, content type, retention, and the name of the data file). A write puts the bytes in a new
 * data file, then commits by renaming a temporary sidecar over the old one (atomic on POSIX), so a
 * reader sees the old object or the new one, never a mix; `ifAbsent` commits with `link`, which fails
 * when the sidecar exists. Overwrite and delete are refused while the injected clock is before
 * `retainUntil`. Within one process, operations on one key are serialised; other processes sharing
 * the folder are not coordinated (embedded mode runs one).
 */
export function createLocalObjectStore(options: LocalObjectStoreOptions): ObjectStore {
  const rootDir = options.rootDir;
  const clock = options.clock ?? systemClock;
  const locks = new Map<string, Promise<unknown>>();

  const withKeyLock = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.catch(() => undefined);
    locks.set(key, settled);
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key);
    });
    return current;
  };

  const locate = (key: string) => {
    const segments = key.split('/');
    const leaf = segments.pop() ?? key;
    const dir = join(rootDir, ...segments);
    return { dir, leaf, sidecar: join(dir, `${leaf}${SIDECAR_SUFFIX}`) };
  };

  const guard = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asUnavailable(operation, rootDir, error) ?? error;
    }
  };

  const readSidecar = async (key: string): Promise<Sidecar | null> => {
    try {
      return JSON.parse(await readFile(locate(key).sidecar, 'utf8')) as Sidecar;
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return null;
      throw error;
    }
  };

  const retainedUntil = (sidecar: Sidecar | null): Date | undefined => {
    if (sidecar?.retainUntil == null) return undefined;
    const until = new Date(sidecar.retainUntil);
    return until.getTime() > clock.now().getTime() ? until : undefined;
  };

  return {
    async put(key, body, putOptions = {}) {
      checkObjectKey(key);
      checkRetainUntil(putOptions.retainUntil, clock);
      await withKeyLock(key, () =>
        guard(`writing ${key}`, async () => {
          const existing = await readSidecar(key);
          if (existing !== null && putOptions.ifAbsent) throw new ObjectAlreadyExistsError(key);
          const until = retainedUntil(existing);
          if (until !== undefined) throw new ObjectRetainedError(key, until);

          const { dir, leaf, sidecar } = locate(key);
          await mkdir(dir, { recursive: true });
          const dataFile = `${leaf}${DATA_INFIX}${randomBytes(8).toString('hex')}`;
          await writeDurably(join(dir, dataFile), body);
          const record: Sidecar = {
            format: 1,
            key,
            size: body.byteLength,
            sha256: createHash('sha256').update(body).digest('hex'),
            contentType: putOptions.contentType ?? DEFAULT_CONTENT_TYPE,
            retainUntil: putOptions.retainUntil?.toISOString() ?? null,
            dataFile,
            storedAt: clock.now().toISOString(),
          };
          const temp = join(dir, `${leaf}${TEMP_INFIX}${randomBytes(8).toString('hex')}`);
          await writeDurably(temp, Buffer.from(JSON.stringify(record), 'utf8'));
          try {
            if (putOptions.ifAbsent) {
              await link(temp, sidecar);
              await unlink(temp);
            } else {
              await rename(temp, sidecar);
            }
          } catch (error) {
            await unlink(temp).catch(() => undefined);
            await unlink(join(dir, dataFile)).catch(() => undefined);
            if (codeOf(error) === 'EEXIST') throw new ObjectAlreadyExistsError(key);
            throw error;
          }
          await syncDirectory(dir);
          if (existing !== null) await unlink(join(dir, existing.dataFile)).catch(() => undefined);
        }),
      );
    },

    async get(key) {
      checkObjectKey(key);
      return withKeyLock(key, () =>
        guard(`reading ${key}`, async () => {
          const sidecar = await readSidecar(key);
          if (sidecar === null) return null;
          const bytes = await readFile(join(locate(key).dir, sidecar.dataFile));
          if (bytes.byteLength !== sidecar.size || createHash('sha256').update(bytes).digest('hex') !== sidecar.sha256) {
            throw new Error(`object ${key} is corrupt: its bytes do not match the size and SHA-256 recorded when it was stored`);
          }
          return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }),
      );
    },

    async head(key) {
      checkObjectKey(key);
      const sidecar = await guard(`reading metadata of ${key}`, () => readSidecar(key));
      if (sidecar === null) return null;
      return {
        size: sidecar.size,
        contentType: sidecar.contentType,
        ...(sidecar.retainUntil === null ? {} : { retainUntil: new Date(sidecar.retainUntil) }),
      };
    },

    async delete(key) {
      checkObjectKey(key);
      await withKeyLock(key, () =>
        guard(`deleting ${key}`, async () => {
          const sidecar = await readSidecar(key);
          if (sidecar === null) return;
          const until = retainedUntil(sidecar);
          if (until !== undefined) throw new ObjectRetainedError(key, until);
          const { dir, sidecar: sidecarPath } = locate(key);
          await unlink(sidecarPath);
          await unlink(join(dir, sidecar.dataFile)).catch(() => undefined);
        }),
      );
    },

    async list(prefix) {
      checkObjectPrefix(prefix);
      const start = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      return guard(`listing ${prefix === '' ? 'every key' : `keys under ${prefix}`}`, async () => {
        const keys: string[] = [];
        const walk = async (dir: string): Promise<void> => {
          let entries;
          try {
            entries = await readdir(dir, { withFileTypes: true });
          } catch (error) {
            if (codeOf(error) === 'ENOENT') return;
            throw error;
          }
          for (const entry of entries) {
            const path = join(dir, entry.name);
            if (entry.isDirectory()) await walk(path);
            else if (entry.isFile() && entry.name.endsWith(SIDECAR_SUFFIX)) {
              const key = relative(rootDir, path).split(sep).join(posix.sep).slice(0, -SIDECAR_SUFFIX.length);
              if (key.startsWith(prefix)) keys.push(key);
            }
          }
        };
        await walk(start === '' ? rootDir : join(rootDir, ...start.split('/')));
        return keys.sort();
      });
    },

    async ping() {
      await guard('checking the folder', async () => {
        await mkdir(rootDir, { recursive: true });
        await access(rootDir, constants.R_OK | constants.W_OK);
      });
    },
  };
}

/** Writes a new file and flushes it to disk before returning, so a crash cannot commit a sidecar pointing at missing bytes. */
async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory entry change (the rename) to disk; best effort where the platform cannot. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const STORAGE_CODES = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'ENOTDIR', 'EMFILE', 'ENFILE', 'EISDIR']);

function asUnavailable(operation: string, rootDir: string, error: unknown): ObjectStoreUnavailableError | undefined {
  const code = codeOf(error);
  if (code === undefined || !(error instanceof Error)) return undefined;
  if (code === 'EACCES' || code === 'EPERM') {
    return new ObjectStoreUnavailableError('permission-denied', `${operation}: folder ${rootDir} refuses access (${code})`, {
      cause: error,
    });
  }
  if (STORAGE_CODES.has(code)) {
    return new ObjectStoreUnavailableError('storage-error', `${operation}: folder ${rootDir} cannot be used (${code})`, {
      cause: error,
    });
  }
  return undefined;
}
