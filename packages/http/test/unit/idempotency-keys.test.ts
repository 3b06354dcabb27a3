import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enableIdempotencyKeys, IDEMPOTENT_REPLAY_HEADER, openApiDocumentOf, ProblemError, requestFingerprint } from '@sms/http';
import type { HttpApp, IdempotencyClaim, IdempotencyClaimInput, IdempotencyRecords, StoredResponse } from '@sms/http';
import { testApp } from '../support/test-app.js';

/** In-memory records with the semantics of the Postgres ones (no expiry: tests stay within the window). */
class InMemoryRecords implements IdempotencyRecords {
  readonly rows = new Map<string, { fingerprint: string; token: string; response: StoredResponse | null }>();
  claim(input: IdempotencyClaimInput): Promise<IdempotencyClaim> {
    const id = `${input.caller}\u0000${input.key}`;
    const row = this.rows.get(id);
    if (row === undefined) {
      this.rows.set(id, { fingerprint: input.fingerprint, token: input.token, response: null });
      return Promise.resolve({ outcome: 'new' });
    }
    if (row.fingerprint !== input.fingerprint) return Promise.resolve({ outcome: 'conflict' });
    return Promise.resolve(row.response === null ? { outcome: 'in-progress' } : { outcome: 'replay', response: row.response });
  }
  complete(input: { caller: string; key: string; token: string; response: StoredResponse }): Promise<boolean> {
    const row = this.rows.get(`${input.caller}\u0000${input.key}`);
    if (row?.token !== input.token || row.response !== null) return Promise.resolve(false);
    row.response = input.response;
    return Promise.resolve(true);
  }
  release(caller: string, key: string, token: string): Promise<void> {
    const id = `${caller}\u0000${key}`;
    if (this.rows.get(id)?.token === token && this.rows.get(id)?.response === null) this.rows.delete(id);
    return Promise.resolve();
  }
  purgeClaimedBefore(): Promise<number> {
    return Promise.resolve(0);
  }
}

const createBody = z.object({ name: z.string().min(1) });

/** An app whose routes count their effects; the caller is the `x-caller` header (a stand-in for authentication). */
async function appWithKeys(records = new InMemoryRecords()) {
  const app: HttpApp = await testApp();
  const effects: string[] = [];
  let failNext = false;
  let release: (() => void) | undefined;
  enableIdempotencyKeys(app, { records: () => records, callerOf: (request) => String(request.headers['x-caller'] ?? 'anonymous') });
  app.post(
    '/v1/things',
    { schema: { body: createBody, response: { 201: z.object({ id: z.string(), name: z.string() }) } } },
    async (request, reply) => {
      if (release !== undefined) await new Promise<void>((resolve) => (release = resolve));
      if (failNext) {
        failNext = false;
        throw new Error('database went away');
      }
      const id = `thing-${effects.length + 1}`;
      effects.push(request.body.name);
      return reply.code(201).header('location', `/v1/things/${id}`).header('etag', '"1"').send({ id, name: request.body.name });
    },
  );
  app.delete('/v1/things/:id', { schema: { params: z.object({ id: z.string() }) } }, (request) => {
    effects.push(`delete ${request.params.id}`);
    throw new ProblemError({ code: 'THING.NOT_FOUND', status: 404, title: 'Not found', detail: `no ${request.params.id}` });
  });
  app.get('/v1/things', () => Promise.resolve({ items: effects }));
  return {
    app,
    records,
    effects,
    failNextRequest: () => (failNext = true),
    holdNextRequest: () => (release = () => undefined),
    releaseHeldRequest: () => release?.(),
  };
}

