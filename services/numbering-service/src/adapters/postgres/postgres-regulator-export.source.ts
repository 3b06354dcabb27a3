import { sql } from 'kysely';
import type { HistoryExportEntry, InventoryExportLine, RegulatorExportSource } from '../../index.js';
import type { Runner } from './numbering-scope.js';

interface InventoryRow {
  value: string;
  kind: string;
  operator_code: string;
  contract_ref: string | null;
  block_ref: string | null;
  pool_ref: string | null;
  tier: string;
  state: string | null;
  tenant_id: string | null;
  state_since: string | null;
  created_at: Date;
}

interface HistoryRow {
  seq: string | number;
  occurred_at: string;
  action: string;
  number: string | null;
  kind: string | null;
  operator_code: string | null;
  tenant_id: string | null;
  from_state: string | null;
  to_state: string | null;
  actor_role: string;
  details: unknown;
}

const HOLDING_STATES = new Set(['reserved', 'assigned']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The export's reads, in the system scope. The state of a number at an instant is the `to_state` of its
 * last audited change before that instant: every change of a number appends its audit row in the same
 * transaction (number-change.ts), so a number with none was still in the state it was added in
 * (`available`). Audit `occurred_at` is an ISO string, so it compares with an ISO bound as text (byte order).
 */
export class PostgresRegulatorExportSource implements RegulatorExportSource {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  inventoryAt(asOf: Date, afterValue: string | null, limit: number): Promise<readonly InventoryExportLine[]> {
    const t = (table: string) => sql.id(this.schema, table);
    const bound = asOf.toISOString();
    return this.run(async (db) => {
      const rows = await sql<InventoryRow>`
        SELECT n.value, n.kind, n.operator_code, c.reference AS contract_ref, b.reference AS block_ref, p.reference AS pool_ref,
               n.tier, last.to_state AS state, last.tenant_id, last.occurred_at AS state_since, n.created_at
          FROM ${t('numbers')} n
          LEFT JOIN ${t('operator_contracts')} c ON c.id = n.contract_id
          LEFT JOIN ${t('number_blocks')} b ON b.id = n.block_id
          LEFT JOIN ${t('inventory_pools')} p ON p.id = n.pool_id
          LEFT JOIN LATERAL (
            SELECT a.to_state, a.tenant_id, a.occurred_at
              FROM ${t('audit_log')} a
             WHERE a.aggregate_type = 'number' AND a.aggregate_id = n.id::text AND a.occurred_at COLLATE "C" < ${bound} AND a.to_state IS NOT NULL
             ORDER BY a.seq DESC
             LIMIT 1
          ) last ON true
         WHERE n.created_at < ${asOf} AND (${afterValue}::text IS NULL OR n.value > ${afterValue})
         ORDER BY n.value
         LIMIT ${limit}`.execute(db);
      return rows.rows.map((row): InventoryExportLine => {
        const state = row.state ?? 'available';
        return {
          number: row.value,
          kind: row.kind,
          operatorCode: row.operator_code,
          contractRef: row.contract_ref ?? '',
          blockRef: row.block_ref ?? '',
          poolRef: row.pool_ref ?? '',
          tier: row.tier,
          state,
          tenantId: HOLDING_STATES.has(state) ? row.tenant_id : null,
          stateSince: row.state_since === null ? row.created_at : new Date(row.state_since),
        };
      });
    });
  }

  historyBetween(from: Date, to: Date, afterSeq: number, limit: number): Promise<readonly HistoryExportEntry[]> {
    const t = (table: string) => sql.id(this.schema, table);
    return this.run(async (db) => {
      const rows = await sql<HistoryRow>`
        SELECT a.seq, a.occurred_at, a.action, a.details ->> 'number' AS number, n.kind, n.operator_code,
               a.tenant_id, a.from_state, a.to_state, a.actor_role, a.details
          FROM ${t('audit_log')} a
          -- Every number's audit row names its value (unique and never changed): joined on the unique index.
          LEFT JOIN ${t('numbers')} n ON n.value = a.details ->> 'number'
         WHERE a.aggregate_type = 'number' AND a.occurred_at COLLATE "C" >= ${from.toISOString()} AND a.occurred_at COLLATE "C" < ${to.toISOString()} AND a.seq > ${afterSeq}
         ORDER BY a.seq
         LIMIT ${limit}`.execute(db);
      return rows.rows.map((row): HistoryExportEntry => {
        const details = isRecord(row.details) ? row.details : {};
        const events = Array.isArray(details.events) ? details.events.filter((e): e is string => typeof e === 'string') : [];
        const command = isRecord(details.command) ? details.command : null;
        return {
          seq: Number(row.seq),
          occurredAt: row.occurred_at,
          action: row.action,
          number: row.number ?? '',
          kind: row.kind ?? '',
          operatorCode: row.operator_code ?? '',
          tenantId: row.tenant_id,
          fromState: row.from_state,
          toState: row.to_state,
          actorRole: row.actor_role,
          eventTypes: events,
          command,
        };
      });
    });
  }
}
