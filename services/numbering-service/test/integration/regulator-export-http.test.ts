import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import { createLocalObjectStore, ObjectStoreUnavailableError } from '@sms/object-store';
import type { ObjectStore } from '@sms/object-store';
import { createLocalSigner } from '@sms/secrets';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';

describe('regulator export admin API', () => {
  let fixture: NumberingServiceFixture;
  let rootDir: string;
  let storeDown = false;

  beforeAll(async () => {
    rootDir = await mkdtemp(join(tmpdir(), 'numbering-export-http-'));
    const clock = new ManualClock('2026-11-01T03:00:00.000Z');
    const local = createLocalObjectStore({ rootDir, clock });
    const down = () => Promise.reject(new ObjectStoreUnavailableError('unreachable', 'injected: object store down'));
    // Delegates to the local store, or fails every call while `storeDown` is set.
    const objectStore: ObjectStore = {
      put: (key, body, options) => (storeDown ? down() : local.put(key, body, options)),
      get: (key) => (storeDown ? down() : local.get(key)),
      head: (key) => (storeDown ? down() : local.head(key)),
      delete: (key) => (storeDown ? down() : local.delete(key)),
      list: (prefix) => (storeDown ? down() : local.list(prefix)),
      ping: () => (storeDown ? down() : local.ping()),
    };
    const { privateKey } = generateKeyPairSync('ed25519');
    const exportSigner = createLocalSigner({ privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    fixture = await startNumberingServiceFixture('numbering_export_http', { clock, objectStore, exportSigner });
  });

  afterAll(async () => {
    await fixture.cleanup();
    await rm(rootDir, { recursive: true, force: true });
  });

  const call = async (method: 'GET' | 'POST', month: string, token: string) => {
    const answer = await fixture.app.inject({ method, url: `/v1/admin/regulator-exports/${month}`, headers: { authorization: `Bearer ${token}` } });
    return { status: answer.statusCode, body: answer.json<Record<string, unknown>>(), headers: answer.headers };
  };

  it('lets compliance run a month (201), answers a repeat with the stored export (200), and lets an auditor read it', async () => {
    const first = await call('POST', '2026-10', await fixture.auth.staff('compliance'));
    const repeat = await call('POST', '2026-10', await fixture.auth.staff('admin'));
    const read = await call('GET', '2026-10', await fixture.auth.staff('auditor'));

    expect([first.status, first.body.outcome, repeat.status, repeat.body.outcome, repeat.body.export]).toEqual([201, 'exported', 200, 'already_exported', first.body.export]);
    expect(read).toMatchObject({
      status: 200,
      body: {
        month: '2026-10',
        status: 'completed',
        attempts: 1,
        requestedBy: 'compliance:compliance-user',
        manifestKey: 'numbering/regulator-exports/2026-10/manifest.json',
        files: [{ name: 'inventory.csv', rows: 0 }, { name: 'lease-history.csv', rows: 0 }],
      },
    });
  });

  it.each([
    ['auditor', 'POST', 403],
    ['commerce', 'POST', 403],
    ['commerce', 'GET', 403],
  ] as const)('refuses %s a %s (%d)', async (role, method, status) => {
    expect((await call(method, '2026-10', await fixture.auth.staff(role))).status).toBe(status);
  });

  it('refuses a tenant token', async () => {
    expect((await call('POST', '2026-10', await fixture.auth.tenant('tenant-acme'))).status).toBe(403);
  });

  it('answers problem+json naming the problem for a bad month, a month not over, and a month never exported', async () => {
    const admin = await fixture.auth.staff('admin');

    const answers = [await call('POST', '2026-13', admin), await call('POST', '2026-11', admin), await call('GET', '2026-08', admin)];

    expect(answers.map((a) => [a.status, a.body.code, a.headers['content-type']])).toEqual([
      [400, 'NUMBERING.INVALID_ARGUMENT', 'application/problem+json; charset=utf-8'],
      [409, 'NUMBERING.EXPORT_MONTH_NOT_ENDED', 'application/problem+json; charset=utf-8'],
      [404, 'NUMBERING.EXPORT_NOT_FOUND', 'application/problem+json; charset=utf-8'],
    ]);
    expect(answers[0]?.body.field).toBe('month');
  });

  it('answers 503 with Retry-After while the object store is down, records the failure, and exports once it is back', async () => {
    const compliance = await fixture.auth.staff('compliance');

    storeDown = true;
    const during = await call('POST', '2026-09', compliance);
    const ledger = await call('GET', '2026-09', compliance);
    storeDown = false;
    const after = await call('POST', '2026-09', compliance);

    expect([during.status, during.body.code, during.headers['retry-after']]).toEqual([503, 'NUMBERING.UNAVAILABLE', '5']);
    expect([ledger.body.status, ledger.body.lastError]).toEqual(['failed', 'ObjectStoreUnavailableError: injected: object store down']);
    expect([after.status, (after.body.export as { status: string; attempts: number }).status, (after.body.export as { attempts: number }).attempts]).toEqual([
      201,
      'completed',
      2,
    ]);
  });
});
