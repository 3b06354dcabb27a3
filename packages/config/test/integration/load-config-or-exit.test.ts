import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../fixtures/start-service.ts', import.meta.url));

function runService(env: Record<string, string>) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', script], {
    env: { PATH, HOME, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('loadConfigOrExit', () => {
  it('stops the process with EX_CONFIG and names each bad variable on stderr', () => {
    const result = runService({ DATABASE_URL: 'mysql://x' });

    expect(result.status).toBe(78);
    expect(result.stderr).toContain('fixture-service: invalid configuration (2 problems):');
    expect(result.stderr).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://x"');
    expect(result.stderr).toContain('PORT: required, expected an integer 1-65535, not set');
    expect(result.stdout).toBe('');
  });

  it('lets the process start when the environment is valid', () => {
    const result = runService({ PORT: '8080', DATABASE_URL: 'postgres://db/sms' });

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ port: 8080, database: 'postgres://db/sms' });
  });
});
