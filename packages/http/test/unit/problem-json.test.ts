import { readFileSync } from 'node:fs';
import { problemTypeFor, defineErrors } from '@sms/kernel';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemError, httpErrors } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { collectingLogger, testApp } from '../support/test-app.js';

const sendSchema = z.object({
  to: z.string().regex(/^\+\d{8,15}$/),
  text: z.string().min(1),
  messages: z.array(z.object({ to: z.string() })).optional(),
});

async function appWithRoutes(logger = collectingLogger().logger): Promise<HttpApp> {
  const app = await testApp({ logger, bodyLimit: 1024 });
  app.post('/v1/sms/send', { schema: { body: sendSchema } }, () => Promise.resolve({ accepted: true }));
  app.get(
    '/v1/sms/:id',
    { schema: { params: z.object({ id: z.string() }), querystring: z.object({ limit: z.coerce.number().int().max(10).optional() }) } },
    () => Promise.resolve({ ok: true }),
  );
  app.get('/v1/boom', () => Promise.reject(new Error('db password=hunter2 at 10.0.0.5 failed')));
  app.get('/v1/bad-response', { schema: { response: { 200: z.object({ id: z.string() }) } } }, () => Promise.resolve({ id: 42 } as never));
  app.get('/v1/conflict', () => {
    throw new ProblemError({
      code: 'SMS.IDEMPOTENCY_CONFLICT',
      status: 409,
      title: 'Idempotency conflict',
      detail: 'The key was used with another body.',
      extra: { idempotency_key: 'k-1', status: 999 },
    });
  });
  const registry = defineErrors({ 'SMS.NOT_FOUND': { title: 'Message not found', status: 404, cause: 'No such message.' } });
  app.get('/v1/registry-error', () => {
    throw ProblemError.of(registry, 'SMS.NOT_FOUND', { detail: 'No message m-1.' });
  });
  return app;
}

function problemOf(response: { headers: Record<string, unknown>; body: string }) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
  return JSON.parse(response.body) as Record<string, unknown>;
}

