import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSafeIdentifier } from '../identifiers.js';
import { MigrationError } from './migration.error.js';

/** A service's migration folder and the schema it migrates. */
export interface ServiceMigrations {
  /** The service folder name, e.g. `sms-orchestrator`. */
  readonly service: string;
  /** From `migrations/schema.txt`, e.g. `orch`. */
  readonly schema: string;
  readonly dir: string;
  /** `<schema>_app`: the role its requests run as (tenant-scoped). */
  readonly appRole: string;
  /** `<schema>_system`: the role its cross-tenant jobs run as. */
  readonly systemRole: string;
}

/** The role names a service's schema implies; services and the migrate CLI share them. */
export const serviceRoles = (schema: string): { readonly appRole: string; readonly systemRole: string } => ({
  appRole: `${schema}_app`,
  systemRole: `${schema}_system`,
});

/**
 * Finds `services/<name>/migrations/` folders under `rootDir`. Each folder with SQL files must
 * hold a `schema.txt` whose single line names the service's PostgreSQL schema; folders without
 * SQL or schema.txt are skipped. Sorted by service name.
 */
export async function discoverServiceMigrations(rootDir: string): Promise<ServiceMigrations[]> {
  const servicesDir = join(rootDir, 'services');
  let names: string[];
  try {
    names = (await readdir(servicesDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const found: ServiceMigrations[] = [];
  for (const service of names.sort()) {
    const dir = join(servicesDir, service, 'migrations');
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue;
    }
    if (!entries.includes('schema.txt')) {
      // A service without a database keeps an empty folder; SQL without a schema is a mistake.
      if (!entries.some((e) => e.endsWith('.sql'))) continue;
      throw new MigrationError('BAD_SERVICE_LAYOUT', `${dir} has no schema.txt naming the service's schema`);
    }
    const schema = (await readFile(join(dir, 'schema.txt'), 'utf8')).trim();
    if (!isSafeIdentifier(schema)) {
      throw new MigrationError('BAD_SERVICE_LAYOUT', `${join(dir, 'schema.txt')} must hold one lower-case schema name, got ${JSON.stringify(schema)}`);
    }
    found.push({ service, schema, dir, ...serviceRoles(schema) });
  }
  const seen = new Map<string, string>();
  for (const entry of found) {
    const other = seen.get(entry.schema);
    if (other) throw new MigrationError('BAD_SERVICE_LAYOUT', `services ${other} and ${entry.service} both claim schema ${entry.schema}`);
    seen.set(entry.schema, entry.service);
  }
  return found;
}
