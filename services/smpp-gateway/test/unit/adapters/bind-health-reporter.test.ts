import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bus, PublishOptions } from '@sms/bus';
import { ManualClock } from '@sms/kernel';
import type { IdGenerator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { healthReportIssues } from '@sms/operator-management';
import type { ConnectionHealthReport } from '@sms/operator-management';
import { BindHealthReporter, HEALTH_REPORT_SUBJECT } from '../../../src/adapters/health/bind-health.reporter.js';
import type { BindHealthReport } from '../../../src/adapters/health/bind-health.reporter.js';

interface Published {
  readonly subject: string;
  readonly report: BindHealthReport;
  readonly options: PublishOptions;
}

/** An in-memory bus that records what is published (and can be made to fail). */
function recordingBus() {
  const published: Published[] = [];
  let failing = false;
  const bus: Bus = {
    publish(subject, payload, options) {
      if (failing) return Promise.reject(new Error('bus down'));
      published.push({ subject, report: JSON.parse(new TextDecoder().decode(payload)) as BindHealthReport, options });
      return Promise.resolve({ duplicate: false, sequence: published.length });
    },
    subscribe: () => Promise.reject(new Error('not used')),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { bus, published, fail: () => (failing = true) };
}

function counterIds(): IdGenerator {
  let n = 0;
  return { next: () => `id-${++n}` };
}

function setup(intervalMs?: number) {
  const clock = new ManualClock('2026-11-23T10:00:00.000Z');
  const recorder = recordingBus();
  const reporter = new BindHealthReporter({
    bus: recorder.bus,
    subject: HEALTH_REPORT_SUBJECT,
    connections: new Map([
      ['roshan-1', 'op-roshan'],
      ['awcc-1', 'op-awcc'],
    ]),
    clock,
    ids: counterIds(),
    logger: createLogger({ service: 'smpp-gateway-test', level: 'silent' }),
    ...(intervalMs !== undefined ? { intervalMs } : {}),
  });
  return { clock, reporter, ...recorder };
}

describe('bind health reporter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a report on ops.health.report when a bind state changes', async () => {
    const { reporter, published } = setup();
    reporter.onStateChange('roshan-1', 'bound');
    await reporter.stop();
    expect(published).toEqual([
      {
        subject: 'ops.health.report',
        options: { msgId: 'id-1' },
        report: { operatorId: 'op-roshan', connectionId: 'roshan-1', bindState: 'bound', latencyMs: 0, errorRate: 0, throughputPerSecond: 0, at: '2026-11-23T10:00:00.000Z' },
      },
    ]);
  });

  it('maps connecting to binding and stopped to unbound', async () => {
    const { reporter, published } = setup();
    reporter.onStateChange('roshan-1', 'bound');
    reporter.onStateChange('roshan-1', 'connecting');
    reporter.onStateChange('roshan-1', 'stopped');
    await reporter.stop();
    expect(published.map((p) => p.report.bindState)).toEqual(['bound', 'binding', 'unbound']);
  });

  it('does not report a state that did not change', async () => {
    const { reporter, published } = setup();
    reporter.onStateChange('roshan-1', 'bound');
    reporter.onStateChange('roshan-1', 'bound');
    await reporter.stop();
    expect(published).toHaveLength(1);
  });

  it('measures latency, error rate and throughput over the submit responses since the previous report', () => {
    const { reporter, clock } = setup();
    reporter.snapshot('roshan-1');
    reporter.onSubmitResponse('roshan-1', 0, 100);
    reporter.onSubmitResponse('roshan-1', 0, 200);
    reporter.onSubmitResponse('roshan-1', 0x45, 300);
    reporter.onSubmitResponse('roshan-1', 0, 400);
    clock.advance(2000);
    expect(reporter.snapshot('roshan-1')).toMatchObject({ latencyMs: 250, errorRate: 0.25, throughputPerSecond: 2, at: '2026-11-23T10:00:02.000Z' });
  });

  it('does not count flow control (ESME_RTHROTTLED, ESME_RMSGQFUL) as errors, so a busy SMSC is not reported failing', () => {
    const { reporter } = setup();
    reporter.snapshot('roshan-1');
    reporter.onSubmitResponse('roshan-1', 0x58, 10);
    reporter.onSubmitResponse('roshan-1', 0x14, 10);
    reporter.onSubmitResponse('roshan-1', 0x08, 10);
    reporter.onSubmitResponse('roshan-1', 0, 10);
    expect(reporter.snapshot('roshan-1')).toMatchObject({ errorRate: 0.25 });
  });

  it('starts a new measuring window after each report', () => {
    const { reporter, clock } = setup();
    reporter.onSubmitResponse('roshan-1', 0x58, 900);
    clock.advance(1000);
    reporter.snapshot('roshan-1');
    clock.advance(1000);
    expect(reporter.snapshot('roshan-1')).toMatchObject({ latencyMs: 0, errorRate: 0, throughputPerSecond: 0 });
  });

  it('reports every connection on each periodic tick', async () => {
    vi.useFakeTimers();
    const { reporter, published } = setup(1000);
    reporter.start();
    await vi.advanceTimersByTimeAsync(999);
    const beforeTick = published.length;
    await vi.advanceTimersByTimeAsync(1);
    await reporter.stop();
    expect(beforeTick).toBe(0);
    expect(published.map((p) => p.report.connectionId).sort()).toEqual(['awcc-1', 'roshan-1']);
  });

  it('ignores a connection it was not configured with', async () => {
    const { reporter, published } = setup();
    reporter.onStateChange('unknown-1', 'bound');
    reporter.onSubmitResponse('unknown-1', 0, 10);
    await reporter.stop();
    expect([published.length, reporter.snapshot('unknown-1')]).toEqual([0, null]);
  });

  it('survives a bus that refuses the publish', async () => {
    const { reporter, published, fail } = setup();
    fail();
    reporter.onStateChange('roshan-1', 'bound');
    await expect(reporter.stop()).resolves.toBeUndefined();
    expect(published).toHaveLength(0);
  });

  it('publishes reports that operator-management accepts', async () => {
    const { reporter, published, clock } = setup();
    reporter.onSubmitResponse('roshan-1', 0, 120);
    reporter.onSubmitResponse('roshan-1', 0x14, 80);
    clock.advance(500);
    reporter.onStateChange('roshan-1', 'bound');
    reporter.onStateChange('awcc-1', 'connecting');
    reporter.onStateChange('awcc-1', 'stopped');
    await reporter.stop();
    const issues = published.map(({ report }) => {
      const parsed: ConnectionHealthReport = { ...report, at: new Date(report.at) };
      return healthReportIssues(parsed, clock.now());
    });
    expect([published.length, issues]).toEqual([3, [[], [], []]]);
  });
});
