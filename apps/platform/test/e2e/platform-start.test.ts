import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange } from '@sms/testing';
import { platformServices } from '../../src/services.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Reads the child's stdout until every service has announced its URL. */
function waitForAnnouncements(child: ChildProcess, count: number, timeoutMs: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const urls = new Map<string, string>();
    let buffer = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
    });
    const timer = setTimeout(() => reject(new Error(`only ${urls.size} of ${count} services announced:\n${buffer.slice(-2000)}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        const match = /^(\S+)\s+(http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
        if (match?.[1] && match[2]) urls.set(match[1], match[2]);
      }
      if (urls.size === count) {
        clearTimeout(timer);
        resolve(urls);
      }
    });
    child.once('exit', (code) => reject(new Error(`platform exited with ${code} before starting:\n${buffer.slice(-2000)}`)));
  });
}

describe('npm start (the platform on embedded defaults)', () => {
  let dataDir: string;
  let child: ChildProcess;
  let urls: Map<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sms-platform-'));
    // Run as root, embedded PostgreSQL runs as the postgres user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
    // Six services on BASE_PORT..BASE_PORT+5, then embedded PostgreSQL and numbering's gRPC port.
    const basePort = await freePortRange(platformServices.length + 2);
    const [pgPort, grpcPort] = [basePort + platformServices.length, basePort + platformServices.length + 1];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      BASE_PORT: String(basePort),
      NUMBERING_GRPC_PORT: String(grpcPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The demo seed's SMSC simulators on free ports, not 2775–2779 (another run may hold them).
      PLATFORM_SIMULATOR_BASE_PORT: '0',
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'apps/platform/src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    urls = await waitForAnnouncements(child, platformServices.length, 90_000);
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('announces one line with the name and base URL of every service', () => {
    expect([...urls.keys()].sort()).toEqual(platformServices.map((s) => s.name).sort());
  });

  it('answers 200 on every service’s /health/ready, naming each dependency', async () => {
    for (const [name, url] of urls) {
      const response = await fetch(`${url}/health/ready`);
      const body = (await response.json()) as { checks: Array<{ name: string; status: string }> };
      expect(response.status, name).toBe(200);
      expect(body.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['postgres', 'bus']));
    }
  });

  it('serves Prometheus metrics on every service', async () => {
    for (const url of urls.values()) {
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).toContain('process_cpu_seconds_total');
    }
  });

  it('exits 0 after SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
