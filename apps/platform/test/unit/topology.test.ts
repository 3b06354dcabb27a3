import { describe, expect, it } from 'vitest';
import { DEMO_TOPOLOGY, ruleIdOf } from '../../src/topology.js';

describe('the demo topology', () => {
  it('holds the five Afghan operators with their real destination prefixes', () => {
    const prefixes = Object.fromEntries(DEMO_TOPOLOGY.operators.map((o) => [o.code, o.prefixes]));

    expect(prefixes).toEqual({
      ROSHAN: ['9379', '9372'],
      AWCC: ['9370', '9371'],
      'ETISALAT-AF': ['9378', '9373'],
      'MTN-AF': ['9377', '9376'],
      SALAAM: ['9374'],
    });
  });

  it('gives no destination prefix to two operators', () => {
    const all = DEMO_TOPOLOGY.operators.flatMap((o) => o.prefixes);

    expect(new Set(all).size).toBe(all.length);
  });

  it('uses bind credentials operator-management and SMPP accept (system_id ≤ 15, password 1–8 characters)', () => {
    for (const operator of DEMO_TOPOLOGY.operators) {
      expect(operator.systemId.length, operator.code).toBeLessThanOrEqual(15);
      expect(operator.password.length, operator.code).toBeGreaterThanOrEqual(1);
      expect(operator.password.length, operator.code).toBeLessThanOrEqual(8);
    }
  });

  it('leases short code 4455 to tenant demo for transactional traffic, and names each rule after its operator', () => {
    expect([DEMO_TOPOLOGY.tenant.id, DEMO_TOPOLOGY.shortCode.value]).toEqual(['demo', '4455']);
    expect(DEMO_TOPOLOGY.shortCode.uses).toContain('transactional');
    expect(DEMO_TOPOLOGY.operators.map(ruleIdOf)).toEqual([
      'roshan-own-prefixes',
      'awcc-own-prefixes',
      'etisalat-af-own-prefixes',
      'mtn-af-own-prefixes',
      'salaam-own-prefixes',
    ]);
  });
});
