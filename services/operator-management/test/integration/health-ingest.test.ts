import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventValidator } from '@sms/contracts';
import { tryWithAdvisoryLock } from '@sms/db';
import { ManualClock, type EventEnvelope } from '@sms/kernel';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, healthReport, operatorBody, type OperatorJson } from '../support/requests.js';

let s: OpsServiceFixture;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_health', clock });
});

afterAll(async () => {
  await s.stop();
});

const report = (operator: OperatorJson, overrides: Record<string, unknown> = {}, at = clock.now()) =>
  s.app.inject({
    method: 'POST',
    url: '/v1/health-reports',
    headers: auth(s.tokens.gateway),
    payload: healthReport(operator.id, operator.connections[0]?.id ?? '', at, overrides),
  });

const healthEventsOf = (operatorId: string): EventEnvelope[] =>
  s.events().filter((e) => e.type === 'ops.operator-health.changed.v1' && e.aggregateId === operatorId);

async function outboxHealthEvents(operatorId: string): Promise<number> {
  const rows = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ops.outbox WHERE event_type = 'ops.operator-health.changed.v1' AND aggregate_id = ${operatorId}`.execute(s.db.database.db);
  return rows.rows[0]?.n ?? 0;
}

describe('health-ingest', () => {
  it('derives the state from a report, answers it, and publishes the change once', async () => {
    const roshan = await createOperatorOver(s, operatorBody('roshan'));
    const first = await report(roshan);
    expect([first.statusCode, first.json()]).toEqual([200, { operatorId: roshan.id, state: 'up', stateChanged: true, outcome: 'applied' }]);
    await eventually(() => expect(healthEventsOf(roshan.id)).toHaveLength(1));
    const [event] = healthEventsOf(roshan.id);
    expect(event?.data).toMatchObject({ operatorId: roshan.id, operatorCode: 'ROSHAN', previousState: null, state: 'up' });
    expect(createEventValidator().validate('ops.operator-health.changed.v1', event?.data)).toBeNull();
    await s.flushOutbox();
    expect(await outboxHealthEvents(roshan.id)).toBe(1);
  });

  it('publishes nothing for a repeated report or a newer report with the same state', async () => {
    const awcc = await createOperatorOver(s, operatorBody('awcc'));
    const at = clock.now();
    await report(awcc, {}, at);
    const repeat = await report(awcc, {}, at);
    const newer = await report(awcc, { latencyMs: 55 }, new Date(at.getTime() + 1000));
    expect([repeat.json<{ outcome: string }>().outcome, newer.json<{ stateChanged: boolean }>().stateChanged]).toEqual(['ignored', false]);
    await s.flushOutbox();
    expect(await outboxHealthEvents(awcc.id)).toBe(1);
  });

  it('publishes a change to down when the bind is lost, and keeps every report in the partitioned log', async () => {
    const mtn = await createOperatorOver(s, operatorBody('mtn'));
    const at = clock.now();
    await report(mtn, {}, at);
    const lost = await report(mtn, { bindState: 'unbound' }, new Date(at.getTime() + 1000));
    expect(lost.json()).toMatchObject({ state: 'down', stateChanged: true });
    await eventually(() => expect(healthEventsOf(mtn.id).map((e) => (e.data as { state: string }).state)).toEqual(['up', 'down']));
    const log = await sql<{ n: number; partitions: number }>`
      SELECT count(*)::int AS n, count(DISTINCT tableoid)::int AS partitions FROM ops.operator_health_log WHERE operator_id = ${mtn.id}`.execute(s.db.database.db);
    expect(log.rows).toEqual([{ n: 2, partitions: 1 }]);
  });

  it('answers the current health of one operator and of all', async () => {
    const etisalat = await createOperatorOver(s, operatorBody('etisalat'));
    await report(etisalat, { latencyMs: 2500 });
    const one = await s.app.inject({ method: 'GET', url: `/v1/operators/${etisalat.id}/health`, headers: auth(s.tokens.reader) });
    expect(one.json()).toMatchObject({ operatorId: etisalat.id, state: 'degraded', connections: [{ latencyMs: 2500, bindState: 'bound' }] });
    const all = await s.app.inject({ method: 'GET', url: '/v1/operator-health', headers: auth(s.tokens.reader) });
    expect(all.json<{ items: { operatorId: string; state: string }[] }>().items).toContainEqual(expect.objectContaining({ operatorId: etisalat.id, state: 'degraded' }));
  });

  it('answers unknown for an operator that never reported', async () => {
    const salaam = await createOperatorOver(s, operatorBody('salaam'));
    const one = await s.app.inject({ method: 'GET', url: `/v1/operators/${salaam.id}/health`, headers: auth(s.tokens.reader) });
    expect(one.json()).toMatchObject({ state: 'unknown', stateChangedAt: null, connections: [] });
  });

  it('ingests reports published on the NATS subject ops.health.report, and publishes the change', async () => {
    const hub = await createOperatorOver(s, operatorBody('roshan', { code: 'NATS-HUB', mnc: '99' }));
    const body = healthReport(hub.id, hub.connections[0]?.id ?? '', clock.now());
    await s.bus.publish(`${s.subjectPrefix}ops.health.report`, new TextEncoder().encode(JSON.stringify(body)), { msgId: `${hub.id}-1` });
    await eventually(() => expect(healthEventsOf(hub.id)).toHaveLength(1));
    const current = await s.app.inject({ method: 'GET', url: `/v1/operators/${hub.id}/health`, headers: auth(s.tokens.reader) });
    expect(current.json()).toMatchObject({ state: 'up' });
  });

  it('dead-letters a malformed message on the subject instead of retrying it', async () => {
    await s.bus.publish(`${s.subjectPrefix}ops.health.report`, new TextEncoder().encode('{"operatorId": 1}'), { msgId: 'malformed-1' });
    await eventually(async () => {
      const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/ops_health_reports_total\{source="nats",outcome="malformed",service="operator-management"\} 1/);
    });
  });

  it('refuses reports from callers that are not the gateway', async () => {
    const roshan = await createOperatorOver(s, operatorBody('roshan', { code: 'READER-TEST', mnc: '98' }));
    const response = await s.app.inject({
      method: 'POST',
      url: '/v1/health-reports',
      headers: auth(s.tokens.reader),
      payload: healthReport(roshan.id, roshan.connections[0]?.id ?? '', clock.now()),
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses a report with values out of range naming the fields', async () => {
    const roshan = await createOperatorOver(s, operatorBody('roshan', { code: 'RANGE-TEST', mnc: '97' }));
    const response = await report(roshan, { errorRate: 2, latencyMs: -1 });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['latencyMs', 'errorRate']);
  });

  it('exposes each operator’s state, the last report time and the partitions ahead as metrics', async () => {
    const metered = await createOperatorOver(s, operatorBody('roshan', { code: 'METERED', mnc: '95' }));
    await report(metered);
    const body = (await s.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = (state: string) =>
      `ops_operator_health_state{operator_id="${metered.id}",operator_code="METERED",state="${state}",service="operator-management"}`;
    expect(body).toContain(`${line('up')} 1`);
    expect(body).toContain(`${line('down')} 0`);
    const last = /^ops_health_report_last_received_timestamp_seconds\{[^}]*\} (\S+)$/m.exec(body)?.[1];
    expect(Number(last)).toBeGreaterThanOrEqual(Math.floor(clock.now().getTime() / 1000) - 1);
    expect(body).toMatch(/^ops_health_log_partitions_ahead_days\{[^}]*\} 2$/m);
  });

  it('turns an operator whose gateway went quiet down at the next sweep, publishing the change', async () => {
    const quiet = await createOperatorOver(s, operatorBody('roshan', { code: 'QUIET', mnc: '96' }));
    await report(quiet);
    clock.advance(120_000);
    await s.handle.healthSweep.runNow();
    await eventually(() => expect(healthEventsOf(quiet.id).map((e) => (e.data as { state: string }).state)).toEqual(['up', 'down']));
  });

  it('sweeps once per cluster: a replica finding the sweep lock taken does nothing, the next sweep does the work', async () => {
    const idle = await createOperatorOver(s, operatorBody('roshan', { code: 'IDLE', mnc: '81' }));
    await report(idle);
    clock.advance(120_000);

    // Another replica is sweeping: it holds the lock for the whole of this replica's attempt.
    await tryWithAdvisoryLock(s.db.database.db, 'operator-management:ops:stale-health-sweep', () => s.handle.healthSweep.runNow());
    expect(await outboxHealthEvents(idle.id)).toBe(1);

    await s.handle.healthSweep.runNow();
    await eventually(() => expect(healthEventsOf(idle.id).map((e) => (e.data as { state: string }).state)).toEqual(['up', 'down']));
  });
});
