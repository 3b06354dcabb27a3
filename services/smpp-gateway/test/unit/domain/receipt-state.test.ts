import { describe, expect, it } from 'vitest';
import {
  RECEIPT_STATES,
  combinePartStatuses,
  messageStateOf,
  outcomeOfReceiptState,
  receiptStateFromMessageState,
  receiptStateFromText,
} from '../../../src/domain/receipt-state.js';

describe('receipt states', () => {
  it.each([
    ['DELIVRD', { kind: 'final', status: 'delivered', errorCode: null }],
    ['UNDELIV', { kind: 'final', status: 'undelivered', errorCode: 'SMPP.UNDELIVERABLE' }],
    ['EXPIRED', { kind: 'final', status: 'expired', errorCode: 'SMPP.EXPIRED' }],
    ['REJECTD', { kind: 'final', status: 'failed', errorCode: 'SMPP.REJECTED' }],
    ['DELETED', { kind: 'final', status: 'failed', errorCode: 'SMPP.DELETED' }],
    ['UNKNOWN', { kind: 'final', status: 'failed', errorCode: 'SMPP.UNKNOWN_STATE' }],
    ['ENROUTE', { kind: 'intermediate' }],
    ['ACCEPTD', { kind: 'intermediate' }],
  ] as const)('maps %s to its platform outcome', (state, outcome) => {
    expect(outcomeOfReceiptState(state)).toEqual(outcome);
  });

  it('numbers the states as the message_state TLV does, both ways', () => {
    expect(RECEIPT_STATES.map((state) => messageStateOf(state))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((value) => receiptStateFromMessageState(value))).toEqual([...RECEIPT_STATES]);
  });

  it('answers null for a message_state value outside SMPP 3.4', () => {
    expect(receiptStateFromMessageState(9)).toBeNull();
  });

  it('reads stat text in any case and in the long forms', () => {
    expect(receiptStateFromText('delivrd')).toBe('DELIVRD');
    expect(receiptStateFromText('DELIVERED')).toBe('DELIVRD');
    expect(receiptStateFromText('Undeliverable')).toBe('UNDELIV');
    expect(receiptStateFromText('accepted')).toBe('ACCEPTD');
    expect(receiptStateFromText('REJECTED')).toBe('REJECTD');
    expect(receiptStateFromText('BOGUS')).toBeNull();
  });
});

describe('combining the parts of a concatenated message', () => {
  it('reports delivered when every part was delivered', () => {
    expect(combinePartStatuses([{ status: 'delivered', errorCode: null }, { status: 'delivered', errorCode: null }])).toEqual({ status: 'delivered', errorCode: null });
  });

  it('reports the first part that was not delivered', () => {
    expect(
      combinePartStatuses([
        { status: 'delivered', errorCode: null },
        { status: 'expired', errorCode: 'SMPP.EXPIRED' },
        { status: 'failed', errorCode: 'SMPP.REJECTED' },
      ]),
    ).toEqual({ status: 'expired', errorCode: 'SMPP.EXPIRED' });
  });

  it('reports nothing while a part has no final status', () => {
    expect(combinePartStatuses([{ status: 'delivered', errorCode: null }, { status: null, errorCode: null }])).toBeNull();
    expect(combinePartStatuses([])).toBeNull();
  });
});
