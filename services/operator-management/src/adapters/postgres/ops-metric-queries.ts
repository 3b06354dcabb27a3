import type { HealthState } from '../../domain/operator-health.js';
import { OPS_SCHEMA, inTransaction, type OpsDatabase } from './ops-tables.js';

/** Every live operator with its current health state (null before its first report), for the state gauge. */
export async function liveOperatorStates(
  database: OpsDatabase,
): Promise<Array<{ operatorId: string; code: string; state: HealthState | null }>> {
  return inTransaction(database, async (trx) => {
    const rows = await trx
      .withSchema(OPS_SCHEMA)
      .selectFrom('operators as o')
      .leftJoin('operator_health as h', 'h.operator_id', 'o.id')
      .select(['o.id as operatorId', 'o.code as code', 'h.state as state'])
      .where('o.status', '<>', 'deleted')
      .orderBy('o.id')
      .execute();
    return rows.map((r) => ({ operatorId: r.operatorId, code: r.code, state: (r.state ?? null) as HealthState | null }));
  });
}

/** The newest report time of any live operator; null when none reported yet. */
export async function lastLiveReportAt(database: OpsDatabase): Promise<Date | null> {
  return inTransaction(database, async (trx) => {
    const row = await trx
      .withSchema(OPS_SCHEMA)
      .selectFrom('operator_health as h')
      .innerJoin('operators as o', 'o.id', 'h.operator_id')
      .select((eb) => eb.fn.max('h.last_report_at').as('at'))
      .where('o.status', '<>', 'deleted')
      .executeTakeFirst();
    const at = row?.at as Date | null | undefined;
    return at ?? null;
  });
}
