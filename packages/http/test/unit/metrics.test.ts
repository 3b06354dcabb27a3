import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMetricsRegistry } from '@sms/http';
import { testApp } from '../support/test-app.js';

describe('GET /metrics', () => {
  it('answers Prometheus text with default process metrics labelled with the service', async () => {
    const app = await testApp();

    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(/^process_cpu_user_seconds_total\{service="test-service"\} /m);
    expect(response.body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('labels request durations with the route pattern, not the raw URL', async () => {
    const app = await testApp();
    app.get('/v1/sms/:id', { schema: { params: z.object({ id: z.string() }) } }, () => Promise.resolve({ ok: true }));

    await app.inject({ method: 'GET', url: '/v1/sms/m-123' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.body).toMatch(
      /^http_request_duration_seconds_count\{service="test-service",method="GET",route="\/v1\/sms\/:id",status_code="200"\} 1$/m,
    );
    expect(response.body).not.toContain('m-123');
  });

  it('labels unknown routes as __unmatched', async () => {
    const app = await testApp();

    await app.inject({ method: 'GET', url: '/nope/93701234567' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.body).toMatch(/^http_request_duration_seconds_count\{service="test-service",method="GET",route="__unmatched",status_code="404"\} 1$/m);
  });

  it("exposes a service's own metrics registered on its registry", async () => {
    const registry = createMetricsRegistry('orchestrator');
    const submitted = new Counter({ name: 'sms_submitted_total', help: 'Messages accepted', registers: [registry] });
    const app = await testApp({ registry });
    submitted.inc(3);

    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.body).toMatch(/^sms_submitted_total\{service="orchestrator"\} 3$/m);
  });
});
