import { describe, expect, it } from 'vitest';
import { ConfigError } from '@sms/config';
import { loadOpsConfig } from '../../../src/adapters/config/ops-config.js';

const messageOf = (env: Record<string, string>): string => {
  try {
    loadOpsConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
};

describe('loadOpsConfig', () => {
  it('runs without mTLS in development, with the documented defaults', () => {
    expect(loadOpsConfig({})).toEqual({
      mtls: null,
      credentialReaders: ['smpp-gateway'],
      healthReporters: ['smpp-gateway'],
      healthLog: { retentionDays: 30, premakeDays: 7 },
      healthSweepIntervalMs: 30_000,
      partitionMaintenanceIntervalMs: 3_600_000,
      idempotencyPurgeIntervalMs: 3_600_000,
    });
  });

  it('requires the three mTLS files in production, naming each', () => {
    const message = messageOf({ NODE_ENV: 'production' });
    for (const name of ['OPS_MTLS_CERT_FILE', 'OPS_MTLS_KEY_FILE', 'OPS_MTLS_CLIENT_CA_FILE']) expect(message).toContain(name);
  });

  it('refuses some mTLS files without the others', () => {
    const message = messageOf({ OPS_MTLS_CERT_FILE: '/tls/server.crt' });
    expect(message).toContain('OPS_MTLS_KEY_FILE');
    expect(message).not.toContain('OPS_MTLS_CERT_FILE:');
  });

  it('reads the mTLS files, port and allowed client names', () => {
    const config = loadOpsConfig({
      NODE_ENV: 'production',
      OPS_MTLS_CERT_FILE: '/tls/tls.crt',
      OPS_MTLS_KEY_FILE: '/tls/tls.key',
      OPS_MTLS_CLIENT_CA_FILE: '/tls/ca.crt',
      OPS_MTLS_PORT: '9443',
      OPS_MTLS_ALLOWED_CLIENTS: 'smpp-gateway, routing-engine',
    });
    expect(config.mtls).toEqual({
      port: 9443,
      certFile: '/tls/tls.crt',
      keyFile: '/tls/tls.key',
      clientCaFile: '/tls/ca.crt',
      allowedClients: ['smpp-gateway', 'routing-engine'],
    });
  });

  it('refuses a malformed list of client names and a retention of zero days, naming the variables', () => {
    const message = messageOf({ OPS_MTLS_ALLOWED_CLIENTS: 'ok, not ok', OPS_HEALTH_LOG_RETENTION_DAYS: '0' });
    expect(message).toContain('OPS_MTLS_ALLOWED_CLIENTS');
    expect(message).toContain('OPS_HEALTH_LOG_RETENTION_DAYS');
  });
});
