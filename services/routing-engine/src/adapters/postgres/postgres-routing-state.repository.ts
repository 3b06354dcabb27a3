import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { quoteIdentifier, withSystem } from '@sms/db';
import type { OperatorConnection, OperatorHealth, OperatorSnapshot, RoutingRule, RuleSet, ConnectionHealth } from '../../domain/routing-model.js';
import type { RoutingState } from '../../domain/routing-state.js';
import type { RoutingStateRepository } from '../../application/ports/routing-state.repository.port.js';

interface RuleSetRow {
  version: number;
  rules: RoutingRule[];
  changed_at: Date;
}
interface OperatorRow {
  operator_id: string;
  code: string;
  status: OperatorSnapshot['status'];
  version: number;
  connections: OperatorConnection[];
}
interface HealthRow {
  operator_id: string;
  state: OperatorHealth['state'];
  connections: ConnectionHealth[];
  changed_at: Date;
}

/**
 * The projection's tables (`rule_set`, `operators`, `operator_health`, migration 0002). Every
 * statement runs as the service's system role (these are platform data, read and written by the
 * event consumer and the reload job, never on behalf of a tenant). Saves are single conditional
 * upserts (`ON CONFLICT … DO UPDATE … WHERE stored < incoming`), so two consumers racing on one row
 * keep the newest.
 */
export class PostgresRoutingStateRepository implements RoutingStateRepository {
  private readonly schema: string;

  constructor(
    private readonly db: Kysely<unknown>,
    schema: string,
    private readonly systemRole: string,
  ) {
    this.schema = quoteIdentifier(schema, 'schema');
  }

  load(): Promise<RoutingState> {
    return withSystem(this.db, { role: this.systemRole }, async (trx) => {
      const ruleSets = await sql<RuleSetRow>`SELECT version, rules, changed_at FROM ${this.table('rule_set')}`.execute(trx);
      const operators = await sql<OperatorRow>`
        SELECT operator_id, code, status, version, connections FROM ${this.table('operators')}`.execute(trx);
      const health = await sql<HealthRow>`
        SELECT operator_id, state, connections, changed_at FROM ${this.table('operator_health')}`.execute(trx);
      const ruleSetRow = ruleSets.rows[0];
      return {
        ruleSet: ruleSetRow ? { version: ruleSetRow.version, rules: ruleSetRow.rules, changedAt: ruleSetRow.changed_at } : null,
        operators: new Map(
          operators.rows.map((row) => [
            row.operator_id,
            { id: row.operator_id, code: row.code, status: row.status, version: row.version, connections: row.connections },
          ]),
        ),
        health: new Map(
          health.rows.map((row) => [
            row.operator_id,
            { operatorId: row.operator_id, state: row.state, connections: row.connections, changedAt: row.changed_at },
          ]),
        ),
      };
    });
  }

  saveRuleSet(ruleSet: RuleSet): Promise<boolean> {
    return this.upsert(sql`
      INSERT INTO ${this.table('rule_set')} AS stored (singleton, version, rules, changed_at)
      VALUES (true, ${ruleSet.version}, ${JSON.stringify(ruleSet.rules)}::jsonb, ${ruleSet.changedAt})
      ON CONFLICT (singleton) DO UPDATE
        SET version = EXCLUDED.version, rules = EXCLUDED.rules, changed_at = EXCLUDED.changed_at, stored_at = now()
        WHERE stored.version < EXCLUDED.version`);
  }

  saveOperator(operator: OperatorSnapshot): Promise<boolean> {
    return this.upsert(sql`
      INSERT INTO ${this.table('operators')} AS stored (operator_id, code, status, version, connections)
      VALUES (${operator.id}, ${operator.code}, ${operator.status}, ${operator.version}, ${JSON.stringify(operator.connections)}::jsonb)
      ON CONFLICT (operator_id) DO UPDATE
        SET code = EXCLUDED.code, status = EXCLUDED.status, version = EXCLUDED.version,
            connections = EXCLUDED.connections, stored_at = now()
        WHERE stored.version < EXCLUDED.version`);
  }

  saveHealth(health: OperatorHealth): Promise<boolean> {
    return this.upsert(sql`
      INSERT INTO ${this.table('operator_health')} AS stored (operator_id, state, connections, changed_at)
      VALUES (${health.operatorId}, ${health.state}, ${JSON.stringify(health.connections)}::jsonb, ${health.changedAt})
      ON CONFLICT (operator_id) DO UPDATE
        SET state = EXCLUDED.state, connections = EXCLUDED.connections, changed_at = EXCLUDED.changed_at, stored_at = now()
        WHERE stored.changed_at < EXCLUDED.changed_at`);
  }

  private table(name: string) {
    return sql.raw(`${this.schema}.${name}`);
  }

  private async upsert(statement: ReturnType<typeof sql>): Promise<boolean> {
    const result = await withSystem(this.db, { role: this.systemRole }, (trx) => statement.execute(trx));
    return result.numAffectedRows === 1n;
  }
}
