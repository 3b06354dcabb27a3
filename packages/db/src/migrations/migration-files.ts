import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationError } from './migration.error.js';

/** One versioned migration: `NNNN_<name>.up.sql` and its `NNNN_<name>.down.sql`. */
export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly upSql: string;
  readonly downSql: string;
  /** sha256 (hex) of the up file with line endings normalised; stored when applied. */
  readonly checksum: string;
}

const FILE_NAME = /^(\d{4,})_([a-z0-9][a-z0-9_]*)\.(up|down)\.sql$/;

/** sha256 of the SQL with CRLF turned into LF, so a checkout on Windows does not change it. */
export const migrationChecksum = (sql: string): string =>
  createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

/**
 * Reads a migration folder. Every `.sql` file must be named `NNNN_<name>.up.sql` or
 * `NNNN_<name>.down.sql` (lower-case name), every version needs both files, and versions are
 * unique; anything else is refused before a single statement runs. Other files are ignored.
 */
export async function loadMigrations(dir: string): Promise<MigrationFile[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (cause) {
    throw new MigrationError('MIGRATIONS_DIR_UNREADABLE', `cannot read migration folder ${dir}`, { cause });
  }
  const byVersion = new Map<number, { name: string; up?: string; down?: string }>();
  for (const entry of entries.sort()) {
    if (!entry.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(entry);
    if (!match) {
      throw new MigrationError(
        'BAD_FILE_NAME',
        `${join(dir, entry)} is not named NNNN_<name>.up.sql or NNNN_<name>.down.sql (lower case, digits and _)`,
      );
    }
    const [, digits = '', name = '', direction] = match;
    const version = Number(digits);
    const slot = byVersion.get(version) ?? { name };
    if (slot.name !== name) {
      throw new MigrationError('DUPLICATE_VERSION', `${dir} has two migrations numbered ${digits}: ${slot.name} and ${name}`);
    }
    const sql = await readFile(join(dir, entry), 'utf8');
    if (direction === 'up') {
      if (slot.up !== undefined) throw new MigrationError('DUPLICATE_VERSION', `${dir} has two up files numbered ${digits}`);
      slot.up = sql;
    } else {
      if (slot.down !== undefined) throw new MigrationError('DUPLICATE_VERSION', `${dir} has two down files numbered ${digits}`);
      slot.down = sql;
    }
    byVersion.set(version, slot);
  }
  const migrations: MigrationFile[] = [];
  for (const [version, slot] of [...byVersion.entries()].sort(([a], [b]) => a - b)) {
    const label = `${String(version).padStart(4, '0')}_${slot.name}`;
    if (slot.up === undefined) throw new MigrationError('MISSING_UP', `${dir}: migration ${label} has a down file but no up file`);
    if (slot.down === undefined) {
      throw new MigrationError('MISSING_DOWN', `${dir}: migration ${label} has no down file (${label}.down.sql); every migration needs one`);
    }
    migrations.push({ version, name: slot.name, upSql: slot.up, downSql: slot.down, checksum: migrationChecksum(slot.up) });
  }
  return migrations;
}
