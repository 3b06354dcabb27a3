import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@sms/kernel';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { insertNumbers, seedCatalog } from '../support/postgres-world.js';
import type { SeededCatalog } from '../support/postgres-world.js';

const ACME = 'tenant-acme';

/** The value of the sample of the Prometheus text that has these labels (and maybe the registry's defaults). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const have = line.slice(name.length + 1, line.indexOf('}')).split(',');
    if (wanted.every((w) => have.includes(w))) return Number(line.slice(line.indexOf('}') + 1));
  }
  return undefined;
}

describe('pool scarcity gauges on /metrics (PostgreSQL)', () => {
  let fixture: NumberingServiceFixture;
  let catalog: SeededCatalog;

  beforeAll(async () => {
    fixture = await startNumberingServiceFixture('numbering_gauges');
    catalog = await seedCatalog(fixture.runtime.useCases, fixture.clock, [ACME]);
    const system = fixture.runtime.useCases.system;
    await insertNumbers(system, catalog, fixture.clock, ['+93708880001', '+93708880002', '+93708880003']);
    await insertNumbers(system, catalog, fixture.clock, ['4001', '4002'], { tier: 'gold' });
    await insertNumbers(system, catalog, fixture.clock, ['4003'], { tier: 'silver', pool: 'government' });
    const token = await fixture.auth.tenant(ACME);
    const reserved = await fixture.app.inject({
      method: 'POST',
      url: '/v1/tenant/reservations',
      headers: { authorization: `Bearer ${token}`, 'x-tenant-id': ACME, 'idempotency-key': uuidv7() },
      payload: { number: '4001', tenantPoolId: catalog.tenantPools[ACME] },
    });
    if (reserved.statusCode !== 201) throw new Error(`arrange: ${reserved.body}`);
  });
  afterAll(async () => {
    await fixture?.cleanup();
  });

  it('exports available and total numbers per inventory pool and kind', async () => {
    const text = (await fixture.app.inject({ method: 'GET', url: '/metrics' })).body;

    expect({
      generalMsisdn: [
        sample(text, 'numbering_inventory_available_numbers', { pool: 'general', kind: 'msisdn' }),
        sample(text, 'numbering_inventory_numbers', { pool: 'general', kind: 'msisdn' }),
      ],
      generalShortCodes: [
        sample(text, 'numbering_inventory_available_numbers', { pool: 'general', kind: 'short_code' }),
        sample(text, 'numbering_inventory_numbers', { pool: 'general', kind: 'short_code' }),
      ],
      governmentShortCodes: [
        sample(text, 'numbering_inventory_available_numbers', { pool: 'government', kind: 'short_code' }),
        sample(text, 'numbering_inventory_numbers', { pool: 'government', kind: 'short_code' }),
      ],
    }).toEqual({ generalMsisdn: [3, 3], generalShortCodes: [1, 2], governmentShortCodes: [1, 1] });
  });

  it('exports short-code availability per vanity tier across pools', async () => {
    const text = (await fixture.app.inject({ method: 'GET', url: '/metrics' })).body;

    expect([
      sample(text, 'numbering_short_codes_available', { tier: 'gold' }),
      sample(text, 'numbering_short_codes', { tier: 'gold' }),
      sample(text, 'numbering_short_codes_available', { tier: 'silver' }),
      sample(text, 'numbering_short_codes', { tier: 'silver' }),
      sample(text, 'numbering_short_codes_available', { tier: 'standard' }),
    ]).toEqual([1, 2, 1, 1, undefined]);
  });
});
