import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { diffOpenApi, openApiDocumentOf } from '@sms/http';
import type { OpenApiChange } from '@sms/http';
import { testApp } from '../support/test-app.js';

type Json = Record<string, unknown>;

const json = (schema: Json) => ({ content: { 'application/json': { schema } } });

function spec(paths: Json, schemas?: Json): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'svc', version: '1.0.0' },
    paths,
    ...(schemas ? { components: { schemas } } : {}),
  };
}

/** A spec with one POST /v1/sms taking `body` and answering 200 with `result`. */
function sendSpec(body: Json, result: Json = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, extra: Json = {}): Json {
  return spec({
    '/v1/sms': {
      post: { requestBody: { required: true, ...json(body) }, responses: { 200: { description: 'ok', ...json(result) } }, ...extra },
    },
  });
}

const object = (properties: Json, required: string[] = []): Json => ({ type: 'object', properties, required });

const rulesOf = (changes: OpenApiChange[], breaking: boolean) =>
  changes.filter((change) => change.breaking === breaking).map((change) => change.rule);

describe('diffOpenApi: breaking changes', () => {
  it('reports a removed path', () => {
    const before = spec({ '/a': { get: { responses: {} } }, '/b': { get: { responses: {} } } });
    const after = spec({ '/a': { get: { responses: {} } } });

    expect(diffOpenApi(before, after)).toEqual([
      { breaking: true, rule: 'path-removed', location: '/b', message: 'path removed (with GET)' },
    ]);
  });

  it('reports a removed operation', () => {
    const before = spec({ '/a': { get: { responses: {} }, delete: { responses: {} } } });
    const after = spec({ '/a': { get: { responses: {} } } });

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['operation-removed']);
  });

  it('reports a removed response status', () => {
    const before = spec({ '/a': { get: { responses: { 200: { description: 'ok' }, 404: { description: 'no' } } } } });
    const after = spec({ '/a': { get: { responses: { 200: { description: 'ok' } } } } });

    expect(diffOpenApi(before, after)).toEqual([
      { breaking: true, rule: 'response-removed', location: 'GET /a response 404', message: 'response status removed' },
    ]);
  });

  it('reports a new required parameter', () => {
    const before = spec({ '/a': { get: { responses: {} } } });
    const after = spec({ '/a': { get: { parameters: [{ in: 'query', name: 'tenant', required: true, schema: { type: 'string' } }], responses: {} } } });

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['required-parameter-added']);
  });

  it('reports a parameter that became required', () => {
    const parameter = { in: 'header', name: 'Idempotency-Key', schema: { type: 'string' } };
    const before = spec({ '/a': { post: { parameters: [parameter], responses: {} } } });
    const after = spec({ '/a': { post: { parameters: [{ ...parameter, name: 'idempotency-key', required: true }], responses: {} } } });

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['parameter-became-required']);
  });

  it('reports a new required body property', () => {
    const before = sendSpec(object({ to: { type: 'string' } }, ['to']));
    const after = sendSpec(object({ to: { type: 'string' }, sender: { type: 'string' } }, ['to', 'sender']));

    expect(diffOpenApi(before, after)).toEqual([
      {
        breaking: true,
        rule: 'required-request-property-added',
        location: 'POST /v1/sms request body (application/json) body.sender',
        message: 'new required property',
      },
    ]);
  });

  it('reports an optional body property that became required', () => {
    const before = sendSpec(object({ to: { type: 'string' }, text: { type: 'string' } }, ['to']));
    const after = sendSpec(object({ to: { type: 'string' }, text: { type: 'string' } }, ['to', 'text']));

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['request-property-became-required']);
  });

  it('reports a request body that became required', () => {
    const before = spec({ '/a': { post: { requestBody: json({ type: 'object' }), responses: {} } } });
    const after = spec({ '/a': { post: { requestBody: { required: true, ...json({ type: 'object' }) }, responses: {} } } });

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['request-body-became-required']);
  });

  it('reports a removed accepted enum value, naming it', () => {
    const before = sendSpec(object({ priority: { type: 'string', enum: ['low', 'normal', 'high'] } }));
    const after = sendSpec(object({ priority: { type: 'string', enum: ['low', 'normal'] } }));

    const [change] = diffOpenApi(before, after);

    expect(change).toMatchObject({ breaking: true, rule: 'request-enum-value-removed', message: 'no longer accepts "high"' });
    expect(change?.location).toBe('POST /v1/sms request body (application/json) body.priority');
  });

  it('reports a narrowed request type', () => {
    const before = sendSpec(object({ validity: { type: ['string', 'number'] }, count: { type: 'number' } }));
    const after = sendSpec(object({ validity: { type: 'string' }, count: { type: 'integer' } }));

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['request-type-narrowed', 'request-type-narrowed']);
  });

  it('reports a request field that no longer accepts null', () => {
    const before = sendSpec(object({ callback: { anyOf: [{ type: 'string' }, { type: 'null' }] } }));
    const after = sendSpec(object({ callback: { type: 'string' } }));

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['request-type-narrowed']);
  });

  it('reports a tightened request constraint', () => {
    const before = sendSpec(object({ text: { type: 'string', maxLength: 1600 } }));
    const after = sendSpec(object({ text: { type: 'string', maxLength: 160 } }));

    expect(diffOpenApi(before, after)).toMatchObject([{ breaking: true, rule: 'request-constraint-narrowed', message: 'maxLength lowered from 1600 to 160' }]);
  });

  it('reports a request media type no longer accepted', () => {
    const before = spec({ '/a': { post: { requestBody: { content: { 'application/json': {}, 'text/csv': {} } }, responses: {} } } });
    const after = spec({ '/a': { post: { requestBody: { content: { 'application/json': {} } }, responses: {} } } });

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['request-media-type-removed']);
  });

  it('reports a removed response property', () => {
    const before = sendSpec(object({}), object({ id: { type: 'string' }, status: { type: 'string' } }, ['id', 'status']));
    const after = sendSpec(object({}), object({ id: { type: 'string' } }, ['id']));

    expect(diffOpenApi(before, after)).toEqual([
      {
        breaking: true,
        rule: 'response-property-removed',
        location: 'POST /v1/sms response 200 (application/json) body.status',
        message: 'property removed',
      },
    ]);
  });

  it('reports a response property that is no longer required', () => {
    const before = sendSpec(object({}), object({ id: { type: 'string' } }, ['id']));
    const after = sendSpec(object({}), object({ id: { type: 'string' } }, []));

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['response-property-became-optional']);
  });

  it('reports a changed response type, including a value that may now be null', () => {
    const before = sendSpec(object({}), object({ id: { type: 'string' }, parts: { type: 'integer' } }));
    const after = sendSpec(object({}), object({ id: { type: 'integer' }, parts: { anyOf: [{ type: 'integer' }, { type: 'null' }] } }));

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual(['response-type-changed', 'response-type-changed']);
  });

  it('reports a new enum value a response may return', () => {
    const before = sendSpec(object({}), object({ status: { type: 'string', enum: ['queued', 'delivered'] } }));
    const after = sendSpec(object({}), object({ status: { type: 'string', enum: ['queued', 'delivered', 'expired'] } }));

    expect(diffOpenApi(before, after)).toMatchObject([{ breaking: true, rule: 'response-enum-value-added', message: 'may now return "expired"' }]);
  });

  it('follows $ref into components and inside arrays', () => {
    const message = (required: string[]) => object({ to: { type: 'string' }, text: { type: 'string' } }, required);
    const body = { type: 'object', properties: { messages: { type: 'array', items: { $ref: '#/components/schemas/Message' } } } };
    const paths = { '/bulk': { post: { requestBody: json(body), responses: {} } } };

    const changes = diffOpenApi(spec(paths, { Message: message(['to']) }), spec(paths, { Message: message(['to', 'text']) }));

    expect(changes).toMatchObject([
      { rule: 'request-property-became-required', location: 'POST /bulk request body (application/json) body.messages[].text' },
    ]);
  });

  it('terminates on a recursive schema', () => {
    const node = (extra: Json) => object({ name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, ...extra });
    const paths = { '/tree': { get: { responses: { 200: { description: 'ok', ...json({ $ref: '#/components/schemas/Node' }) } } } } };

    const changes = diffOpenApi(spec(paths, { Node: node({}) }), spec(paths, { Node: node({ size: { type: 'integer' } }) }));

    expect(rulesOf(changes, false)).toContain('response-property-added');
    expect(rulesOf(changes, true)).toEqual([]);
  });
});

