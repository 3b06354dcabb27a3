import { describe, expect, it } from 'vitest';
import { formatReceiptText, isDeliveryReceipt, parseDeliveryReceipt, parseReceiptText, receiptDate } from '../../../src/domain/delivery-receipt.js';

const TEXT = 'id:0005F3A9C1 sub:001 dlvrd:001 submit date:2604181015 done date:2604181016 stat:DELIVRD err:000 text:Your code is 482913';

describe('delivery receipt text', () => {
  it('reads every field of the SMPP 3.4 appendix B format', () => {
    expect(parseReceiptText(TEXT)).toEqual({
      id: '0005F3A9C1',
      state: 'DELIVRD',
      err: '000',
      sub: 1,
      dlvrd: 1,
      submitDate: new Date('2026-04-18T10:15:00Z'),
      doneDate: new Date('2026-04-18T10:16:00Z'),
    });
  });

  it('reads keys in any case and order, with dates carrying seconds', () => {
    const parsed = parseReceiptText('STAT:undeliv ERR:034 ID:abc Done Date:260418101633');
    expect(parsed).toMatchObject({ id: 'abc', state: 'UNDELIV', err: '034', doneDate: new Date('2026-04-18T10:16:33Z'), sub: null });
  });

  it('answers null for missing fields and an unknown state', () => {
    expect(parseReceiptText('hello')).toMatchObject({ id: null, state: null, err: null, submitDate: null });
    expect(parseReceiptText('id:1 stat:WHATEVER').state).toBeNull();
    expect(parseReceiptText('id: stat:DELIVRD').id).toBeNull();
  });

  it('does not take the text field for another field', () => {
    expect(parseReceiptText('id:1 stat:DELIVRD err:0 text:stat:UNDELIV').state).toBe('DELIVRD');
  });

  it('reads an impossible or malformed date as null', () => {
    expect(receiptDate('2613011010')).toBeNull();
    expect(receiptDate('2602301010')).toBeNull();
    expect(receiptDate('2601012460')).toBeNull();
    expect(receiptDate('26-01-01')).toBeNull();
    expect(receiptDate(null)).toBeNull();
  });

  it('writes a text it can read back', () => {
    const text = formatReceiptText({
      id: '00ab',
      state: 'EXPIRED',
      err: '001',
      submitDate: new Date('2026-04-18T10:15:00Z'),
      doneDate: new Date('2026-04-19T10:15:00Z'),
      text: 'a long body that goes beyond twenty characters',
    });
    expect(parseReceiptText(text)).toMatchObject({ id: '00ab', state: 'EXPIRED', err: '001', dlvrd: 0, doneDate: new Date('2026-04-19T10:15:00Z') });
    expect(text.endsWith('text:a long body that goe')).toBe(true);
  });
});

describe('delivery receipt PDU', () => {
  it('recognises esm_class 0x04 as a receipt, also with other bits set', () => {
    expect(isDeliveryReceipt(0x04)).toBe(true);
    expect(isDeliveryReceipt(0x44)).toBe(true);
    expect(isDeliveryReceipt(0x00)).toBe(false);
    expect(isDeliveryReceipt(0x08)).toBe(false);
  });

  it('refuses a deliver_sm that is not a receipt', () => {
    expect(parseDeliveryReceipt({ esmClass: 0, text: TEXT })).toEqual({ ok: false, error: { kind: 'not-a-receipt' } });
  });

  it('takes id and state from the TLVs over the text', () => {
    const result = parseDeliveryReceipt({ esmClass: 0x04, text: TEXT, receiptedMessageId: '5f3a9c1', messageState: 5 });
    expect(result).toMatchObject({ ok: true, value: { smscMessageId: '5f3a9c1', state: 'UNDELIV' } });
  });

  it('falls back to the text when the TLVs are absent or blank', () => {
    const result = parseDeliveryReceipt({ esmClass: 0x04, text: TEXT, receiptedMessageId: ' ' });
    expect(result).toMatchObject({ ok: true, value: { smscMessageId: '0005F3A9C1', state: 'DELIVRD', errorCode: null } });
  });

  it('takes the state from the TLVs when the text has none', () => {
    expect(parseDeliveryReceipt({ esmClass: 0x04, text: '', receiptedMessageId: 'x1', messageState: 2 })).toMatchObject({
      ok: true,
      value: { smscMessageId: 'x1', state: 'DELIVRD', submitted: null },
    });
  });

  it('keeps a non-zero err as the error code', () => {
    expect(parseDeliveryReceipt({ esmClass: 0x04, text: 'id:1 stat:UNDELIV err:034' })).toMatchObject({ ok: true, value: { errorCode: '034' } });
  });

  it('uses the network error code TLV when the text has no error', () => {
    const result = parseDeliveryReceipt({ esmClass: 0x04, text: 'id:1 stat:UNDELIV err:000', networkErrorCode: Uint8Array.from([3, 0x00, 0x22]) });
    expect(result).toMatchObject({ ok: true, value: { errorCode: '3:34' } });
  });

  it('ignores a zero network error code', () => {
    const result = parseDeliveryReceipt({ esmClass: 0x04, text: 'id:1 stat:DELIVRD', networkErrorCode: Uint8Array.from([3, 0, 0]) });
    expect(result).toMatchObject({ ok: true, value: { errorCode: null } });
  });

  it('refuses a receipt without an id or without a state', () => {
    expect(parseDeliveryReceipt({ esmClass: 0x04, text: 'stat:DELIVRD' })).toEqual({ ok: false, error: { kind: 'missing-id' } });
    expect(parseDeliveryReceipt({ esmClass: 0x04, text: 'id:1', messageState: 42 })).toEqual({ ok: false, error: { kind: 'missing-state' } });
  });
});
