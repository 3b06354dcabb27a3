import { describe, expect, it } from 'vitest';
import { gatewayEnv } from '../../../src/gateway-env.js';

const connection = { connectionId: 'roshan-1', operatorId: 'roshan', host: '127.0.0.1', port: 2775, systemId: 'platform', password: 'pw' };

describe('gateway environment', () => {
  it('reads connections with their defaults', () => {
    const env = gatewayEnv.parse({ SMPP_CONNECTIONS: JSON.stringify([connection]) });
    expect(env.SMPP_CONNECTIONS).toEqual([
      { ...connection, systemType: '', windowSize: 10, throughputPerSecond: 50, enquireLinkIntervalMs: 30_000, responseTimeoutMs: 10_000, idForms: 'same' },
    ]);
    expect(env.SMPP_SIMULATE).toBe(false);
    expect(env.SMPP_OUTBOUND_CONCURRENCY).toBe(8);
  });

  it('defaults to no connection', () => {
    expect(gatewayEnv.parse({}).SMPP_CONNECTIONS).toEqual([]);
  });

  it('refuses text that is not JSON', () => {
    expect(gatewayEnv.safeParse({ SMPP_CONNECTIONS: '[{' }).success).toBe(false);
  });

  it('refuses a connection with an unknown field or a password longer than SMPP allows', () => {
    expect(gatewayEnv.safeParse({ SMPP_CONNECTIONS: JSON.stringify([{ ...connection, extra: 1 }]) }).success).toBe(false);
    expect(gatewayEnv.safeParse({ SMPP_CONNECTIONS: JSON.stringify([{ ...connection, password: '1234567890' }]) }).success).toBe(false);
  });

  it('reports health every 15 s by default and takes credentials from configuration unless operator-management is configured', () => {
    const env = gatewayEnv.parse({});
    expect([env.SMPP_HEALTH_REPORT_INTERVAL_MS, env.OPS_BASE_URL, env.OPS_SERVICE_TOKEN]).toEqual([15_000, undefined, undefined]);
  });

  it('keeps submitted parts 7 days by default, cleaned up hourly in batches of 5,000', () => {
    const env = gatewayEnv.parse({});
    expect([env.SMPP_SUBMITTED_PARTS_RETENTION_DAYS, env.SMPP_SUBMITTED_PARTS_CLEANUP_INTERVAL_MS, env.SMPP_SUBMITTED_PARTS_CLEANUP_BATCH]).toEqual([7, 3_600_000, 5_000]);
  });

  it('refuses a submitted parts retention shorter than the longest validity period allows', () => {
    expect(gatewayEnv.safeParse({ SMPP_SUBMITTED_PARTS_RETENTION_DAYS: '3' }).success).toBe(false);
    expect(gatewayEnv.parse({ SMPP_SUBMITTED_PARTS_RETENTION_DAYS: '30' }).SMPP_SUBMITTED_PARTS_RETENTION_DAYS).toBe(30);
  });

  it('refuses an operator-management base URL that is not http(s)', () => {
    expect(gatewayEnv.safeParse({ OPS_BASE_URL: 'ftp://ops' }).success).toBe(false);
  });
});
