import { describe, expect, it } from 'vitest';
import { apiFieldPath, parseBulkBody, parseSendBody, WHOLE_BODY_FIELD } from '../../../src/adapters/http/request-shape.js';

const fields = (result: ReturnType<typeof parseSendBody> | ReturnType<typeof parseBulkBody>) =>
  result.ok ? [] : result.errors.map((e) => [e.field, e.code]);

describe('the shape check of submit requests', () => {
  it('names nested fields as the client wrote them', () => {
    expect(apiFieldPath(['messages', 3, 'to'])).toBe('messages[3].to');
    expect(apiFieldPath(['to', 17])).toBe('to[17]');
    expect(apiFieldPath([])).toBe(WHOLE_BODY_FIELD);
  });

  it('maps the API fields of a send request to the use case request, leaving absent optional fields out', () => {
    const parsed = parseSendBody({ to: '+93791234567', from: '123', body: 'x', client_reference: 'r', validity_period: 600 });

    expect(parsed).toEqual({ ok: true, value: { to: '+93791234567', from: '123', body: 'x', clientReference: 'r', validityPeriod: 600 } });
  });

  it('gives a field of the wrong type the code of that field', () => {
    expect(fields(parseSendBody({ to: 1, from: '123', body: 'x', validity_period: '600' }))).toEqual([
      ['to', 'ORCH.INVALID_DESTINATION'],
      ['validity_period', 'ORCH.INVALID_VALIDITY_PERIOD'],
    ]);
  });

  it('says a missing field is required', () => {
    const parsed = parseSendBody({ to: '+93791234567', from: '123' });

    expect(parsed.ok ? [] : parsed.errors.map((e) => e.message)).toEqual(['body is required']);
  });

  it('refuses unknown fields by name', () => {
    expect(fields(parseSendBody({ to: '+93791234567', from: '123', body: 'x', tenant_id: 'other' }))).toEqual([['tenant_id', 'ORCH.VALIDATION_FAILED']]);
  });

  it('refuses a body that is not an object', () => {
    expect(fields(parseSendBody([1, 2]))).toEqual([[WHOLE_BODY_FIELD, 'ORCH.VALIDATION_FAILED']]);
  });

  it('tells the two bulk forms apart by the messages field', () => {
    const messages = parseBulkBody({ messages: [{ to: '+93791234567', from: '123', body: 'x' }] });
    const broadcast = parseBulkBody({ to: ['+93791234567'], from: '123', body: 'x', callback_url: 'https://example.org' });

    expect(messages).toEqual({ ok: true, value: { messages: [{ to: '+93791234567', from: '123', body: 'x' }] } });
    expect(broadcast).toEqual({ ok: true, value: { to: ['+93791234567'], from: '123', body: 'x', callbackUrl: 'https://example.org' } });
  });

  it('names a bad item of a bulk request by its index', () => {
    expect(fields(parseBulkBody({ messages: [{ to: '+93791234567', from: '123', body: 'x' }, { to: 5, from: '123', body: 'x' }] }))).toEqual([
      ['messages[1].to', 'ORCH.INVALID_DESTINATION'],
    ]);
  });
});
