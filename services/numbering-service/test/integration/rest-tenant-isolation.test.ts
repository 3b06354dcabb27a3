import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@sms/kernel';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { insertNumbers, seedCatalog } from '../support/postgres-world.js';
import type { SeededCatalog } from '../support/postgres-world.js';

const A = 'tenant-a';
const B = 'tenant-b';
const A_LEASED = '+93708880001';
const A_RESERVED = '+93708880002';
const B_LEASED = '+93708880003';

describe('tenant portal: tenant B cannot see or change tenant A’s reservations and leases', () => {
  let fixture: NumberingServiceFixture;
  let catalog: SeededCatalog;
  let tokenA: string;
  let tokenB: string;
  const asTenant = (token: string, tenantId: string) => ({ authorization: `Bearer ${token}`, 'x-tenant-id': tenantId, 'idempotency-key': uuidv7() });
  const post = (url: string, token: string, tenantId: string, body: Record<string, unknown> = {}) =>
    fixture.app.inject({ method: 'POST', url, headers: asTenant(token, tenantId), payload: body });
  const get = (url: string, token: string, tenantId: string) => fixture.app.inject({ method: 'GET', url, headers: asTenant(token, tenantId) });
  const enc = encodeURIComponent;

  beforeAll(async () => {
    fixture = await startNumberingServiceFixture('numbering_isolation');
    catalog = await seedCatalog(fixture.runtime.useCases, fixture.clock, [A, B]);
    await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, [A_LEASED, A_RESERVED, B_LEASED]);
    tokenA = await fixture.auth.tenant(A);
    tokenB = await fixture.auth.tenant(B);
    for (const [number, token, tenantId] of [
      [A_LEASED, tokenA, A],
      [A_RESERVED, tokenA, A],
      [B_LEASED, tokenB, B],
    ] as const) {
      const reserved = await post('/v1/tenant/reservations', token, tenantId, { number, tenantPoolId: catalog.tenantPools[tenantId] });
      if (reserved.statusCode !== 201) throw new Error(`arrange: reserve answered ${reserved.statusCode} ${reserved.body}`);
    }
    for (const [number, token, tenantId] of [
      [A_LEASED, tokenA, A],
      [B_LEASED, tokenB, B],
    ] as const) {
      const assigned = await post(`/v1/tenant/numbers/${enc(number)}/assign`, token, tenantId, { uses: ['otp'] });
      if (assigned.statusCode !== 200) throw new Error(`arrange: assign answered ${assigned.statusCode} ${assigned.body}`);
    }
  });
  afterAll(async () => {
    await fixture.cleanup();
  });

  it("lists only the caller's own reservations and leases", async () => {
    const asA = (await get('/v1/tenant/holdings', tokenA, A)).json<{ items: { number: string }[] }>();
    const asB = (await get('/v1/tenant/holdings', tokenB, B)).json<{ items: { number: string }[] }>();

    expect([asA.items.map((i) => i.number), asB.items.map((i) => i.number)]).toEqual([[A_LEASED, A_RESERVED], [B_LEASED]]);
  });

  it("shows another tenant's number only as unavailable, without its holder", async () => {
    const response = await get(`/v1/tenant/numbers/${enc(A_LEASED)}`, tokenB, B);

    expect(response.json()).toEqual({ view: 'public', number: { number: A_LEASED, kind: 'msisdn', tier: 'standard', operatorCode: 'ROSHAN', state: 'unavailable' } });
  });

  it("lists only the caller's own tenant pools", async () => {
    const pools = (await get('/v1/tenant/pools', tokenB, B)).json<{ items: { tenantId: string }[] }>();

    expect(pools.items.map((p) => p.tenantId)).toEqual([B]);
  });

  it("refuses to release, assign or renew another tenant's reservation or lease, and changes nothing", async () => {
    const before = await fixture.runtime.useCases.system.numbers.findByValue(A_LEASED);

    const answers = [
      await post(`/v1/tenant/numbers/${enc(A_LEASED)}/release`, tokenB, B),
      await post(`/v1/tenant/numbers/${enc(A_LEASED)}/renew`, tokenB, B, {}),
      await post(`/v1/tenant/numbers/${enc(A_RESERVED)}/assign`, tokenB, B, { uses: ['otp'] }),
      await post(`/v1/tenant/numbers/${enc(A_RESERVED)}/release`, tokenB, B),
    ];

    expect(answers.map((a) => [a.statusCode, a.json<{ code: string }>().code])).toEqual([
      [403, 'NUMBERING.NOT_HOLDER'],
      [403, 'NUMBERING.NOT_HOLDER'],
      [403, 'NUMBERING.NOT_HOLDER'],
      [403, 'NUMBERING.NOT_HOLDER'],
    ]);
    expect(await fixture.runtime.useCases.system.numbers.findByValue(A_LEASED)).toEqual(before);
  });

  it("refuses to reserve into another tenant's pool", async () => {
    const [free] = await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, ['+93708880009']);

    const answer = await post('/v1/tenant/reservations', tokenB, B, { number: free?.value, tenantPoolId: catalog.tenantPools[A] });

    expect([answer.statusCode, answer.json<{ code: string }>().code]).toEqual([404, 'NUMBERING.TENANT_POOL_NOT_FOUND']);
  });

  it('refuses a token of one tenant presented for another tenant', async () => {
    const answers = [await get('/v1/tenant/holdings', tokenB, A), await post(`/v1/tenant/numbers/${enc(A_LEASED)}/release`, tokenB, A)];

    expect(answers.map((a) => [a.statusCode, a.json<{ code: string }>().code])).toEqual([
      [403, 'AUTH.TENANT_MISMATCH'],
      [403, 'AUTH.TENANT_MISMATCH'],
    ]);
  });

  it('refuses a tenant on every admin endpoint that reads or changes holdings', async () => {
    const answers = [
      await get(`/v1/admin/tenants/${A}/holdings`, tokenB, B),
      await get(`/v1/admin/numbers/${enc(A_LEASED)}`, tokenB, B),
      await post(`/v1/admin/numbers/${enc(A_LEASED)}/release`, tokenB, B, { tenantId: A }),
    ];

    expect(answers.map((a) => [a.statusCode, a.json<{ code: string }>().code])).toEqual([
      [403, 'AUTH.FORBIDDEN'],
      [403, 'AUTH.FORBIDDEN'],
      [403, 'AUTH.FORBIDDEN'],
    ]);
  });

  it('still lets the holder manage its own lease', async () => {
    const answer = await post(`/v1/tenant/numbers/${enc(A_LEASED)}/renew`, tokenA, A, { termDays: 30 });

    expect([answer.statusCode, answer.json<{ state: string }>().state]).toEqual([200, 'assigned']);
    expect((await fixture.runtime.useCases.system.numbers.findByValue(A_LEASED))?.version).toBe(4);
  });

  it('keeps the system scope able to read every tenant (jobs, staff)', async () => {
    const all = await fixture.runtime.useCases.system.numbers.listHeldByTenant({ tenantId: A, state: null, afterValue: null, limit: 10 });

    expect(all.map((x) => x.value)).toEqual([A_LEASED, A_RESERVED]);
  });
});