describe('diffOpenApi: non-breaking changes', () => {
  it('finds nothing between identical documents', () => {
    const document = sendSpec(object({ to: { type: 'string' } }, ['to']));

    expect(diffOpenApi(document, structuredClone(document))).toEqual([]);
  });

  it('treats additions as non-breaking', () => {
    const before = sendSpec(object({ to: { type: 'string' }, priority: { type: 'string', enum: ['low'] } }, ['to']), object({ id: { type: 'string' } }, ['id']));
    const after = spec({
      '/v1/sms': {
        post: {
          parameters: [{ in: 'query', name: 'dry_run', schema: { type: 'boolean' } }],
          requestBody: {
            required: true,
            ...json(object({ to: { type: 'string' }, priority: { type: 'string', enum: ['low', 'high'] }, label: { type: 'string' } }, ['to'])),
          },
          responses: {
            200: { description: 'ok', ...json(object({ id: { type: 'string' }, parts: { type: 'integer' } }, ['id', 'parts'])) },
            202: { description: 'queued' },
          },
        },
        get: { responses: {} },
      },
      '/v1/status': { get: { responses: {} } },
    });

    const changes = diffOpenApi(before, after);

    expect(rulesOf(changes, true)).toEqual([]);
    expect(rulesOf(changes, false).sort()).toEqual(
      [
        'operation-added',
        'optional-parameter-added',
        'path-added',
        'request-enum-value-added',
        'request-property-added',
        'response-added',
        'response-property-added',
      ].sort(),
    );
  });

  it('treats a widened request type, a relaxed constraint and an optional request field as compatible', () => {
    const before = sendSpec(object({ count: { type: 'integer', maximum: 10 }, to: { type: 'string' } }, ['to']));
    const after = sendSpec(object({ count: { type: 'number', maximum: 100 }, to: { type: 'string' } }, []));

    expect(rulesOf(diffOpenApi(before, after), true)).toEqual([]);
  });

  it('does not care about a renamed path parameter', () => {
    const parameter = (name: string) => ({ in: 'path', name, required: true, schema: { type: 'string' } });
    const before = spec({ '/v1/sms/{id}': { get: { parameters: [parameter('id')], responses: {} } } });
    const after = spec({ '/v1/sms/{messageId}': { get: { parameters: [parameter('messageId')], responses: {} } } });

    expect(diffOpenApi(before, after)).toEqual([]);
  });
});

describe('diffOpenApi on documents generated from Zod routes', () => {
  async function documentFor(body: z.ZodType, response: z.ZodType) {
    const app = await testApp();
    app.post('/v1/sms/send', { schema: { body, response: { 202: response } } }, (_request, reply) => reply.code(202).send({}));
    return openApiDocumentOf(app);
  }

  it('sees a new required field and a nullable response field', async () => {
    const before = await documentFor(z.object({ to: z.string() }), z.object({ id: z.string(), error: z.string() }));
    const after = await documentFor(
      z.object({ to: z.string(), sender: z.string() }),
      z.object({ id: z.string(), error: z.string().nullable() }),
    );

    expect(diffOpenApi(before, after).filter((change) => change.breaking).map((change) => change.location)).toEqual([
      'POST /v1/sms/send request body (application/json) body.sender',
      'POST /v1/sms/send response 202 (application/json) body.error',
    ]);
  });
});
