import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  booleanFlag,
  commonEnv,
  infrastructureEnv,
  integer,
  loadConfig,
  natsServers,
  port,
  postgresUrl,
  redisUrl,
  secretString,
} from '@sms/config';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns the parsed, typed values', () => {
    const schema = z.object({ PORT: port(), DATABASE_URL: postgresUrl() });

    const config = loadConfig(schema, { PORT: '8080', DATABASE_URL: 'postgres://app@db:5432/sms' });

    expect(config).toEqual({ PORT: 8080, DATABASE_URL: 'postgres://app@db:5432/sms' });
  });

  it('names a missing variable and what it expects', () => {
    const schema = z.object({ PORT: port() });

    const error = configErrorOf(() => loadConfig(schema, {}));

    expect(error.message).toContain('PORT: required, expected an integer 1-65535, not set');
  });

  it('names a malformed variable, what it expects and what it got', () => {
    const schema = z.object({ DATABASE_URL: postgresUrl() });

    const error = configErrorOf(() => loadConfig(schema, { DATABASE_URL: 'mysql://x' }));

    expect(error.message).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://x"');
  });

  it('names every bad variable at once', () => {
    const schema = z.object({ ...commonEnv, ...infrastructureEnv, PORT: port() });

    const error = configErrorOf(() =>
      loadConfig(schema, {
        PORT: '70000',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://cache',
        NATS_URL: 'nats://a:4222,http://b',
      }),
    );

    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'LOG_LEVEL',
      'DATABASE_URL',
      'REDIS_URL',
      'NATS_URL',
      'PORT',
    ]);
    expect(error.message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    expect(error.message).toContain('REDIS_URL: expected a redis:// or rediss:// URL, got "http://cache"');
    expect(error.message).toContain('PORT: expected an integer 1-65535, got "70000"');
  });

  it('applies the defaults of the common variables', () => {
    const config = loadConfig(z.object(commonEnv), {});

    expect(config).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '0.0.0.0',
      SHUTDOWN_GRACE_MS: 30_000,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    });
  });

  it('treats an empty value as not set, so the default applies', () => {
    const config = loadConfig(z.object({ PORT: port().default(3000) }), { PORT: '  ' });

    expect(config.PORT).toBe(3000);
  });

  it('leaves the infrastructure URLs unset when none is given (embedded mode)', () => {
    const config = loadConfig(z.object(infrastructureEnv), {});

    expect(Object.values(config).every((value) => value === undefined)).toBe(true);
  });

  it('parses a comma-separated NATS list into servers', () => {
    const config = loadConfig(z.object({ NATS_URL: natsServers() }), { NATS_URL: 'nats://a:4222, nats://b:4222' });

    expect(config.NATS_URL).toEqual(['nats://a:4222', 'nats://b:4222']);
  });

  it('accepts rediss:// for Redis over TLS', () => {
    const config = loadConfig(z.object({ REDIS_URL: redisUrl() }), { REDIS_URL: 'rediss://cache:6380' });

    expect(config.REDIS_URL).toBe('rediss://cache:6380');
  });

  it('requires the Vault token once the Vault address is set', () => {
    const error = configErrorOf(() =>
      loadConfig(z.object(infrastructureEnv), { VAULT_ADDR: 'https://vault:8200' }),
    );

    expect(error.message).toContain('VAULT_TOKEN: required when VAULT_ADDR is set, expected a Vault token, not set');
  });

  it('requires the bucket once the S3 endpoint is set', () => {
    const error = configErrorOf(() => loadConfig(z.object(infrastructureEnv), { S3_ENDPOINT: 'http://s3:9000' }));

    expect(error.issues).toEqual([
      { variable: 'S3_BUCKET', problem: 'required when S3_ENDPOINT is set, expected a bucket name, not set' },
    ]);
  });

  it('never echoes the value of a secret', () => {
    const schema = z.object({ API_SECRET: secretString().refine((s) => s.length >= 32) });

    const error = configErrorOf(() => loadConfig(schema, { API_SECRET: 'hunter2-short' }));

    expect(error.message).toContain('API_SECRET: expected a non-empty secret');
    expect(error.message).not.toContain('hunter2');
  });

  it('hides the password of a malformed URL it echoes', () => {
    const error = configErrorOf(() =>
      loadConfig(z.object({ DATABASE_URL: postgresUrl() }), { DATABASE_URL: 'mysql://app:s3cret@db/sms' }),
    );

    expect(error.message).toContain('got "mysql://app:***@db/sms"');
    expect(error.message).not.toContain('s3cret');
  });

  it('falls back to the Zod message for a variable declared without a building block', () => {
    const schema = z.object({ TENANT_LIMIT: z.string().regex(/^\d+$/, 'digits only') });

    const error = configErrorOf(() => loadConfig(schema, { TENANT_LIMIT: 'many' }));

    expect(error.message).toContain('TENANT_LIMIT: digits only, got "many"');
  });

  it('checks integer bounds', () => {
    const schema = z.object({ SHUTDOWN_GRACE_MS: integer({ min: 0 }) });

    const error = configErrorOf(() => loadConfig(schema, { SHUTDOWN_GRACE_MS: '-5' }));

    expect(error.message).toContain('SHUTDOWN_GRACE_MS: expected an integer >= 0, got "-5"');
  });
});

describe('booleanFlag', () => {
  const schema = z.object({ FEATURE_X: booleanFlag().default(false) });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads %s as %s', (raw, expected) => {
    expect(loadConfig(schema, { FEATURE_X: raw }).FEATURE_X).toBe(expected);
  });

  it('uses its default when not set', () => {
    expect(loadConfig(schema, {}).FEATURE_X).toBe(false);
  });

  it('names the variable when the flag is malformed', () => {
    const error = configErrorOf(() => loadConfig(schema, { FEATURE_X: 'yes' }));

    expect(error.message).toContain('FEATURE_X: expected a boolean flag (true, false, 1 or 0), got "yes"');
  });
});
