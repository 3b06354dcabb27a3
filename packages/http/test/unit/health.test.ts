import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemError, openApiDocumentOf, problemResponse } from '@sms/http';
import type { ReadinessCheck } from '@sms/http';
import { testApp } from '../support/test-app.js';

const up = (name: string): ReadinessCheck => ({ name, check: () => Promise.resolve() });
const down = (name: string, message: string, critical = true): ReadinessCheck => ({
  name,
  critical,
  check: () => Promise.reject(new Error(message)),
});
const slow = (name: string, ms: number, timeoutMs?: number): ReadinessCheck => ({
  name,
  ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  check: () => new Promise((resolve) => setTimeout(resolve, ms)),
});

describe('GET /health/live', () => {
  it('answers 200 ok', async () => {
    const app = await testApp({ readiness: [down('postgres', 'refused')] });

    const response = await app.inject({ method: 'GET', url: '/health/live' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /health/ready', () => {
  it('answers 200 and lists every dependency as up when all checks pass', async () => {
    const app = await testApp({ readiness: [up('postgres'), up('nats')] });

    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      checks: [
        { name: 'postgres', status: 'up', critical: true },
        { name: 'nats', status: 'up', critical: true },
      ],
    });
  });

  it('answers 503 and says which critical dependency is down and why', async () => {
    const app = await testApp({ readiness: [up('postgres'), down('redis', 'connect ECONNREFUSED 127.0.0.1:6390')] });

    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'down',
      checks: [
        { name: 'postgres', status: 'up' },
        { name: 'redis', status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:6390' },
      ],
    });
  });

  it('stays ready but reports degraded when only a non-critical dependency fails', async () => {
    const app = await testApp({ readiness: [up('postgres'), down('s3', 'timeout', false)] });

    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'degraded', checks: [{ status: 'up' }, { name: 's3', status: 'degraded', error: 'timeout' }] });
  });

  it('counts a check that does not answer in time as down', async () => {
    const app = await testApp({ readiness: [slow('vault', 1000, 50)] });

    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ checks: [{ name: 'vault', status: 'down', error: 'no answer within 50 ms' }] });
  });

  it('runs the checks concurrently', async () => {
    const app = await testApp({ readiness: [slow('a', 200), slow('b', 200), slow('c', 200)] });

    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('keeps a connection password out of the error it reports', async () => {
    const app = await testApp({ readiness: [down('postgres', 'cannot reach postgres://app:s3cret@db:5432/sms')] });

    const response = await app.inject({ method: 'GET', url: '/health/ready' });

    expect(response.body).not.toContain('s3cret');
    expect(response.body).toContain('postgres://app:***@db:5432/sms');
  });
});

describe('OpenAPI document', () => {
  it('describes the routes as OpenAPI 3.1 with the service as title and its version', async () => {
    const app = await testApp();
    app.post(
      '/v1/sms/send',
      { schema: { body: z.object({ to: z.string() }), response: { 202: z.object({ id: z.string() }) } } },
      async (_request, reply) => reply.code(202).send({ id: 'm-1' }),
    );

    const document = await openApiDocumentOf(app);

    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'test-service', version: '1.2.3' });
    expect(Object.keys(document.paths ?? {})).toEqual(['/v1/sms/send']);
    expect(document.paths?.['/v1/sms/send']?.post?.requestBody).toBeDefined();
  });

  it('documents a problem response as application/problem+json and still sends it', async () => {
    const app = await testApp();
    app.get(
      '/v1/sms/:id',
      { schema: { params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string() }), 404: problemResponse('No such message') } } },
      (request) => {
        throw new ProblemError({ code: 'SMS.MESSAGE_NOT_FOUND', status: 404, title: 'Message not found', detail: `No message ${request.params.id}.` });
      },
    );

    const document = await openApiDocumentOf(app);
    const response = await app.inject({ method: 'GET', url: '/v1/sms/m-1' });

    const notFound = document.paths?.['/v1/sms/{id}']?.get?.responses?.['404'] as { content?: Record<string, unknown> };
    expect(Object.keys(notFound.content ?? {})).toEqual(['application/problem+json']);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SMS.MESSAGE_NOT_FOUND', detail: 'No message m-1.' });
  });

  it('hides the health and metrics routes', async () => {
    const app = await testApp();

    const document = await openApiDocumentOf(app);

    expect(document.paths ?? {}).toEqual({});
  });
});
