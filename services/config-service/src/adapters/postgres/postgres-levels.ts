import type { Kysely } from 'kysely';
import { withSystem } from '@sms/db';
import { ConfigLevels } from '../../domain/config-levels.js';
import type { ConfigDatabase } from './config-database.js';

/**
 * Reads the levels of the hierarchy (seeded by migration, data not code) and validates them.
 * Called at start-up: a change of levels is a migration plus a restart.
 *
 * @throws Error when the stored levels are not a valid hierarchy (a broken migration).
 */
export async function loadLevels(db: Kysely<ConfigDatabase>, schema: string, systemRole: string): Promise<ConfigLevels> {
  const rows = await withSystem(db, { role: systemRole }, (trx) =>
    trx.withSchema(schema).selectFrom('levels').selectAll().orderBy('position').execute(),
  );
  const levels = ConfigLevels.define(
    rows.map((r) => ({ name: r.name, parents: r.parents, ownsTenant: r.owns_tenant, description: r.description })),
  );
  if (!levels.ok) throw new Error(`the stored configuration levels are invalid: ${levels.error.message}`);
  return levels.value;
}
