import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@sms/kernel';
import { InMemoryOperatorKeyring } from '../../src/index.js';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { csv, generateOperatorKey, signFile } from '../support/operator-files.js';
import { seedCatalog } from '../support/postgres-world.js';

const ROSHAN = generateOperatorKey('roshan-2026');
const STRANGER = generateOperatorKey('stranger');

describe('operator CSV import and problem+json answers over REST, on PostgreSQL', () => {
  let fixture: NumberingServiceFixture;
  let admin: string;
  const importFile = (file: Uint8Array, signature: Uint8Array | null) =>
    fixture.app.inject({
      method: 'POST',
      url: '/v1/admin/imports',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        operatorCode: 'ROSHAN',
        file: Buffer.from(file).toString('base64'),
        ...(signature === null ? {} : { signature: Buffer.from(signature).toString('base64') }),
      },
    });
  const inventory = async (): Promise<string[]> =>
    (await fixture.app.inject({ method: 'GET', url: '/v1/admin/numbers?limit=500', headers: { authorization: `Bearer ${admin}` } }))
      .json<{ items: { number: string }[] }>()
      .items.map((i) => i.number);

  beforeAll(async () => {
    fixture = await startNumberingServiceFixture('numbering_imports', { keyring: new InMemoryOperatorKeyring({ ROSHAN: [ROSHAN.publicKey] }) });
    await seedCatalog(fixture.runtime.useCases, fixture.clock, []);
    admin = await fixture.auth.staff('admin');
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  it('imports a correctly signed file, all numbers available', async () => {
    const file = csv('93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,', '4041,short_code,ROSHAN,CTR-ROSHAN-2026,BLK-SC,general,gold');

    const answer = await importFile(file, signFile(file, ROSHAN.privateKey));

    expect([answer.statusCode, answer.json()]).toMatchObject([201, { status: 'imported', rowCount: 2, msisdnCount: 1, shortCodeCount: 1, keyId: 'roshan-2026' }]);
    expect(await inventory()).toEqual(expect.arrayContaining(['+93701000001', '4041']));
  });

  it('answers the same file again as already imported, changing nothing', async () => {
    const file = csv('93701000002,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,');
    await importFile(file, signFile(file, ROSHAN.privateKey));
    const before = await inventory();

    const again = await importFile(file, signFile(file, ROSHAN.privateKey));

    expect([again.statusCode, again.json<{ status: string }>().status, await inventory()]).toEqual([200, 'already_imported', before]);
  });

  it('refuses a file signed by another key', async () => {
    const file = csv('93701000003,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,');

    const answer = await importFile(file, signFile(file, STRANGER.privateKey));

    expect([answer.statusCode, answer.headers['content-type'], answer.json<{ code: string }>().code]).toEqual([
      422,
      'application/problem+json; charset=utf-8',
      'NUMBERING.IMPORT_SIGNATURE_INVALID',
    ]);
  });

  it('refuses a file without its signature', async () => {
    const answer = await importFile(csv('93701000004,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,'), null);

    expect([answer.statusCode, answer.json<{ code: string }>().code]).toEqual([422, 'NUMBERING.IMPORT_SIGNATURE_MISSING']);
  });

  it('imports nothing from a file with a formula-injection cell and a malformed row, naming each line', async () => {
    const file = csv(
      '93701000005,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
      '=HYPERLINK("x"),msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
      '93701000006,msisdn,ROSHAN,CTR-ROSHAN-2026',
    );

    const answer = await importFile(file, signFile(file, ROSHAN.privateKey));
    const body = answer.json<{ code: string; errors: { line: number }[] }>();

    expect([answer.statusCode, body.code, [...new Set(body.errors.map((e) => e.line))]]).toEqual([422, 'NUMBERING.IMPORT_REJECTED', [3, 4]]);
    expect(await inventory()).not.toContain('+93701000005');
  });

  it('answers a malformed body field with 400 naming it, not 500', async () => {
    const tenant = await fixture.auth.tenant('tenant-x');

    const answer = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tenant/reservations',
      headers: { authorization: `Bearer ${tenant}`, 'x-tenant-id': 'tenant-x', 'idempotency-key': uuidv7() },
      payload: { number: 12, tenantPoolId: 'x' },
    });

    expect([answer.statusCode, answer.json<{ code: string; errors: { field: string }[] }>().errors.map((e) => e.field)]).toEqual([400, ['body.number']]);
  });

  it('answers a malformed number with 400 NUMBERING.INVALID_ARGUMENT naming the field', async () => {
    const answer = await fixture.app.inject({
      method: 'POST',
      url: '/v1/admin/numbers/0701234567/reserve',
      headers: { authorization: `Bearer ${admin}`, 'idempotency-key': uuidv7() },
      payload: { tenantId: 'tenant-x', tenantPoolId: uuidv7() },
    });

    expect([answer.statusCode, answer.json<{ code: string; field: string }>()]).toMatchObject([400, { code: 'NUMBERING.INVALID_ARGUMENT', field: 'number' }]);
  });

  it('requires an Idempotency-Key on state-changing requests', async () => {
    const answer = await fixture.app.inject({
      method: 'POST',
      url: '/v1/admin/pools',
      headers: { authorization: `Bearer ${admin}` },
      payload: { reference: 'no-key', name: 'No key' },
    });

    expect([answer.statusCode, answer.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)]).toEqual([400, ['headers.idempotency-key']]);
  });

  it('replays a retried creation with the same key', async () => {
    const key = uuidv7();
    const create = () =>
      fixture.app.inject({
        method: 'POST',
        url: '/v1/admin/pools',
        headers: { authorization: `Bearer ${admin}`, 'idempotency-key': key },
        payload: { reference: 'replayed', name: 'Replayed' },
      });

    const first = await create();
    const retry = await create();

    expect([first.statusCode, retry.statusCode, retry.json()]).toEqual([201, 201, first.json()]);
  });
});
