import { sql } from 'kysely';
import type { Generated, Kysely } from 'kysely';
import { openSecret, parseMasterKey, sealSecret } from './envelope-encryption.js';
import { checkBasePath, checkSecretPath } from './secret-path.js';
import { SecretStoreUnavailableError } from './secret-store.port.js';
import type { SecretStore } from './secret-store.port.js';

export interface LocalSecretStoreOptions {
  /** The service's database. The table comes from {@link localSecretStoreTableSql} in a migration. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any service's Kysely schema is accepted; this store only touches its own table.
  readonly db: Kysely<any>;
  /** PostgreSQL schema holding the `secret_versions` table, e.g. `ops`. */
  readonly schema: string;
  /** The subtree this store may reach, e.g. `ops/operators`. */
  readonly basePath: string;
  /** 32 bytes, base64 (`SECRETS_MASTER_KEY`), or the raw bytes. */
  readonly masterKey: string | Uint8Array;
}

interface SecretVersionsTable {
  path: string;
  version: number;
  master_key_id: string;
  key_iv: Buffer;
  wrapped_key: Buffer;
  key_tag: Buffer;
  data_iv: Buffer;
  ciphertext: Buffer;
  data_tag: Buffer;
  created_at: Generated<Date>;
}

interface LocalSecretTables {
  secret_versions: SecretVersionsTable;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`schema ${JSON.stringify(schema)} must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)`);
  }
  return schema;
}

/**
 * The table the local store needs, for the service's versioned migration (the down step is
 * `DROP TABLE <schema>.secret_versions`). Each row is one version of one secret: the data
 * encrypted under its own data key, the data key encrypted under the master key, both
 * AES-256-GCM with their IVs and tags; `path` is the full path (base path included).
 */
export function localSecretStoreTableSql(schema: string): string {
  const s = checkSchema(schema);
  return `CREATE TABLE ${s}.secret_versions (
  path          text        NOT NULL,
  version       integer     NOT NULL CHECK (version > 0),
  master_key_id text        NOT NULL,
  key_iv        bytea       NOT NULL,
  wrapped_key   bytea       NOT NULL,
  key_tag       bytea       NOT NULL,
  data_iv       bytea       NOT NULL,
  ciphertext    bytea       NOT NULL,
  data_tag      bytea       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (path, version)
);
COMMENT ON TABLE ${s}.secret_versions IS 'Envelope-encrypted secrets (embedded mode); written only by @sms/secrets.';
`;
}

/**
 * A {@link SecretStore} for embedded mode: every version of every secret is a row in PostgreSQL,
 * encrypted at rest with envelope encryption (a random AES-256-GCM data key per version, wrapped by
 * the master key; the path and version are authenticated data, so a row copied elsewhere fails to
 * decrypt). Versions are kept until the secret is deleted.
 */
export function createLocalSecretStore(options: LocalSecretStoreOptions): SecretStore {
  const masterKey = parseMasterKey(options.masterKey);
  const basePath = checkBasePath(options.basePath);
  // The caller's database type does not know this table; these are its columns.
  const db = (options.db as Kysely<LocalSecretTables>).withSchema(checkSchema(options.schema));
  const fullPath = (path: string): string => `${basePath}/${checkSecretPath(path)}`;

  const guard = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asUnavailable(operation, error) ?? error;
    }
  };

  return {
    async get(path) {
      const full = fullPath(path);
      const row = await guard(`reading secret ${full}`, () =>
        db
          .selectFrom('secret_versions')
          .selectAll()
          .where('path', '=', full)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirst(),
      );
      if (row === undefined) return null;
      const plaintext = openSecret(
        masterKey,
        {
          masterKeyId: row.master_key_id,
          keyIv: row.key_iv,
          wrappedKey: row.wrapped_key,
          keyTag: row.key_tag,
          dataIv: row.data_iv,
          ciphertext: row.ciphertext,
          dataTag: row.data_tag,
        },
        { path: full, version: row.version },
      );
      try {
        return JSON.parse(plaintext.toString('utf8')) as Record<string, string>;
      } finally {
        plaintext.fill(0);
      }
    },

    async put(path, data) {
      const full = fullPath(path);
      const plaintext = Buffer.from(JSON.stringify(checkData(data, full)), 'utf8');
      try {
        return await guard(`writing secret ${full}`, () =>
          db.transaction().execute(async (trx) => {
            // Serialises writers of one path, so two concurrent puts get versions n and n+1.
            await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sms-secrets:${full}`}, 0))`.execute(trx);
            const latest = await trx
              .selectFrom('secret_versions')
              .select((eb) => eb.fn.max('version').as('latest'))
              .where('path', '=', full)
              .executeTakeFirst();
            const version = Number(latest?.latest ?? 0) + 1;
            const sealed = sealSecret(masterKey, plaintext, { path: full, version });
            await trx
              .insertInto('secret_versions')
              .values({
                path: full,
                version,
                master_key_id: sealed.masterKeyId,
                key_iv: sealed.keyIv,
                wrapped_key: sealed.wrappedKey,
                key_tag: sealed.keyTag,
                data_iv: sealed.dataIv,
                ciphertext: sealed.ciphertext,
                data_tag: sealed.dataTag,
              })
              .execute();
            return { version };
          }),
        );
      } finally {
        plaintext.fill(0);
      }
    },

    async delete(path) {
      const full = fullPath(path);
      await guard(`deleting secret ${full}`, () => db.deleteFrom('secret_versions').where('path', '=', full).execute());
    },

    async ping() {
      const operation = `checking table ${options.schema}.secret_versions`;
      await guard(operation, async () => {
        try {
          await db.selectFrom('secret_versions').select(sql<number>`1`.as('one')).limit(1).execute();
        } catch (error) {
          if ((error as { code?: unknown } | null)?.code === '42P01') {
            throw new SecretStoreUnavailableError('not-ready', `${operation}: the table does not exist; run the migration`, {
              cause: error,
            });
          }
          throw error;
        }
      });
    },
  };
}

function checkData(data: Readonly<Record<string, string>>, path: string): Record<string, string> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`secret ${path}: data must be an object of strings`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') throw new TypeError(`secret ${path}: field ${JSON.stringify(key)} is not a string`);
  }
  return { ...data };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** The store-unavailable error for a database fault that means "cannot reach PostgreSQL", else `undefined`. */
function asUnavailable(operation: string, error: unknown): SecretStoreUnavailableError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  const message = error.message;
  const make = (reason: 'unreachable' | 'timeout' | 'not-ready'): SecretStoreUnavailableError =>
    new SecretStoreUnavailableError(reason, `${operation}: PostgreSQL is unavailable (${message})`, { cause: error });
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return make('unreachable');
    // SQLSTATE class 08: connection exception; 57P01-57P03: shutdown or cannot connect now; 53300: too many connections.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') {
      return make('not-ready');
    }
    if (code === '57014') return make('timeout');
  }
  if (/timeout exceeded when trying to connect|connection timeout/i.test(message)) return make('timeout');
  if (
    /Connection terminated|Cannot use a pool after calling end|driver has already been destroyed|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return make('unreachable');
  }
  return undefined;
}
