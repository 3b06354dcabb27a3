import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { createDatabase } from '../database.js';
import { quoteIdentifier } from '../identifiers.js';
import { loadMigrations } from './migration-files.js';
import type { MigrationFile } from './migration-files.js';
import { MigrationError } from './migration.error.js';
import { renderMigrationSql } from './placeholders.js';
import type { MigrationPlaceholders } from './placeholders.js';

/** Where to migrate: an open Kysely instance (left open) or a URL (connected and closed here). */
export type MigrationTarget<DB> = { readonly db: Kysely<DB> } | { readonly url: string };

export type MigrateOptions<DB> = MigrationTarget<DB> & {
  /** The service's schema; created if missing. Holds the tracking table `schema_migrations`. */
  readonly schema: string;
  /** Folder of `NNNN_<name>.up.sql` / `.down.sql` files. */
  readonly dir: string;
  readonly direction: 'up' | 'down';
  /** How many migrations to apply (up: default all pending) or revert (down: default 1). */
  readonly steps?: number;
  /** Values for `{{app_role}}` and `{{system_role}}` (`{{schema}}` is `schema`). */
  readonly roles?: { readonly app_role?: string; readonly system_role?: string };
};

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

export interface MigrateResult {
  readonly schema: string;
  readonly direction: 'up' | 'down';
  /** Migrations applied (up) or reverted (down) by this call, in the order they ran. */
  readonly migrations: readonly AppliedMigration[];
}

export interface MigrationStatus {
  readonly schema: string;
  readonly applied: readonly (AppliedMigration & { readonly appliedAt: Date })[];
  readonly pending: readonly AppliedMigration[];
}

interface TrackedRow {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

// First key of the two-int advisory lock: the same for every schema, so the lock is "migrating <schema>".
const LOCK_NAMESPACE = 'sms.migrate';

/**
 * Applies (`up`) or reverts (`down`) versioned SQL migrations of one schema.
 *
 * - A session advisory lock per schema makes concurrent callers (two replicas starting) wait for
 *   each other; the second one then finds nothing left to do.
 * - Each migration runs in its own transaction with `search_path` set to the schema, and its row
 *   in `<schema>.schema_migrations` is written in that same transaction.
 * - Refused before anything runs: an applied migration whose up file changed (checksum) or
 *   disappeared, a pending migration numbered below an applied one, a missing down file, an
 *   unknown `{{placeholder}}`.
 *
 * @throws MigrationError
 */
export async function migrate<DB>(options: MigrateOptions<DB>): Promise<MigrateResult> {
  const steps = options.steps;
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) {
    throw new MigrationError('BAD_STEPS', `steps must be a positive integer, got ${steps}`);
  }
  const files = await loadMigrations(options.dir);
  const placeholders: MigrationPlaceholders = { schema: options.schema, ...options.roles };
  const schema = quoteIdentifier(options.schema, 'schema');
  return withTarget(options, (db) =>
    withMigrationLock(db, options.schema, async (conn) => {
      await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`).execute(conn);
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
             version integer PRIMARY KEY,
             name text NOT NULL,
             checksum text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
           )`,
        )
        .execute(conn);
      const applied = await readTracked(conn, schema);
      const pending = plan(options.dir, files, applied);
      const done: AppliedMigration[] = [];
      if (options.direction === 'up') {
        for (const file of pending.slice(0, steps ?? pending.length)) {
          await runInTransaction(conn, schema, file, 'up', renderMigrationSql(file.upSql, placeholders, label(options.dir, file, 'up')));
          done.push({ version: file.version, name: file.name });
        }
      } else {
        const byVersion = new Map(files.map((f) => [f.version, f]));
        for (const row of [...applied].reverse().slice(0, steps ?? 1)) {
          const file = byVersion.get(row.version);
          if (!file) throw new Error(`unreachable: applied migration ${row.version} was checked to have a file`);
          await runInTransaction(conn, schema, file, 'down', renderMigrationSql(file.downSql, placeholders, label(options.dir, file, 'down')));
          done.push({ version: file.version, name: file.name });
        }
      }
      return { schema: options.schema, direction: options.direction, migrations: done };
    }),
  );
}

