import { describe, expect, it } from 'vitest';
import { validateContent, validateDestination, validateSubmission } from '../../../src/domain/submission.js';
import type { SubmissionRules, SubmitMessageRequest } from '../../../src/domain/submission.js';

const rules: SubmissionRules = { maxPartsPerMessage: 2, callbackUrlPolicy: { allowLoopbackHttp: false } };
const valid: SubmitMessageRequest = { to: '+93791234567', from: '+93701234567', body: 'Hello' };

const fieldsOf = (request: SubmitMessageRequest): string[] => {
  const result = validateSubmission(request, rules);
  return result.ok ? [] : result.error.map((e) => `${e.field}:${e.code}`);
};

describe('validateSubmission', () => {
  it('accepts a minimal valid request with defaults for the optional fields', () => {
    const result = validateSubmission(valid, rules);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.clientReference).toBeNull();
    expect(result.value.callbackUrl).toBeNull();
    expect(result.value.validityPeriod.seconds).toBe(86_400);
    expect(result.value.segmentation).toMatchObject({ encoding: 'GSM-7', segmentCount: 1 });
  });

  it('accepts every optional field when valid', () => {
    const result = validateSubmission(
      { ...valid, clientReference: 'ref-1', validityPeriod: 600, callbackUrl: 'https://hooks.example.com/cb' },
      rules,
    );
    expect(result.ok && [result.value.clientReference?.value, result.value.validityPeriod.seconds, result.value.callbackUrl?.href]).toEqual([
      'ref-1',
      600,
      'https://hooks.example.com/cb',
    ]);
  });

  it('names the field and says what is wrong with it', () => {
    expect(validateSubmission({ ...valid, to: '0791234567' }, rules)).toEqual({
      ok: false,
      error: [
        {
          field: 'to',
          code: 'ORCH.INVALID_DESTINATION',
          message: 'to must be an E.164 number: a leading + and 7 to 15 digits, no spaces or punctuation',
        },
      ],
    });
  });

  it('reports every invalid field at once, under the API names', () => {
    expect(
      fieldsOf({ to: 'x', from: 'y', body: '', clientReference: '', validityPeriod: 1, callbackUrl: 'http://example.com' }),
    ).toEqual([
      'to:ORCH.INVALID_DESTINATION',
      'from:ORCH.INVALID_SENDER',
      'body:ORCH.INVALID_BODY',
      'client_reference:ORCH.INVALID_CLIENT_REFERENCE',
      'validity_period:ORCH.INVALID_VALIDITY_PERIOD',
      'callback_url:ORCH.INVALID_CALLBACK_URL',
    ]);
  });

  it('refuses a body needing more parts than the tenant allows', () => {
    expect(fieldsOf({ ...valid, body: 'a'.repeat(307) })).toEqual(['body:ORCH.TOO_MANY_PARTS']);
  });

  it('names the tenant limit in the too-many-parts message', () => {
    const result = validateSubmission({ ...valid, body: 'a'.repeat(307) }, rules);
    expect(!result.ok && result.error[0]?.message).toBe("body needs 3 parts in GSM-7, more than this tenant's limit of 2 parts per message");
  });

  it('accepts a body with exactly the tenant maximum of parts', () => {
    expect(validateSubmission({ ...valid, body: 'a'.repeat(306) }, rules).ok).toBe(true);
  });

  it('does not check the part limit of a body that is already invalid', () => {
    expect(fieldsOf({ ...valid, body: `${'a'.repeat(400)}\u0000` })).toEqual(['body:ORCH.INVALID_BODY']);
  });

  it('reports an invalid optional field alone when the rest is valid', () => {
    expect(fieldsOf({ ...valid, clientReference: 'r'.repeat(65) })).toEqual(['client_reference:ORCH.INVALID_CLIENT_REFERENCE']);
  });

  it('applies the callback policy it is given', () => {
    const dev = { ...rules, callbackUrlPolicy: { allowLoopbackHttp: true } };
    expect(validateSubmission({ ...valid, callbackUrl: 'http://localhost:8080/cb' }, dev).ok).toBe(true);
  });
});

describe('validateContent', () => {
  it('validates everything but the destination', () => {
    const result = validateContent({ from: '12345', body: 'Hi' }, rules);
    expect(result.ok && result.value.sender.kind).toBe('short_code');
  });

  it('reports content errors under the API names', () => {
    const result = validateContent({ from: '12', body: 'Hi', validityPeriod: 10 }, rules);
    expect(!result.ok && result.error.map((e) => e.field)).toEqual(['from', 'validity_period']);
  });
});

describe('validateDestination', () => {
  it('returns the destination when valid', () => {
    const result = validateDestination('+93791234567', 'to[0]');
    expect(result.ok && result.value.e164).toBe('+93791234567');
  });

  it('names the field it was given', () => {
    expect(validateDestination('nope', 'to[7]')).toMatchObject({ ok: false, error: { field: 'to[7]', code: 'ORCH.INVALID_DESTINATION' } });
  });
});
