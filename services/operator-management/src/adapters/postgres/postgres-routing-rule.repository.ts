import { sql } from 'kysely';
import { EMPTY_RULE_SET, type RoutingRule, type RoutingRuleSet } from '../../domain/routing-rule.js';
import type { OpsEvent } from '../../domain/operator-events.js';
import type { RoutingRuleRepository } from '../../application/ports/routing-rule.repository.port.js';
import { OPS_SCHEMA, appendEvents, inTransaction, type OpsDatabase } from './ops-tables.js';

/**
 * The versioned routing rule set in `ops.routing_rule_sets`: one row per version, rules as JSONB,
 * every version kept. Replacing inserts version `expected + 1` only while the latest is `expected`;
 * two concurrent replacements both try the same version number and the primary key lets one in.
 */
export class PostgresRoutingRuleRepository implements RoutingRuleRepository {
  constructor(private readonly database: OpsDatabase) {}

  async current(): Promise<RoutingRuleSet> {
    return inTransaction(this.database, async (trx) => {
      const row = await trx
        .withSchema(OPS_SCHEMA)
        .selectFrom('routing_rule_sets')
        .select(['version', 'rules', 'created_at'])
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row) return EMPTY_RULE_SET;
      return { version: row.version, rules: row.rules as RoutingRule[], updatedAt: row.created_at };
    });
  }

  async replace(next: RoutingRuleSet, expectedVersion: number, events: readonly OpsEvent[]): Promise<'replaced' | 'version_conflict'> {
    if (next.version !== expectedVersion + 1) throw new Error(`the next version must be ${expectedVersion + 1}, not ${next.version}`);
    if (next.updatedAt === null) throw new Error('a stored rule set has the time it was stored');
    const createdAt = next.updatedAt;
    return inTransaction(this.database, async (trx) => {
      const table = sql.raw(`"${OPS_SCHEMA}".routing_rule_sets`);
      const inserted = await sql<{ version: number }>`
        INSERT INTO ${table} (version, rules, created_at)
        SELECT ${next.version}, ${JSON.stringify(next.rules)}::jsonb, ${createdAt}
        WHERE COALESCE((SELECT max(version) FROM ${table}), 0) = ${expectedVersion}
        ON CONFLICT (version) DO NOTHING
        RETURNING version`.execute(trx);
      if (inserted.rows.length === 0) return 'version_conflict';
      await appendEvents(trx, events);
      return 'replaced';
    });
  }

  /** Every stored version, oldest first (audit). */
  async history(): Promise<RoutingRuleSet[]> {
    return inTransaction(this.database, async (trx) => {
      const rows = await trx.withSchema(OPS_SCHEMA).selectFrom('routing_rule_sets').select(['version', 'rules', 'created_at']).orderBy('version').execute();
      return rows.map((row) => ({ version: row.version, rules: row.rules as RoutingRule[], updatedAt: row.created_at }));
    });
  }
}
