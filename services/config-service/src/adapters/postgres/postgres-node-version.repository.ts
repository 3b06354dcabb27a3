import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { quoteIdentifier } from '@sms/db';
import type { NodeVersionRepository } from '../../application/ports/node-version.repository.port.js';
import type { ChangeKind, KeyDiff, NodeState, NodeVersion } from '../../domain/node-version.js';
import type { ConfigDatabase, NodeVersionsTable } from './config-database.js';

const toVersion = (row: Selectable<NodeVersionsTable>): NodeVersion => ({
  nodeId: row.node_id,
  version: row.version,
  change: row.change as ChangeKind,
  author: row.author,
  reason: row.reason,
  at: row.at.toISOString(),
  diff: row.diff as KeyDiff[],
  state: row.state as unknown as NodeState,
  rolledBackTo: row.rolled_back_to,
});

/**
 * The append-only history in `<schema>.node_versions`. Each row carries the tenant of its node,
 * copied from the node row in the same statement, so row-level security keeps a tenant's history
 * inside the tenant. No UPDATE or DELETE policy exists for it.
 */
export class PostgresNodeVersionRepository implements NodeVersionRepository {
  constructor(
    private readonly trx: Kysely<ConfigDatabase>,
    private readonly schema: string,
  ) {}

  async append(version: NodeVersion): Promise<void> {
    const nodes = sql.raw(`${quoteIdentifier(this.schema, 'schema')}.config_nodes`);
    const versions = sql.raw(`${quoteIdentifier(this.schema, 'schema')}.node_versions`);
    const result = await sql`
      INSERT INTO ${versions} (node_id, version, tenant_id, change, author, reason, at, diff, state, rolled_back_to)
      SELECT n.id, ${version.version}, n.tenant_id, ${version.change}, ${version.author}, ${version.reason}, ${version.at},
             ${JSON.stringify(version.diff)}::jsonb, ${JSON.stringify(version.state)}::jsonb, ${version.rolledBackTo}
      FROM ${nodes} n WHERE n.id = ${version.nodeId}`.execute(this.trx);
    if (result.numAffectedRows !== 1n) throw new Error(`cannot append version ${version.version}: node ${version.nodeId} is not visible`);
  }

  async find(nodeId: string, version: number): Promise<NodeVersion | null> {
    const row = await this.trx
      .withSchema(this.schema)
      .selectFrom('node_versions')
      .selectAll()
      .where('node_id', '=', nodeId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row === undefined ? null : toVersion(row);
  }

  async list(nodeId: string, options: { readonly limit: number; readonly beforeVersion?: number }): Promise<NodeVersion[]> {
    let query = this.trx.withSchema(this.schema).selectFrom('node_versions').selectAll().where('node_id', '=', nodeId);
    if (options.beforeVersion !== undefined) query = query.where('version', '<', options.beforeVersion);
    const rows = await query.orderBy('version', 'desc').limit(options.limit).execute();
    return rows.map(toVersion);
  }
}