describe('problem+json answers', () => {
  it('names each invalid body field with its path', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'POST', url: '/v1/sms/send', payload: { to: '12', text: '' } });

    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem).toMatchObject({
      type: problemTypeFor('REQUEST.VALIDATION_FAILED'),
      title: 'Request validation failed',
      status: 400,
      code: 'REQUEST.VALIDATION_FAILED',
      instance: '/v1/sms/send',
    });
    expect((problem.errors as { field: string }[]).map((e) => e.field)).toEqual(['body.to', 'body.text']);
    expect(problem.detail).toBe('2 invalid fields: body.to, body.text');
  });

  it('names a missing body field', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'POST', url: '/v1/sms/send', payload: { to: '+93701234567' } });

    expect(problemOf(response).errors).toEqual([{ field: 'body.text', message: expect.any(String) as string }]);
  });

  it('names a field inside an array with its index', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      payload: { to: '+93701234567', text: 'hi', messages: [{ to: 'a' }, { to: 5 }] },
    });

    expect(problemOf(response).errors).toEqual([{ field: 'body.messages[1].to', message: expect.any(String) as string }]);
  });

  it('names an invalid query parameter', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/sms/m-1?limit=500' });

    expect(response.statusCode).toBe(400);
    expect((problemOf(response).errors as { field: string }[])[0]?.field).toBe('query.limit');
  });

  it('answers 400 naming the syntax problem of malformed JSON', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      headers: { 'content-type': 'application/json' },
      payload: '{"to": "+93701234567", ',
    });

    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem).toMatchObject({ code: 'REQUEST.MALFORMED_JSON', type: problemTypeFor('REQUEST.MALFORMED_JSON') });
    expect(problem.detail).toMatch(/^The request body is not valid JSON: .+/);
  });

  it('answers 400 for an empty JSON body', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });

    expect(problemOf(response)).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED_JSON', detail: expect.stringContaining('empty') as string });
  });

  it('answers 400 for a body carrying __proto__', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      headers: { 'content-type': 'application/json' },
      payload: '{"to":"+93701234567","text":"x","__proto__":{"admin":true}}',
    });

    expect(problemOf(response)).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED_JSON', detail: expect.stringContaining('__proto__') as string });
  });

  it('answers 415 for a media type the route does not accept', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      headers: { 'content-type': 'application/xml' },
      payload: '<sms/>',
    });

    expect(response.statusCode).toBe(415);
    expect(problemOf(response)).toMatchObject({ code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', type: problemTypeFor('REQUEST.UNSUPPORTED_MEDIA_TYPE') });
  });

  it('answers 413 for a body over the limit', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({
      method: 'POST',
      url: '/v1/sms/send',
      payload: { to: '+93701234567', text: 'x'.repeat(2000) },
    });

    expect(response.statusCode).toBe(413);
    expect(problemOf(response)).toMatchObject({ code: 'REQUEST.BODY_TOO_LARGE', detail: expect.stringContaining('1024 bytes') as string });
  });

  it('answers 404 for an unknown route', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/nothing?x=1' });

    expect(response.statusCode).toBe(404);
    expect(problemOf(response)).toMatchObject({
      type: problemTypeFor('HTTP.ROUTE_NOT_FOUND'),
      code: 'HTTP.ROUTE_NOT_FOUND',
      instance: '/v1/nothing',
      detail: 'No operation at GET /v1/nothing.',
    });
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'DELETE', url: '/v1/sms/m-1' });

    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(problemOf(response)).toMatchObject({ code: 'HTTP.METHOD_NOT_ALLOWED', type: problemTypeFor('HTTP.METHOD_NOT_ALLOWED') });
  });

  it('answers 400 for a URL Fastify cannot decode', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/sms/%E0%A4%A' });

    expect(response.statusCode).toBe(400);
    expect(problemOf(response)).toMatchObject({ code: 'REQUEST.BAD_REQUEST', type: problemTypeFor('REQUEST.BAD_REQUEST') });
  });

  it('answers 500 with a generic detail for an unexpected throw, and logs the error', async () => {
    const { logger, lines } = collectingLogger();
    const app = await appWithRoutes(logger);

    const response = await app.inject({ method: 'GET', url: '/v1/boom' });

    expect(response.statusCode).toBe(500);
    const problem = problemOf(response);
    expect(problem).toMatchObject({ code: 'HTTP.INTERNAL_ERROR', type: problemTypeFor('HTTP.INTERNAL_ERROR'), status: 500 });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    expect(lines.join('')).toContain('db password=hunter2 at 10.0.0.5 failed');
  });

  it('answers 500 when a handler returns a body its response schema refuses', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/bad-response' });

    expect(response.statusCode).toBe(500);
    expect(problemOf(response).code).toBe('HTTP.INTERNAL_ERROR');
  });

  it('answers a thrown ProblemError with its code, status, detail and extension members', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/conflict' });

    expect(response.statusCode).toBe(409);
    expect(problemOf(response)).toMatchObject({
      type: problemTypeFor('SMS.IDEMPOTENCY_CONFLICT'),
      title: 'Idempotency conflict',
      status: 409,
      detail: 'The key was used with another body.',
      code: 'SMS.IDEMPOTENCY_CONFLICT',
      idempotency_key: 'k-1',
    });
  });

  it('takes title and status from an error registry', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/registry-error' });

    expect(response.statusCode).toBe(404);
    expect(problemOf(response)).toMatchObject({ title: 'Message not found', code: 'SMS.NOT_FOUND', detail: 'No message m-1.' });
  });
});

describe('request ids', () => {
  it('reuses X-Request-Id, echoes it and puts it in the problem', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/v1/nothing', headers: { 'x-request-id': 'req-123' } });

    expect(response.headers['x-request-id']).toBe('req-123');
    expect(problemOf(response).request_id).toBe('req-123');
  });

  it('reuses X-Correlation-Id when there is no X-Request-Id', async () => {
    const app = await appWithRoutes();

    const response = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-correlation-id': 'corr-9' } });

    expect(response.headers['x-request-id']).toBe('corr-9');
  });

  it('generates an id when none is given or the given one is unsafe', async () => {
    const app = await appWithRoutes();

    const plain = await app.inject({ method: 'GET', url: '/health/live' });
    const unsafe = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'a b\tc' } });

    expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the request id as correlation_id on the request log lines', async () => {
    const { logger, records } = collectingLogger();
    const app = await appWithRoutes(logger);

    await app.inject({ method: 'GET', url: '/v1/boom', headers: { 'x-request-id': 'req-log-1' } });

    const failure = records().find((record) => record.msg === 'request failed');
    expect(failure?.correlation_id).toBe('req-log-1');
  });
});

describe('request logging', () => {
  it('masks an MSISDN in the logged URL and never logs the message body', async () => {
    const { logger, lines } = collectingLogger();
    const app = await appWithRoutes(logger);

    await app.inject({ method: 'POST', url: '/v1/sms/send?to=%2B93701234567', payload: { to: '+93701234567', text: 'PIN 4839' } });

    const output = lines.join('');
    expect(output).toContain('%2B********567');
    expect(output).not.toContain('93701234567');
    expect(output).not.toContain('PIN 4839');
  });
});

describe('httpErrors', () => {
  it('documents every code in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    const undocumented = Object.keys(httpErrors).filter((code) => !readme.includes(`\`${code}\``));

    expect(undocumented).toEqual([]);
  });
});
