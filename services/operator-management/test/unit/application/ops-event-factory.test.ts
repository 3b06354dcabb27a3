import { describe, expect, it } from 'vitest';
import { SequentialIdGenerator } from '@sms/kernel';
import { OpsEventFactory, createOperator, type Operator } from '../../../src/index.js';
import { connection, valueOf } from '../../support/harness.js';

const now = new Date('2026-04-18T12:00:00.000Z');
const live = (): Operator =>
  valueOf(
    createOperator(
      { code: 'ROSHAN', name: 'Roshan', kind: 'mno', mcc: '412', mnc: '20', country: 'AF', prefixes: [], connections: [connection()] },
      { operatorId: 'op-1', connectionIds: ['c-1'] },
      now,
    ),
  );

describe('OpsEventFactory', () => {
  it('refuses to build a deleted event for an operator that is not deleted (a programming error)', () => {
    expect(() => new OpsEventFactory(new SequentialIdGenerator('e')).operatorDeleted(live())).toThrow('operator op-1 is not deleted');
  });

  it('refuses to build a rules-changed event for a rule set never stored (a programming error)', () => {
    expect(() => new OpsEventFactory(new SequentialIdGenerator('e')).routingRulesChanged({ version: 0, rules: [], updatedAt: null }, 0)).toThrow(/stored/);
  });

  it('takes each event id from the id generator', () => {
    const factory = new OpsEventFactory(new SequentialIdGenerator('e'));
    const ids = [factory.operatorChanged('created', live(), ['code']).id, factory.operatorChanged('updated', live(), ['name']).id];
    expect(ids).toEqual(['e-1', 'e-2']);
  });
});
