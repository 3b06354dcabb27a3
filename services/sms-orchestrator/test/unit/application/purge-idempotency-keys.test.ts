import { describe, expect, it } from 'vitest';
import { PurgeIdempotencyKeys } from '../../../src/application/purge-idempotency-keys.use-case.js';
import { TENANT, createHarness, validRequest } from '../../support/harness.js';

describe('PurgeIdempotencyKeys', () => {
  it('deletes the keys claimed before the 48-hour window and keeps the younger ones', async () => {
    const h = createHarness();
    await h.submitMessage.execute({ tenantId: TENANT, idempotencyKey: 'old', request: validRequest() });
    h.clock.advance(47 * 3600 * 1000);
    await h.submitMessage.execute({ tenantId: TENANT, idempotencyKey: 'young', request: validRequest() });
    h.clock.advance(2 * 3600 * 1000);
    const result = await new PurgeIdempotencyKeys({ purger: h.idempotency, clock: h.clock }).execute();
    expect(result).toEqual({ cutoff: new Date('2026-04-18T11:00:00.000Z'), purged: 1 });
    expect(h.idempotency.size).toBe(1);
  });

  it('is harmless when run twice', async () => {
    const h = createHarness();
    await h.submitMessage.execute({ tenantId: TENANT, idempotencyKey: 'old', request: validRequest() });
    h.clock.advance(49 * 3600 * 1000);
    const purge = new PurgeIdempotencyKeys({ purger: h.idempotency, clock: h.clock });
    await purge.execute();
    expect((await purge.execute()).purged).toBe(0);
  });
});
