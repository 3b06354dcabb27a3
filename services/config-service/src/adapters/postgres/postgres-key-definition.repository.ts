import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { KeyDefinitionRepository } from '../../application/ports/key-definition.repository.port.js';
import type { KeyDefinition, KeySchema } from '../../domain/key-definition.js';
import type { ConfigDatabase, KeyDefinitionsTable } from './config-database.js';

// C collation: the same order as the in-memory adapter's code-point sort of ASCII names.
const byKeyName = sql`key COLLATE "C"`;

export const toKeyDefinition = (row: Selectable<KeyDefinitionsTable>): KeyDefinition => ({
  key: row.key,
  schema: row.schema as unknown as KeySchema,
  description: row.description,
  sensitive: row.sensitive,
  ownerService: row.owner_service,
  deprecated: row.deprecated,
  version: row.version,
  definedAt: row.defined_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** The key catalogue in `<schema>.key_definitions` (readable by every transaction, written only by the system role). */
export class PostgresKeyDefinitionRepository implements KeyDefinitionRepository {
  constructor(
    private readonly trx: Kysely<ConfigDatabase>,
    private readonly schema: string,
  ) {}

  async find(key: string): Promise<KeyDefinition | null> {
    const row = await this.trx.withSchema(this.schema).selectFrom('key_definitions').selectAll().where('key', '=', key).executeTakeFirst();
    return row === undefined ? null : toKeyDefinition(row);
  }

  async list(): Promise<KeyDefinition[]> {
    const rows = await this.trx.withSchema(this.schema).selectFrom('key_definitions').selectAll().orderBy(byKeyName).execute();
    return rows.map(toKeyDefinition);
  }

  async insert(definition: KeyDefinition): Promise<boolean> {
    const result = await this.trx
      .withSchema(this.schema)
      .insertInto('key_definitions')
      .values({
        key: definition.key,
        schema: JSON.stringify(definition.schema),
        description: definition.description,
        sensitive: definition.sensitive,
        owner_service: definition.ownerService,
        deprecated: definition.deprecated,
        version: definition.version,
        defined_at: definition.definedAt,
        updated_at: definition.updatedAt,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  async update(definition: KeyDefinition, expectedVersion: number): Promise<boolean> {
    const result = await this.trx
      .withSchema(this.schema)
      .updateTable('key_definitions')
      .set({
        schema: JSON.stringify(definition.schema),
        description: definition.description,
        sensitive: definition.sensitive,
        owner_service: definition.ownerService,
        deprecated: definition.deprecated,
        version: definition.version,
        updated_at: definition.updatedAt,
      })
      .where('key', '=', definition.key)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
