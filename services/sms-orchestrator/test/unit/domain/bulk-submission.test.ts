import { describe, expect, it } from 'vitest';
import { MAX_BULK_ITEMS, isBulkMessagesRequest, validateBulk } from '../../../src/domain/bulk-submission.js';
import type { BulkItemValidation } from '../../../src/domain/bulk-submission.js';
import type { SubmissionRules } from '../../../src/domain/submission.js';

const rules: SubmissionRules = { maxPartsPerMessage: 3, callbackUrlPolicy: { allowLoopbackHttp: false } };
const message = (to: string, body = 'Hello') => ({ to, from: '+93701234567', body });
const numbers = (n: number): string[] => Array.from({ length: n }, (_, i) => `+9379${String(1_000_000 + i).padStart(7, '0')}`);

const summary = (items: BulkItemValidation[]) => items.map((item) => (item.valid ? 'ok' : item.errors.map((e) => `${e.field}:${e.code}`).join(',')));

describe('validateBulk (messages form)', () => {
  it('tells the two forms apart', () => {
    expect(isBulkMessagesRequest({ messages: [] })).toBe(true);
    expect(isBulkMessagesRequest({ to: [], from: '123', body: 'x' })).toBe(false);
  });

  it('validates each message on its own and keeps the client order', () => {
    const result = validateBulk({ messages: [message('+93791234567'), message('bad'), message('+93791234568')] }, rules);
    expect(result.ok && summary(result.value)).toEqual(['ok', 'messages[1].to:ORCH.INVALID_DESTINATION', 'ok']);
  });

  it('keeps the index and the destination as given on every item', () => {
    const result = validateBulk({ messages: [message('+93791234567'), message('bad')] }, rules);
    expect(result.ok && result.value.map((item) => [item.index, item.to])).toEqual([
      [0, '+93791234567'],
      [1, 'bad'],
    ]);
  });

  it('allows the same recipient twice with different messages', () => {
    const result = validateBulk({ messages: [message('+93791234567', 'one'), message('+93791234567', 'two')] }, rules);
    expect(result.ok && summary(result.value)).toEqual(['ok', 'ok']);
  });

  it('refuses the whole request when no message is valid, listing every error', () => {
    expect(validateBulk({ messages: [message('bad'), message('+93791234567', '')] }, rules)).toMatchObject({
      ok: false,
      error: [
        { field: 'messages[0].to', code: 'ORCH.INVALID_DESTINATION' },
        { field: 'messages[1].body', code: 'ORCH.INVALID_BODY' },
      ],
    });
  });

  it('refuses an empty list', () => {
    expect(validateBulk({ messages: [] }, rules)).toEqual({
      ok: false,
      error: [{ field: 'messages', code: 'ORCH.BULK_EMPTY', message: 'messages must list at least one item' }],
    });
  });

  it('accepts exactly 1,000 messages', () => {
    const result = validateBulk({ messages: numbers(MAX_BULK_ITEMS).map((to) => message(to)) }, rules);
    expect(result.ok && result.value).toHaveLength(1000);
  });

  it('refuses 1,001 messages, naming the limit', () => {
    expect(validateBulk({ messages: numbers(1001).map((to) => message(to)) }, rules)).toEqual({
      ok: false,
      error: [{ field: 'messages', code: 'ORCH.BULK_TOO_LARGE', message: 'messages lists 1001 items, more than the limit of 1000' }],
    });
  });

  it('applies the part limit to each message', () => {
    const result = validateBulk({ messages: [message('+93791234567', 'a'.repeat(500)), message('+93791234568')] }, rules);
    expect(result.ok && summary(result.value)).toEqual(['messages[0].body:ORCH.TOO_MANY_PARTS', 'ok']);
  });
});

describe('validateBulk (one body to many recipients)', () => {
  const broadcast = (to: string[], extra: Record<string, unknown> = {}) => ({ to, from: '+93701234567', body: 'Hello all', ...extra });

  it('accepts each valid recipient with the shared content', () => {
    const result = validateBulk(broadcast(['+93791234567', '+93791234568']), rules);
    expect(result.ok && result.value.map((item) => (item.valid ? item.submission.destination.e164 : null))).toEqual([
      '+93791234567',
      '+93791234568',
    ]);
  });

  it('reports an invalid recipient by its index without failing the others', () => {
    const result = validateBulk(broadcast(['+93791234567', '12', '+93791234568']), rules);
    expect(result.ok && summary(result.value)).toEqual(['ok', 'to[1]:ORCH.INVALID_DESTINATION', 'ok']);
  });

  it('refuses a repeated recipient from its second occurrence on', () => {
    const result = validateBulk(broadcast(['+93791234567', '+93791234568', '+93791234567']), rules);
    expect(result.ok && summary(result.value)).toEqual(['ok', 'ok', 'to[2]:ORCH.DUPLICATE_RECIPIENT']);
  });

  it('refuses the whole request when a shared field is invalid', () => {
    expect(validateBulk(broadcast(['+93791234567'], { body: '' }), rules)).toMatchObject({
      ok: false,
      error: [{ field: 'body', code: 'ORCH.INVALID_BODY' }],
    });
  });

  it('refuses an empty recipient list', () => {
    expect(validateBulk(broadcast([]), rules)).toMatchObject({ ok: false, error: [{ field: 'to', code: 'ORCH.BULK_EMPTY' }] });
  });

  it('accepts exactly 1,000 recipients', () => {
    const result = validateBulk(broadcast(numbers(1000)), rules);
    expect(result.ok && result.value.every((item) => item.valid)).toBe(true);
  });

  it('refuses 1,001 recipients', () => {
    expect(validateBulk(broadcast(numbers(1001)), rules)).toMatchObject({ ok: false, error: [{ field: 'to', code: 'ORCH.BULK_TOO_LARGE' }] });
  });

  it('refuses the whole request when no recipient is valid', () => {
    expect(validateBulk(broadcast(['1', '2']), rules)).toMatchObject({
      ok: false,
      error: [{ field: 'to[0]' }, { field: 'to[1]' }],
    });
  });
});
