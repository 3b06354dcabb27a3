import { join } from 'node:path';
import { ensureDatabase, withDatabaseName } from '../ensure-database.js';
import { EMBEDDED_POSTGRES_DEFAULT_PORT, isPostgresReachable, startEmbeddedPostgres } from './embedded-postgres.js';

/** Where embedded mode keeps its cluster, relative to the repository root. */
export const EMBEDDED_DATA_DIR = join('.data', 'postgres');
/** The one database of embedded mode; each service has its schema in it. */
export const EMBEDDED_DATABASE_NAME = 'sms';

export interface EmbeddedDatabaseOptions {
  /** Default `<cwd>/.data/postgres`. */
  readonly dataDir?: string;
  readonly port?: number;
  readonly database?: string;
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** URL of the platform database (superuser). */
  readonly url: string;
  /** False when a server was already running on the port (another process started it). */
  readonly startedHere: boolean;
  /** Stops the server if this call started it; otherwise does nothing. */
  stop(): Promise<void>;
}

/**
 * The database of embedded mode: reuses the embedded server if one already answers on the port
 * (the platform running while `npm run migrate` is called), starts it otherwise, and creates the
 * platform database if missing.
 */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  const port = options.port ?? EMBEDDED_POSTGRES_DEFAULT_PORT;
  const database = options.database ?? EMBEDDED_DATABASE_NAME;
  const runningUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  if (await isPostgresReachable(runningUrl)) {
    return { url: await ensureDatabase(runningUrl, database), startedHere: false, stop: () => Promise.resolve() };
  }
  const server = await startEmbeddedPostgres({
    dataDir: options.dataDir ?? join(process.cwd(), EMBEDDED_DATA_DIR),
    port,
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  try {
    await ensureDatabase(server.url, database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: withDatabaseName(server.url, database), startedHere: true, stop: () => server.stop() };
}