const post = (app: HttpApp, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/v1/things', payload: body as Record<string, unknown>, headers: { 'x-caller': 'alice', ...headers } });

describe('Idempotency-Key on write routes', () => {
  it('performs a request without a key every time', async () => {
    const { app, effects } = await appWithKeys();
    await post(app, { name: 'a' });
    await post(app, { name: 'a' });
    expect(effects).toEqual(['a', 'a']);
  });

  it('replays the first answer, with its status, location, etag and body, for the same key and request', async () => {
    const { app, effects } = await appWithKeys();

    const first = await post(app, { name: 'roshan' }, { 'idempotency-key': 'k-1' });
    const again = await post(app, { name: 'roshan' }, { 'idempotency-key': 'k-1' });

    expect(first.statusCode).toBe(201);
    expect(first.headers[IDEMPOTENT_REPLAY_HEADER]).toBeUndefined();
    expect(again.statusCode).toBe(201);
    expect(again.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
    expect(again.body).toBe(first.body);
    expect([again.headers['location'], again.headers['etag'], again.headers['content-type']]).toEqual([first.headers['location'], first.headers['etag'], first.headers['content-type']]);
    expect(effects).toEqual(['roshan']);
  });

  it('treats JSON with other key order and spacing as the same request', async () => {
    const { app, effects } = await appWithKeys();
    await app.inject({ method: 'POST', url: '/v1/things', headers: { 'x-caller': 'alice', 'idempotency-key': 'k-2', 'content-type': 'application/json' }, payload: '{"name":"x"}' });
    const again = await app.inject({ method: 'POST', url: '/v1/things', headers: { 'x-caller': 'alice', 'idempotency-key': 'k-2', 'content-type': 'application/json' }, payload: '{ "name" : "x" }' });
    expect(again.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
    expect(effects).toEqual(['x']);
  });

  it('refuses the same key with another body with 422 problem+json and no effect', async () => {
    const { app, effects } = await appWithKeys();
    await post(app, { name: 'first' }, { 'idempotency-key': 'k-3' });

    const other = await post(app, { name: 'second' }, { 'idempotency-key': 'k-3' });

    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(other.body)).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_CONFLICT', status: 422 });
    expect(effects).toEqual(['first']);
  });

  it('refuses the same key on another route or method as another request', async () => {
    const { app } = await appWithKeys();
    await post(app, { name: 'first' }, { 'idempotency-key': 'k-4' });
    const other = await app.inject({ method: 'DELETE', url: '/v1/things/thing-1', headers: { 'x-caller': 'alice', 'idempotency-key': 'k-4' } });
    expect(other.statusCode).toBe(422);
  });

  it('keeps the keys of two callers apart', async () => {
    const { app, effects } = await appWithKeys();
    await post(app, { name: 'a' }, { 'idempotency-key': 'shared' });
    const bob = await post(app, { name: 'b' }, { 'idempotency-key': 'shared', 'x-caller': 'bob' });
    expect(bob.statusCode).toBe(201);
    expect(bob.headers[IDEMPOTENT_REPLAY_HEADER]).toBeUndefined();
    expect(effects).toEqual(['a', 'b']);
  });

  it('answers 409 with Retry-After to a duplicate that arrives while the first is still running', async () => {
    const { app, effects, holdNextRequest, releaseHeldRequest } = await appWithKeys();
    holdNextRequest();
    const first = post(app, { name: 'slow' }, { 'idempotency-key': 'k-5' });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const duplicate = await post(app, { name: 'slow' }, { 'idempotency-key': 'k-5' });
    releaseHeldRequest();

    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['retry-after']).toBe('1');
    expect(JSON.parse(duplicate.body)).toMatchObject({ code: 'REQUEST.IDEMPOTENCY_IN_PROGRESS' });
    expect((await first).statusCode).toBe(201);
    expect(effects).toEqual(['slow']);
  });

  it('frees the key after a 5xx so that the retry is performed', async () => {
    const { app, effects, failNextRequest } = await appWithKeys();
    failNextRequest();

    const failed = await post(app, { name: 'retry-me' }, { 'idempotency-key': 'k-6' });
    const retried = await post(app, { name: 'retry-me' }, { 'idempotency-key': 'k-6' });

    expect(failed.statusCode).toBe(500);
    expect(retried.statusCode).toBe(201);
    expect(retried.headers[IDEMPOTENT_REPLAY_HEADER]).toBeUndefined();
    expect(effects).toEqual(['retry-me']);
  });

  it('replays a 4xx answer of the handler as it was', async () => {
    const { app, effects } = await appWithKeys();
    const first = await app.inject({ method: 'DELETE', url: '/v1/things/nope', headers: { 'x-caller': 'alice', 'idempotency-key': 'k-7' } });
    const again = await app.inject({ method: 'DELETE', url: '/v1/things/nope', headers: { 'x-caller': 'alice', 'idempotency-key': 'k-7' } });
    expect([first.statusCode, again.statusCode]).toEqual([404, 404]);
    expect(again.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
    expect(effects).toEqual(['delete nope']);
  });

  it('refuses a key that is empty, too long or has spaces, naming the header', async () => {
    const { app, effects } = await appWithKeys();
    for (const key of ['', 'x'.repeat(256), 'has space']) {
      const response = await post(app, { name: 'a' }, { 'idempotency-key': key });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('idempotency-key');
    }
    expect(effects).toEqual([]);
  });

  it('does not claim a key for a request whose body is invalid', async () => {
    const { app, records } = await appWithKeys();
    const invalid = await post(app, { name: '' }, { 'idempotency-key': 'k-8' });
    expect(invalid.statusCode).toBe(400);
    expect(records.rows.size).toBe(0);
  });

  it('leaves read routes alone and documents the header on write routes', async () => {
    const { app } = await appWithKeys();
    const read = await app.inject({ method: 'GET', url: '/v1/things', headers: { 'idempotency-key': 'has space' } });
    expect(read.statusCode).toBe(200);

    const document = (await openApiDocumentOf(app)) as unknown as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>> };
    const create = document.paths['/v1/things']?.['post'];
    expect(create?.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')).toBe(true);
    expect(Object.keys(create?.responses ?? {})).toEqual(expect.arrayContaining(['201', '409', '422']));
    expect(document.paths['/v1/things']?.['get']?.parameters?.some((p) => p.name === 'idempotency-key') ?? false).toBe(false);
  });
});

describe('request fingerprint', () => {
  it('changes with the If-Match header and the query, not with JSON key order', () => {
    const base = { method: 'PATCH', url: '/v1/x/1', body: { a: 1, b: 2 }, headers: { 'if-match': '"3"' } };
    const fp = requestFingerprint(base, ['if-match']);
    expect(requestFingerprint({ ...base, body: { b: 2, a: 1 } }, ['if-match'])).toBe(fp);
    expect(requestFingerprint({ ...base, headers: { 'if-match': '"4"' } }, ['if-match'])).not.toBe(fp);
    expect(requestFingerprint({ ...base, url: '/v1/x/1?force=true' }, ['if-match'])).not.toBe(fp);
  });
});
