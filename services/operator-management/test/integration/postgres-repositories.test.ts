import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@sms/kernel';
import type { CreateOperatorCommand, OperatorHealth } from '../../src/index.js';
import { createOpsTestDatabase, type OpsTestDatabase } from '../support/ops-database.js';
import { composeOnDatabase } from '../support/composed.js';
import { connection, errorOf, mnoCommand, valueOf } from '../support/harness.js';

let t: OpsTestDatabase;

beforeAll(async () => {
  t = await createOpsTestDatabase('ops_repos');
});

afterAll(async () => {
  await t.cleanup();
});

afterEach(async () => {
  await sql`TRUNCATE ops.operators, ops.operator_prefixes, ops.operator_connections, ops.operator_health, ops.routing_rule_sets, ops.outbox CASCADE`.execute(
    t.database.db,
  );
});

async function count(table: string, where = 'true'): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(`ops.${table}`)} WHERE ${sql.raw(where)}`.execute(t.database.db);
  return rows.rows[0]?.n ?? 0;
}

/** The same operator code (or MCC/MNC) sent by `n` callers at once, each through its own use case call. */
async function concurrently(n: number, command: (i: number) => CreateOperatorCommand) {
  const ops = composeOnDatabase(t);
  return Promise.all(Array.from({ length: n }, (_, i) => ops.createOperator.execute(command(i))));
}

describe('PostgresOperatorRepository', () => {
  it('stores an operator with its prefixes and connections and reads it back as created', async () => {
    const ops = composeOnDatabase(t);
    const created = valueOf(
      await ops.createOperator.execute(
        mnoCommand('roshan', {
          connections: [
            { ...connection({ host: 'smsc1.roshan.example', systemId: 'ROSH1' }), password: 'pw1' },
            connection({ host: 'smsc2.roshan.example', systemId: 'ROSH2', bindMode: 'receiver', tls: false }),
          ],
        }),
      ),
    );
    expect(valueOf(await ops.getOperator.execute(created.id))).toEqual(created);
    expect(created.prefixes).toEqual(['9372', '9379']);
    expect(created.connections.map((c) => [c.systemId, c.authentication.configured])).toEqual([
      ['ROSH1', true],
      ['ROSH2', false],
    ]);
  });

  it('lets exactly one of eight concurrent creates of one operator code win', async () => {
    const results = await concurrently(8, (i) => mnoCommand('roshan', { mcc: '412', mnc: String(20 + i) }));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winner = valueOf(winners[0] ?? results[0]!);
    for (const loser of results.filter((r) => !r.ok)) {
      expect(errorOf(loser)).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'code', existingOperatorId: winner.id });
    }
    expect([await count('operators'), await count('outbox')]).toEqual([1, 1]);
  });

  it('lets exactly one of eight concurrent creates of one MCC/MNC win', async () => {
    const results = await concurrently(8, (i) => mnoCommand('roshan', { code: `ROSHAN-${i}` }));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const loser of results.filter((r) => !r.ok)) expect(errorOf(loser)).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'mccMnc' });
    expect(await count('operators')).toBe(1);
  });

  it('maps a unique index violation to a duplicate even when the pre-check did not see the other operator', async () => {
    const ops = composeOnDatabase(t);
    const first = valueOf(await ops.createOperator.execute(mnoCommand('awcc')));
    const created = valueOf(await ops.createOperator.execute(mnoCommand('roshan')));
    const { repositories } = ops;
    const stored = await repositories.operators.findById(created.id);
    const outcome = await repositories.operators.update({ ...stored!, code: 'AWCC', version: 2 }, 1, []);
    expect(outcome).toEqual({ kind: 'duplicate', field: 'code', existingOperatorId: first.id });
  });

  it('frees a soft-deleted operator’s code and MCC/MNC while keeping its row', async () => {
    const ops = composeOnDatabase(t);
    const old = valueOf(await ops.createOperator.execute(mnoCommand('salaam')));
    valueOf(await ops.softDeleteOperator.execute({ operatorId: old.id }));
    const again = valueOf(await ops.createOperator.execute(mnoCommand('salaam')));
    expect(again.id).not.toBe(old.id);
    expect(await count('operators', `code = 'SALAAM'`)).toBe(2);
    expect(valueOf(await ops.getOperator.execute(old.id)).status).toBe('deleted');
  });

  it('refuses a write with a stale version and keeps the stored one', async () => {
    const ops = composeOnDatabase(t);
    const created = valueOf(await ops.createOperator.execute(mnoCommand('mtn')));
    valueOf(await ops.updateOperator.execute({ operatorId: created.id, patch: { name: 'MTN' } }));
    const stale = errorOf(await ops.updateOperator.execute({ operatorId: created.id, expectedVersion: 1, patch: { name: 'Other' } }));
    expect(stale).toMatchObject({ code: 'OPS.VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
    expect(valueOf(await ops.getOperator.execute(created.id)).name).toBe('MTN');
  });

  it('keeps a removed connection’s row, marked removed, out of the operator', async () => {
    const ops = composeOnDatabase(t);
    const created = valueOf(await ops.createOperator.execute(mnoCommand('etisalat')));
    const added = valueOf(await ops.addConnection.execute({ operatorId: created.id, settings: connection({ host: 'smsc2.etisalat.example' }) }));
    const removed = valueOf(await ops.removeConnection.execute({ operatorId: created.id, connectionId: added.connectionId }));
    expect(removed.operator.connections.map((c) => c.id)).toEqual([created.connections[0]?.id]);
    expect(await count('operator_connections', `id = '${added.connectionId}' AND removed_at IS NOT NULL`)).toBe(1);
  });

  it('lists operators a page at a time in creation order, without deleted ones unless asked', async () => {
    const ops = composeOnDatabase(t);
    const ids: string[] = [];
    for (const key of ['roshan', 'awcc', 'etisalat'] as const) ids.push(valueOf(await ops.createOperator.execute(mnoCommand(key))).id);
    valueOf(await ops.softDeleteOperator.execute({ operatorId: ids[1]! }));
    const first = valueOf(await ops.listOperators.execute({ limit: 1 }));
    const second = valueOf(await ops.listOperators.execute({ limit: 1, cursor: first.nextCursor }));
    expect([first.items.map((o) => o.id), second.items.map((o) => o.id), second.nextCursor]).toEqual([[ids[0]], [ids[2]], null]);
    const deleted = valueOf(await ops.listOperators.execute({ statuses: ['deleted'] }));
    expect(deleted.items.map((o) => o.id)).toEqual([ids[1]]);
  });

  it('writes the event of a change to the outbox in the same transaction as the row', async () => {
    const ops = composeOnDatabase(t);
    const created = valueOf(await ops.createOperator.execute(mnoCommand('awcc')));
    valueOf(await ops.updateOperator.execute({ operatorId: created.id, patch: { name: 'AWCC' } }));
    const rows = await sql<{ event_type: string; aggregate_id: string; version: number }>`
      SELECT event_type, aggregate_id, (payload->'data'->'operator'->>'version')::int AS version FROM ops.outbox ORDER BY seq`.execute(t.database.db);
    expect(rows.rows).toEqual([
      { event_type: 'ops.operator.changed.v1', aggregate_id: created.id, version: 1 },
      { event_type: 'ops.operator.changed.v1', aggregate_id: created.id, version: 2 },
    ]);
  });

  it('answers null for an id that is not a UUID instead of failing', async () => {
    const ops = composeOnDatabase(t);
    expect(await ops.repositories.operators.findById('not-a-uuid')).toBeNull();
  });
});

describe('PostgresRoutingRuleRepository', () => {
  it('keeps every version and lets one of two concurrent replacements of one version win', async () => {
    const ops = composeOnDatabase(t);
    const roshan = valueOf(await ops.createOperator.execute(mnoCommand('roshan')));
    const rule = (id: string) => ({ id, prefixes: ['9379'], operatorId: roshan.id, priority: 10, weight: 1 });
    valueOf(await ops.replaceRoutingRules.execute({ expectedVersion: 0, rules: [rule('a')] }));
    const results = await Promise.all([
      ops.replaceRoutingRules.execute({ expectedVersion: 1, rules: [rule('b')] }),
      ops.replaceRoutingRules.execute({ expectedVersion: 1, rules: [rule('c')] }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(errorOf(results.find((r) => !r.ok)!)).toMatchObject({ code: 'OPS.VERSION_CONFLICT', actualVersion: 2 });
    const history = await ops.repositories.routingRules.history();
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect((await ops.getRoutingRules.execute()).version).toBe(2);
  });
});

describe('PostgresCurrentHealthRepository', () => {
  it('saves compare-and-swap: a first save loses to another first save, a later one to a stale version', async () => {
    const ops = composeOnDatabase(t);
    const op = valueOf(await ops.createOperator.execute(mnoCommand('roshan')));
    const connectionId = op.connections[0]!.id;
    const health = (version: number): OperatorHealth => ({
      operatorId: op.id,
      state: 'up',
      reason: 'fine',
      connections: new Map([
        [connectionId, { connectionId, bindState: 'bound', latencyMs: 10, errorRate: 0, throughputPerSecond: 5, at: new Date('2026-04-18T12:00:00.000Z') }],
      ]),
      stateChangedAt: new Date('2026-04-18T12:00:00.000Z'),
      lastReportAt: new Date('2026-04-18T12:00:00.000Z'),
      version,
    });
    const { currentHealth } = ops.repositories;
    expect(await currentHealth.save(health(1), null, [])).toBe('saved');
    expect(await currentHealth.save(health(1), null, [])).toBe('version_conflict');
    expect(await currentHealth.save(health(2), 1, [])).toBe('saved');
    expect(await currentHealth.save(health(3), 1, [])).toBe('version_conflict');
    expect(await currentHealth.get(op.id)).toEqual(health(2));
  });
});

describe('PostgresHealthLogRepository', () => {
  const report = (operatorId: string, connectionId: string, at: Date) => ({
    operatorId,
    connectionId,
    bindState: 'bound' as const,
    latencyMs: 12.5,
    errorRate: 0.01,
    throughputPerSecond: 40,
    at,
    receivedAt: new Date(),
  });

  it('stores a report once however often it is appended', async () => {
    const ops = composeOnDatabase(t);
    const [operatorId, connectionId, at] = [uuidv7(), uuidv7(), new Date()];
    const outcomes = [
      await ops.repositories.healthLog.appendReport(report(operatorId, connectionId, at)),
      await ops.repositories.healthLog.appendReport(report(operatorId, connectionId, at)),
    ];
    expect(outcomes).toEqual(['stored', 'duplicate']);
    expect(await count('operator_health_log', `operator_id = '${operatorId}'`)).toBe(1);
  });

  it('creates the partition of a report older than the premade ones but inside the retention', async () => {
    const ops = composeOnDatabase(t);
    const at = new Date(Date.now() - 10 * 86_400_000);
    const name = `operator_health_log_p${at.toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(await ops.repositories.partitions.list()).not.toContain(name);
    expect(await ops.repositories.healthLog.appendReport(report(uuidv7(), uuidv7(), at))).toBe('stored');
    expect(await ops.repositories.partitions.list()).toContain(name);
  });

  it('does not keep a report older than the retention', async () => {
    const ops = composeOnDatabase(t);
    const operatorId = uuidv7();
    const outcome = await ops.repositories.healthLog.appendReport(report(operatorId, uuidv7(), new Date(Date.now() - 40 * 86_400_000)));
    expect(outcome).toBe('past_retention');
    expect(await count('operator_health_log', `operator_id = '${operatorId}'`)).toBe(0);
  });
});
