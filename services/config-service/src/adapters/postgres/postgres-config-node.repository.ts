import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { ConfigNodeRepository } from '../../application/ports/config-node.repository.port.js';
import type { ConfigNode } from '../../domain/config-node.js';
import type { ConfigValue } from '../../domain/config-value.js';
import type { ConfigDatabase, ConfigNodesTable } from './config-database.js';

type Row = Selectable<ConfigNodesTable>;

const toNode = (row: Row): ConfigNode => ({
  id: row.id,
  level: row.level,
  name: row.name,
  parentId: row.parent_id,
  path: row.path,
  tenantId: row.tenant_id,
  isTenantRoot: row.is_tenant_root,
  overrides: row.overrides as Record<string, ConfigValue>,
  locks: [...row.locks].sort(),
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

// Number of '/' in the path: the depth, for "shallowest first".
const depth = sql<number>`length(path) - length(replace(path, '/', ''))`;

/**
 * Live configuration nodes in `<schema>.config_nodes`, inside the transaction it is given.
 * Row-level security decides what the transaction may see; deleted rows (`deleted_at` set) are
 * filtered here. Subtrees are one range scan of the C-collated path index: `path > '<p>/'` and
 * `path < '<p>0'` (no LIKE, so `_` in names is not a wildcard).
 */
export class PostgresConfigNodeRepository implements ConfigNodeRepository {
  constructor(
    private readonly trx: Kysely<ConfigDatabase>,
    private readonly schema: string,
  ) {}

  private live() {
    return this.trx.withSchema(this.schema).selectFrom('config_nodes').selectAll().where('deleted_at', 'is', null);
  }

  async findById(id: string): Promise<ConfigNode | null> {
    const row = await this.live().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toNode(row);
  }

  async findByPath(path: string): Promise<ConfigNode | null> {
    const row = await this.live().where('path', '=', path).executeTakeFirst();
    return row === undefined ? null : toNode(row);
  }

  async findByPaths(paths: readonly string[]): Promise<ConfigNode[]> {
    if (paths.length === 0) return [];
    const rows = await this.live().where('path', 'in', [...paths]).execute();
    return rows.map(toNode);
  }

  async findTenantRoot(tenantId: string): Promise<ConfigNode | null> {
    const row = await this.live().where('tenant_id', '=', tenantId).where('is_tenant_root', '=', true).executeTakeFirst();
    return row === undefined ? null : toNode(row);
  }

  async findSubtree(path: string): Promise<ConfigNode[]> {
    const rows = await this.live()
      .where((eb) => eb.or([eb('path', '=', path), eb.and([eb('path', '>', `${path}/`), eb('path', '<', `${path}0`)])]))
      .orderBy(depth)
      .orderBy('path')
      .execute();
    return rows.map(toNode);
  }

  async findWithOverride(key: string): Promise<ConfigNode[]> {
    const rows = await this.live().where(sql<boolean>`overrides ? ${key}`).orderBy('path').execute();
    return rows.map(toNode);
  }

  async insert(node: ConfigNode): Promise<'inserted' | 'path-taken'> {
    // Any unique violation (live path, or a second root of the tenant) means the place is taken.
    const result = await this.trx
      .withSchema(this.schema)
      .insertInto('config_nodes')
      .values({
        id: node.id,
        level: node.level,
        name: node.name,
        parent_id: node.parentId,
        path: node.path,
        tenant_id: node.tenantId,
        is_tenant_root: node.isTenantRoot,
        overrides: JSON.stringify(node.overrides),
        locks: [...node.locks],
        version: node.version,
        created_at: node.createdAt,
        updated_at: node.updatedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n ? 'inserted' : 'path-taken';
  }

  async update(node: ConfigNode, expectedVersion: number): Promise<boolean> {
    const result = await this.trx
      .withSchema(this.schema)
      .updateTable('config_nodes')
      .set({
        overrides: JSON.stringify(node.overrides),
        locks: [...node.locks],
        version: node.version,
        updated_at: node.updatedAt,
      })
      .where('id', '=', node.id)
      .where('version', '=', expectedVersion)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async move(node: ConfigNode, fromPath: string, expectedVersion: number): Promise<'moved' | 'stale' | 'path-taken'> {
    const table = this.trx.withSchema(this.schema);
    const taken = await this.live().where('path', '=', node.path).where('id', '<>', node.id).executeTakeFirst();
    if (taken !== undefined) return 'path-taken';
    const moved = await table
      .updateTable('config_nodes')
      .set({
        parent_id: node.parentId,
        path: node.path,
        overrides: JSON.stringify(node.overrides),
        locks: [...node.locks],
        version: node.version,
        updated_at: node.updatedAt,
      })
      .where('id', '=', node.id)
      .where('version', '=', expectedVersion)
      .where('path', '=', fromPath)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n) return 'stale';
    await table
      .updateTable('config_nodes')
      .set({ path: sql<string>`${node.path} || substr(path, ${fromPath.length + 1})` })
      .where('deleted_at', 'is', null)
      .where('path', '>', `${fromPath}/`)
      .where('path', '<', `${fromPath}0`)
      .execute();
    return 'moved';
  }

  async remove(nodeId: string, expectedVersion: number): Promise<boolean> {
    const result = await this.trx
      .withSchema(this.schema)
      .updateTable('config_nodes')
      .set({ deleted_at: sql<string>`now()`, version: sql<number>`version + 1`, updated_at: sql<string>`now()` })
      .where('id', '=', nodeId)
      .where('version', '=', expectedVersion)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
