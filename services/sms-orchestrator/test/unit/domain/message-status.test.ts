import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES, canTransition, isFinal, publicStatusOf } from '../../../src/domain/message-status.js';
import type { MessageStatus } from '../../../src/domain/message-status.js';

const ALLOWED: ReadonlyArray<readonly [MessageStatus, MessageStatus]> = [
  ['accepted', 'routed'],
  ['accepted', 'rejected'],
  ['accepted', 'expired'],
  ['accepted', 'dead_lettered'],
  ['routed', 'submitted'],
  ['routed', 'delivered'],
  ['routed', 'undelivered'],
  ['routed', 'expired'],
  ['routed', 'failed'],
  ['submitted', 'delivered'],
  ['submitted', 'undelivered'],
  ['submitted', 'expired'],
  ['submitted', 'failed'],
];

const isAllowed = (from: MessageStatus, to: MessageStatus): boolean => ALLOWED.some(([f, t]) => f === from && t === to);

describe('message status state machine', () => {
  for (const [from, to] of ALLOWED) {
    it(`allows ${from} → ${to}`, () => {
      expect(canTransition(from, to)).toBe(true);
    });
  }

  for (const from of MESSAGE_STATUSES) {
    for (const to of MESSAGE_STATUSES) {
      if (isAllowed(from, to)) continue;
      it(`refuses ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(false);
      });
    }
  }

  it('treats delivered, undelivered, expired, failed, rejected and dead_lettered as final', () => {
    expect(MESSAGE_STATUSES.filter(isFinal)).toEqual(['delivered', 'undelivered', 'expired', 'failed', 'rejected', 'dead_lettered']);
  });

  it('shows dead_lettered as failed to API clients and every other status as itself', () => {
    expect(MESSAGE_STATUSES.map(publicStatusOf)).toEqual([
      'accepted',
      'routed',
      'submitted',
      'delivered',
      'undelivered',
      'expired',
      'failed',
      'rejected',
      'failed',
    ]);
  });
});
