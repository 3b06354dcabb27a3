import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@sms/runtime';
import { createRoutingEngineService } from '../../src/service.js';

describe('routing-engine service definition', () => {
  it('registers the resolve route without any infrastructure, for the OpenAPI document', async () => {
    const document = (await buildOpenApiDocument(createRoutingEngineService())) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/v1/routes/resolve');
  });
});
