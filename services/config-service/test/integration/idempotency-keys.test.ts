import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture } from '../support/http-fixture.js';
import type { HttpFixture } from '../support/http-fixture.js';
import { startServiceFixture } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';
import { actors } from '../support/tree.js';
import type { Subject } from '../../src/domain/access.js';

/** Idempotency-Key on the write routes, end to end: HTTP in (inject), real PostgreSQL and NATS behind it. */
describe('config-service Idempotency-Key', () => {
  let service: ServiceFixture;
  let http: HttpFixture;

  beforeAll(async () => {
    service = await startServiceFixture('cfg_idem');
    http = await startHttpFixture(service.runtime.useCases, { registry: service.registry, metrics: service.runtime.metrics, idempotency: service.runtime.idempotency });
  });
  afterAll(async () => {
    await http?.close();
    await service?.cleanup();
  });

  const createRegion = async (name: string, key: string, subject: Subject = actors.platformAdmin, reason = 'new region') =>
    http.app.inject({
      method: 'POST',
      url: '/v1/nodes',
      headers: { authorization: `Bearer ${await http.token(subject)}`, 'idempotency-key': key },
      payload: { parent: '/GLOBAL', level: 'region', name, reason },
    });

  const nodesNamed = async (name: string): Promise<number> => {
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM config.config_nodes WHERE name = ${name}`.execute(service.db.database.db);
    return rows.rows[0]?.n ?? -1;
  };

  it('replays the first answer of POST /v1/nodes for the same key and body, creating the node once', async () => {
    const first = await createRegion('idem-east', 'region-east-1');
    const again = await createRegion('idem-east', 'region-east-1');

    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect([again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(again.body).toBe(first.body);
    expect(await nodesNamed('idem-east')).toBe(1);
  });

  it('refuses the same key with another body with 422 problem+json and creates nothing', async () => {
    await createRegion('idem-west', 'region-west-1');

    const other = await createRegion('idem-north', 'region-west-1');

    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_CONFLICT' });
    expect(await nodesNamed('idem-north')).toBe(0);
  });

  it('creates one node when ten identical requests with one key arrive at once', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => createRegion('idem-south', 'region-south-concurrent')));

    expect(answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.statusCode !== 201)) {
      expect(answer.statusCode).toBe(409);
      expect(answer.json()).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_IN_PROGRESS' });
    }
    expect(await nodesNamed('idem-south')).toBe(1);
  });

  it('keeps the keys of two callers apart', async () => {
    const otherAdmin: Subject = { ...actors.platformAdmin, id: 'user:root-2' };
    await createRegion('idem-a', 'shared-key');

    const other = await createRegion('idem-b', 'shared-key', otherAdmin);

    expect(other.statusCode).toBe(201);
    expect(await nodesNamed('idem-b')).toBe(1);
  });

  it('replays a refusal of the use case (a 4xx) instead of running it again', async () => {
    const reader = actors.acmeReader;
    const first = await createRegion('idem-refused', 'refused-1', reader);
    const again = await createRegion('idem-refused', 'refused-1', reader);

    expect(first.statusCode).toBeGreaterThanOrEqual(400);
    expect(first.statusCode).toBeLessThan(500);
    expect([again.statusCode, again.headers['idempotent-replayed']]).toEqual([first.statusCode, 'true']);
    expect(await nodesNamed('idem-refused')).toBe(0);
  });

  it('purges records claimed more than 48 hours ago, once per cluster', async () => {
    await sql`INSERT INTO config.idempotency_keys (caller, key, fingerprint, claim_token, created_at)
      VALUES ('user:-:user:root', 'ancient', ${'0'.repeat(64)}, gen_random_uuid(), now() - interval '49 hours')`.execute(service.db.database.db);

    const outcome = await service.runtime.purgeIdempotencyKeys();

    expect(outcome).toEqual({ status: 'ran', value: 1 });
    const left = await sql<{ key: string }>`SELECT key FROM config.idempotency_keys`.execute(service.db.database.db);
    expect(left.rows.map((r) => r.key)).toContain('region-east-1');
  });
});