/** Which migrations of `dir` are applied to `schema` and which are pending; changes nothing. */
export async function migrationStatus<DB>(
  options: MigrationTarget<DB> & { readonly schema: string; readonly dir: string },
): Promise<MigrationStatus> {
  const files = await loadMigrations(options.dir);
  const schema = quoteIdentifier(options.schema, 'schema');
  return withTarget(options, async (db) => {
    const exists = await sql<{ found: boolean }>`SELECT to_regclass(${`${schema}.schema_migrations`}) IS NOT NULL AS found`.execute(db);
    const applied = exists.rows[0]?.found ? await readTracked(db, schema) : [];
    const pending = plan(options.dir, files, applied);
    return {
      schema: options.schema,
      applied: applied.map((row) => ({ version: row.version, name: row.name, appliedAt: row.applied_at })),
      pending: pending.map((file) => ({ version: file.version, name: file.name })),
    };
  });
}

async function withTarget<DB, T>(target: MigrationTarget<DB>, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if ('db' in target) return fn(target.db);
  const database = createDatabase<DB>({ url: target.url, poolMax: 1, applicationName: 'sms-migrate' });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function withMigrationLock<DB, T>(db: Kysely<DB>, schemaName: string, fn: (conn: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext(${LOCK_NAMESPACE}), hashtext(${schemaName}))`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${LOCK_NAMESPACE}), hashtext(${schemaName}))`.execute(conn);
    }
  });
}

async function readTracked<DB>(db: Kysely<DB>, schema: string): Promise<TrackedRow[]> {
  const result = await sql<TrackedRow>`SELECT version, name, checksum, applied_at FROM ${sql.raw(schema)}.schema_migrations ORDER BY version`.execute(db);
  return result.rows;
}

/** Checks applied rows against the files and returns the pending files in version order. */
function plan(dir: string, files: readonly MigrationFile[], applied: readonly TrackedRow[]): MigrationFile[] {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    const tag = `${String(row.version).padStart(4, '0')}_${row.name}`;
    if (!file) {
      throw new MigrationError('APPLIED_FILE_MISSING', `migration ${tag} is applied but ${dir} has no file for version ${row.version}`);
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'CHECKSUM_MISMATCH',
        `migration ${tag} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… stored, ${file.checksum.slice(0, 12)}… on disk); ` +
          'never edit an applied migration: restore the file and add a new migration instead',
      );
    }
  }
  const appliedVersions = new Set(applied.map((row) => row.version));
  const highest = applied.at(-1)?.version ?? 0;
  const pending = files.filter((f) => !appliedVersions.has(f.version));
  const early = pending.find((f) => f.version < highest);
  if (early) {
    throw new MigrationError(
      'OUT_OF_ORDER',
      `migration ${label(dir, early, 'up')} is numbered below the latest applied version ${highest}; renumber it after ${highest}`,
    );
  }
  return pending;
}

async function runInTransaction<DB>(
  conn: Kysely<DB>,
  schema: string,
  file: MigrationFile,
  direction: 'up' | 'down',
  body: string,
): Promise<void> {
  try {
    await conn.transaction().execute(async (trx) => {
      await sql.raw(`SET LOCAL search_path TO ${schema}, public`).execute(trx);
      await sql.raw(body).execute(trx);
      if (direction === 'up') {
        await sql`INSERT INTO ${sql.raw(schema)}.schema_migrations (version, name, checksum) VALUES (${file.version}, ${file.name}, ${file.checksum})`.execute(trx);
      } else {
        await sql`DELETE FROM ${sql.raw(schema)}.schema_migrations WHERE version = ${file.version}`.execute(trx);
      }
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new MigrationError('MIGRATION_FAILED', `migration ${String(file.version).padStart(4, '0')}_${file.name} (${direction}) failed and was rolled back: ${reason}`, {
      cause,
    });
  }
}

const label = (dir: string, file: MigrationFile, direction: 'up' | 'down'): string =>
  `${dir}/${String(file.version).padStart(4, '0')}_${file.name}.${direction}.sql`;
