import { describe, expect, it } from 'vitest';
import { IngestHealthReport, MAX_HEALTH_SAVE_ATTEMPTS, OPS_EVENT_TYPES, type ConnectionHealthReport } from '../../../src/index.js';
import { connection, errorOf, givenOperator, harness, valueOf, type Harness } from '../../support/harness.js';

async function setup(connections = 1) {
  const h = harness();
  const roshan = await givenOperator(h, 'roshan', {
    connections: Array.from({ length: connections }, (_, i) => connection({ port: 2775 + i })),
  });
  const ids = roshan.connections.map((c) => c.id);
  const report = (overrides: Partial<ConnectionHealthReport> = {}): ConnectionHealthReport => ({
    operatorId: roshan.id,
    connectionId: ids[0] ?? '',
    bindState: 'bound',
    latencyMs: 150,
    errorRate: 0.01,
    throughputPerSecond: 90,
    at: h.clock.now(),
    ...overrides,
  });
  return { h, roshan, ids, report };
}

const healthEvents = (h: Harness) => h.outbox.ofType(OPS_EVENT_TYPES.operatorHealthChanged);

describe('IngestHealthReport', () => {
  it('derives the first state and emits a health-changed event with no previous state', async () => {
    const { h, roshan, report } = await setup();
    const result = valueOf(await h.ingestHealthReport.execute(report()));
    expect(result).toEqual({ operatorId: roshan.id, state: 'up', stateChanged: true, outcome: 'applied' });
    expect(healthEvents(h).map((e) => e.data)).toEqual([
      expect.objectContaining({ operatorId: roshan.id, operatorCode: 'ROSHAN', previousState: null, state: 'up', changedAt: '2026-04-18T12:00:00.000Z' }),
    ]);
  });

  it('appends every accepted report to the health log', async () => {
    const { h, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    h.clock.advance(10_000);
    valueOf(await h.ingestHealthReport.execute(report({ at: h.clock.now() })));
    expect(h.healthLog.entries.map((e) => e.receivedAt.toISOString())).toEqual(['2026-04-18T12:00:00.000Z', '2026-04-18T12:00:10.000Z']);
  });

  it('emits nothing for newer reports that keep the state', async () => {
    const { h, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    h.clock.advance(10_000);
    const second = valueOf(await h.ingestHealthReport.execute(report({ at: h.clock.now(), latencyMs: 300 })));
    expect([second.stateChanged, healthEvents(h).length]).toEqual([false, 1]);
    expect(valueOf(await h.getOperatorHealth.execute(second.operatorId)).connections[0]?.latencyMs).toBe(300);
  });

  it('ignores a repeated report: no event, no change', async () => {
    const { h, report } = await setup();
    const same = report();
    valueOf(await h.ingestHealthReport.execute(same));
    const again = valueOf(await h.ingestHealthReport.execute(same));
    expect([again.outcome, again.stateChanged, healthEvents(h).length, h.healthLog.entries.length]).toEqual(['ignored', false, 1, 1]);
  });

  it('ignores a report older than the one held for its connection', async () => {
    const { h, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    const older = valueOf(await h.ingestHealthReport.execute(report({ at: new Date(h.clock.now().getTime() - 1000), bindState: 'unbound' })));
    expect([older.outcome, older.state]).toEqual(['ignored', 'up']);
  });

  it('moves up → degraded → down → up, one event per change', async () => {
    const { h, report } = await setup();
    const states: string[] = [];
    for (const overrides of [{}, { errorRate: 0.2 }, { errorRate: 0.3 }, { bindState: 'unbound' as const }, {}]) {
      h.clock.advance(5000);
      states.push(valueOf(await h.ingestHealthReport.execute(report({ at: h.clock.now(), ...overrides }))).state);
    }
    expect(states).toEqual(['up', 'degraded', 'degraded', 'down', 'up']);
    expect(healthEvents(h).map((e) => `${e.data.previousState}→${e.data.state}`)).toEqual(['null→up', 'up→degraded', 'degraded→down', 'down→up']);
  });

  it('is degraded while only one of two connections reports', async () => {
    const { h, ids, report } = await setup(2);
    const result = valueOf(await h.ingestHealthReport.execute(report()));
    expect(result.state).toBe('degraded');
    h.clock.advance(1000);
    expect(valueOf(await h.ingestHealthReport.execute(report({ connectionId: ids[1] ?? '', at: h.clock.now() }))).state).toBe('up');
  });

  it('forgets reports of a connection that was removed', async () => {
    const { h, roshan, ids, report } = await setup(2);
    valueOf(await h.ingestHealthReport.execute(report({ connectionId: ids[1] ?? '', bindState: 'unbound' })));
    valueOf(await h.removeConnection.execute({ operatorId: roshan.id, connectionId: ids[1] ?? '' }));
    h.clock.advance(1000);
    const result = valueOf(await h.ingestHealthReport.execute(report({ at: h.clock.now() })));
    expect(result.state).toBe('up');
    expect(valueOf(await h.getOperatorHealth.execute(roshan.id)).connections.map((c) => c.connectionId)).toEqual([ids[0]]);
  });

  it('refuses an invalid report naming the field', async () => {
    const { h, report } = await setup();
    expect(errorOf(await h.ingestHealthReport.execute(report({ errorRate: 2 })))).toMatchObject({ code: 'OPS.VALIDATION_FAILED', issues: [{ field: 'errorRate' }] });
  });

  it('refuses a report for an unknown operator, a deleted one, or an unknown connection', async () => {
    const { h, roshan, report } = await setup();
    const unknownOperator = await h.ingestHealthReport.execute(report({ operatorId: 'nope' }));
    const unknownConnection = await h.ingestHealthReport.execute(report({ connectionId: 'nope' }));
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    const deleted = await h.ingestHealthReport.execute(report());
    expect([unknownOperator, unknownConnection, deleted].map((r) => errorOf(r).code)).toEqual(['OPS.OPERATOR_NOT_FOUND', 'OPS.CONNECTION_NOT_FOUND', 'OPS.OPERATOR_DELETED']);
  });

  it('applies two concurrent reports of one operator without losing either', async () => {
    const { h, roshan, ids, report } = await setup(2);
    await Promise.all([h.ingestHealthReport.execute(report()), h.ingestHealthReport.execute(report({ connectionId: ids[1] ?? '' }))]);
    const health = valueOf(await h.getOperatorHealth.execute(roshan.id));
    expect([health.state, health.connections.length]).toEqual(['up', 2]);
  });

  it(`throws after ${MAX_HEALTH_SAVE_ATTEMPTS} contended saves, so the consumer retries`, async () => {
    const { h, report } = await setup();
    h.currentHealth.save = async () => {
      await Promise.resolve();
      return 'version_conflict';
    };
    await expect(h.ingestHealthReport.execute(report())).rejects.toThrow(/kept changing/);
  });

  it('uses the thresholds it is configured with', async () => {
    const { h, report } = await setup();
    const strict = new IngestHealthReport({
      operators: h.operators,
      healthLog: h.healthLog,
      currentHealth: h.currentHealth,
      events: h.events,
      clock: h.clock,
      thresholds: { degradedErrorRate: 0.001, degradedLatencyMs: 2000, downErrorRate: 0.5, staleAfterMs: 90_000 },
    });
    expect(valueOf(await strict.execute(report())).state).toBe('degraded');
  });
});

describe('SweepStaleHealth', () => {
  it('takes an operator down when its reports go stale, emitting one event', async () => {
    const { h, roshan, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    h.clock.advance(91_000);
    const result = await h.sweepStaleHealth.execute();
    expect(result).toEqual({ checked: 1, changed: [roshan.id], contended: [] });
    expect(healthEvents(h).at(-1)?.data).toMatchObject({ previousState: 'up', state: 'down' });
  });

  it('changes nothing while reports are fresh', async () => {
    const { h, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    h.clock.advance(30_000);
    expect(await h.sweepStaleHealth.execute()).toEqual({ checked: 1, changed: [], contended: [] });
  });

  it('updates the reason without an event when only the reason changes', async () => {
    const { h, roshan, ids, report } = await setup(2);
    valueOf(await h.ingestHealthReport.execute(report()));
    valueOf(await h.ingestHealthReport.execute(report({ connectionId: ids[1] ?? '', bindState: 'unbound' })));
    h.clock.advance(89_000);
    valueOf(await h.ingestHealthReport.execute(report({ at: h.clock.now() })));
    h.clock.advance(2_000);
    const eventsBefore = healthEvents(h).length;
    const result = await h.sweepStaleHealth.execute();
    expect([result.changed, healthEvents(h).length - eventsBefore]).toEqual([[], 0]);
    expect(valueOf(await h.getOperatorHealth.execute(roshan.id))).toMatchObject({
      state: 'degraded',
      reason: `connection ${ids[1]} has not reported for more than 90 s`,
    });
  });

  it('skips deleted operators', async () => {
    const { h, roshan, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    h.clock.advance(91_000);
    expect((await h.sweepStaleHealth.execute()).changed).toEqual([]);
  });

  it('reports an operator whose health changed during the sweep as contended', async () => {
    const { h, roshan, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    h.clock.advance(91_000);
    h.currentHealth.save = async () => {
      await Promise.resolve();
      return 'version_conflict';
    };
    expect(await h.sweepStaleHealth.execute()).toEqual({ checked: 1, changed: [], contended: [roshan.id] });
  });
});

describe('GetOperatorHealth and ListOperatorHealth', () => {
  it('answers unknown before the first report', async () => {
    const { h, roshan } = await setup();
    expect(valueOf(await h.getOperatorHealth.execute(roshan.id))).toEqual({
      operatorId: roshan.id,
      state: 'unknown',
      reason: 'no health report received yet',
      stateChangedAt: null,
      lastReportAt: null,
      connections: [],
    });
  });

  it('answers the current state with each connection’s latest report', async () => {
    const { h, roshan, ids, report } = await setup();
    valueOf(await h.ingestHealthReport.execute(report()));
    expect(valueOf(await h.getOperatorHealth.execute(roshan.id))).toMatchObject({
      state: 'up',
      lastReportAt: '2026-04-18T12:00:00.000Z',
      connections: [{ connectionId: ids[0], bindState: 'bound', latencyMs: 150, errorRate: 0.01, throughputPerSecond: 90 }],
    });
  });

  it('answers OPS.OPERATOR_NOT_FOUND for an unknown operator', async () => {
    expect(errorOf(await harness().getOperatorHealth.execute('nope')).code).toBe('OPS.OPERATOR_NOT_FOUND');
  });

  it('lists the health of every live operator, unknown where none reported', async () => {
    const { h, roshan, report } = await setup();
    const awcc = await givenOperator(h, 'awcc');
    valueOf(await h.ingestHealthReport.execute(report()));
    expect((await h.listOperatorHealth.execute()).map((v) => [v.operatorId, v.state])).toEqual([
      [roshan.id, 'up'],
      [awcc.id, 'unknown'],
    ]);
  });

  it('lists more than one page of operators', async () => {
    const h = harness();
    for (let i = 0; i < 501; i += 1) {
      valueOf(await h.createOperator.execute({ code: `HUB-${i}`, name: `Hub ${i}`, kind: 'aggregator', mcc: null, mnc: null, connections: [connection()] }));
    }
    expect(await h.listOperatorHealth.execute()).toHaveLength(501);
  });
});
