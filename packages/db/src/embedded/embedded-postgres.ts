import { constants as fsConstants } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import pg from 'pg';
import { loadEmbeddedPostgres } from './reachable-package.js';

export interface EmbeddedPostgresOptions {
  /** Folder of the cluster's files; created and initialised when missing or empty, reused otherwise. */
  readonly dataDir: string;
  /** Default 54329, apart from a system server on 5432. */
  readonly port?: number;
  /** Default `postgres`. */
  readonly user?: string;
  /** Default `postgres`. The server listens on 127.0.0.1 only. */
  readonly password?: string;
  /** Receives the server's log lines. Default: kept in memory and shown only when start-up fails. */
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` maintenance database. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast shutdown); the data folder stays. Idempotent. */
  stop(): Promise<void>;
}

export const EMBEDDED_POSTGRES_DEFAULT_PORT = 54329;

/** Thrown when the embedded server cannot be initialised or started; the message carries its last log lines. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

/**
 * Starts a real PostgreSQL 15 server from the binaries of the `embedded-postgres` package.
 *
 * PostgreSQL refuses to run as root; when this process is root the server runs as the OS user
 * `postgres` (created by the package if missing, `createPostgresUser`), which must own the data
 * folder and be able to reach it, so every folder above it must be traversable by others.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? EMBEDDED_POSTGRES_DEFAULT_PORT;
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const recentLog: string[] = [];
  const onLog = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      options.onLog?.(line);
      recentLog.push(line);
      if (recentLog.length > 40) recentLog.shift();
    }
  };
  const fail = (what: string, cause: unknown): EmbeddedPostgresError =>
    new EmbeddedPostgresError(
      `embedded PostgreSQL ${what} (data ${dataDir}, port ${port}): ${describeCause(cause)}\n${recentLog.join('\n')}`,
    );

  const runningAsRoot = userInfo().uid === 0;
  await mkdir(dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runningAsRoot) await assertReachableByOthers(dirname(dataDir));

  // Loaded here, not at the top: the package looks up its binaries and installs process exit
  // hooks when loaded, which only the processes that run a server should pay for.
  const { default: EmbeddedPostgresServer } = await loadEmbeddedPostgres(runningAsRoot);
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: onLog,
  });

  if (!(await isInitialised(dataDir))) {
    try {
      await server.initialise();
    } catch (cause) {
      throw fail('could not be initialised', cause);
    }
  }
  try {
    await server.start();
  } catch (cause) {
    throw fail('did not start', cause);
  }

  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () => {
      stopping ??= server.stop();
      return stopping;
    },
  };
}

/** True when a server answers on `url`; used to reuse an embedded server another process started. */
export async function isPostgresReachable(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function isInitialised(dataDir: string): Promise<boolean> {
  const entries = await readdir(dataDir);
  if (entries.length === 0) return false;
  if (entries.includes('PG_VERSION')) return true;
  throw new EmbeddedPostgresError(`embedded PostgreSQL data folder ${dataDir} is not empty but holds no cluster (no PG_VERSION)`);
}

async function assertReachableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current);
    if ((info.mode & fsConstants.S_IXOTH) === 0) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL runs as the OS user postgres, which cannot enter ${current} (mode ${(info.mode & 0o777).toString(8)}); ` +
          'make it traversable (chmod o+x) or choose a data folder elsewhere',
      );
    }
    if (dirname(current) === current) break;
  }
}

// The package rejects with `undefined` when the server process exits during start-up.
function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (cause === undefined || cause === null) return 'the server exited';
  return typeof cause === 'string' ? cause : JSON.stringify(cause);
}
