import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from '@sms/bus';
import { healthReportIssues } from '@sms/operator-management';
import { uniqueName } from '@sms/testing';
import type { BindHealthReport } from '../../src/adapters/health/bind-health.reporter.js';
import { startGatewayFixture } from '../support/gateway-fixture.js';
import type { GatewayFixture } from '../support/gateway-fixture.js';

let fixture: GatewayFixture | undefined;
let collector: Subscription | undefined;

afterEach(async () => {
  await collector?.stop();
  await fixture?.cleanup();
  collector = undefined;
  fixture = undefined;
});

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function collectReports(running: GatewayFixture): Promise<BindHealthReport[]> {
  const reports: BindHealthReport[] = [];
  collector = await running.nats.bus.subscribe({ durable: uniqueName('health_collector'), subjects: [running.gateway.subjects.healthReport] }, (message) => {
    reports.push(JSON.parse(new TextDecoder().decode(message.payload)) as BindHealthReport);
    return Promise.resolve();
  });
  return reports;
}

describe('bind health reports on NATS', () => {
  it('publishes binding then bound when the gateway binds, in the shape operator-management ingests', async () => {
    fixture = await startGatewayFixture('smpp_health_bind');
    const reports = await collectReports(fixture);
    await until(() => reports.some((r) => r.bindState === 'bound'), 'a bound report');
    expect(reports.map((r) => [r.operatorId, r.connectionId, r.bindState])).toEqual([
      ['roshan', fixture.connectionId, 'binding'],
      ['roshan', fixture.connectionId, 'bound'],
    ]);
    expect(reports.map((r) => healthReportIssues({ ...r, at: new Date(r.at) }, new Date()))).toEqual([[], []]);
  });

  it('reports the throughput and error rate it measured on the submits since the previous report', async () => {
    fixture = await startGatewayFixture('smpp_health_measure');
    const reports = await collectReports(fixture);
    await until(() => reports.some((r) => r.bindState === 'bound'), 'a bound report');
    await fixture.send();
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.status === 'submitted'));
    await fixture.gateway.healthReporter.reportAll();
    await until(() => reports.length >= 3, 'a periodic report');
    expect(reports[2]).toMatchObject({ bindState: 'bound', errorRate: 0, throughputPerSecond: expect.any(Number) as number });
    expect(reports[2]?.throughputPerSecond).toBeGreaterThan(0);
  });

  it('reports binding as soon as the SMSC drops the bind', async () => {
    fixture = await startGatewayFixture('smpp_health_drop');
    const reports = await collectReports(fixture);
    await until(() => reports.some((r) => r.bindState === 'bound'), 'a bound report');
    fixture.simulator.dropConnections();
    await until(() => reports.length > 2, 'a report after the drop');
    expect(reports[2]?.bindState).toBe('binding');
  });
});
