import { describe, expect, it } from 'vitest';
import { bindPasswordIssues, connectionKey, isNumberPrefix, isValidHost, mccMncIssues, prefixesOverlap } from '../../../src/index.js';

describe('isValidHost', () => {
  it.each(['smsc.roshan.example', 'localhost', 'a-b.c0', '10.0.0.1', '255.255.255.255', '::1', 'fe80::1', '2001:db8::8a2e:370:7334', '1:2:3:4:5:6:7:8', '::ffff:192.0.2.1'])(
    'accepts %s',
    (host) => {
      expect(isValidHost(host)).toBe(true);
    },
  );

  it.each([
    ['an empty host', ''],
    ['a label starting with a hyphen', '-smsc.example'],
    ['a label with an underscore', 'smsc_1.example'],
    ['an IPv4 octet above 255', '10.0.0.256'],
    ['an IPv4 octet with a leading zero', '10.0.0.01'],
    ['three numeric labels', '10.0.1'],
    ['two double colons', '1::2::3'],
    ['nine IPv6 groups', '1:2:3:4:5:6:7:8:9'],
    ['seven IPv6 groups without a double colon', '1:2:3:4:5:6:7'],
    ['an IPv6 group of five digits', '12345::1'],
    ['an IPv6 address with a bad IPv4 tail', '::ffff:192.0.2.300'],
    ['a host longer than 253 characters', `${'a'.repeat(63)}.`.repeat(4) + 'com'],
  ])('refuses %s', (_label, host) => {
    expect(isValidHost(host)).toBe(false);
  });
});

describe('number prefixes', () => {
  it('accepts digits without a leading zero, up to 15', () => {
    expect([isNumberPrefix('9'), isNumberPrefix('937912345678901'), isNumberPrefix('0793'), isNumberPrefix('93a')]).toEqual([true, true, false, false]);
  });

  it('treats equal and nested prefixes as overlapping and siblings as not', () => {
    expect([prefixesOverlap('93', '9379'), prefixesOverlap('9379', '93'), prefixesOverlap('9379', '9379'), prefixesOverlap('9379', '9370')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('mccMncIssues', () => {
  it('accepts Afghanistan MCC 412 with a two- or three-digit MNC', () => {
    expect([mccMncIssues('mno', '412', '20', 'AF'), mccMncIssues('mno', '412', '200', 'AF')]).toEqual([[], []]);
  });

  it('refuses a non-digit MCC', () => {
    expect(mccMncIssues('mno', '41a', '20', 'AF').map((i) => i.field)).toEqual(['mcc']);
  });

  it('reports a bad country together with the MCC/MNC issues', () => {
    expect(mccMncIssues('mno', null, null, 'af').map((i) => i.field)).toEqual(['country', 'mcc']);
  });
});

describe('bindPasswordIssues', () => {
  it('accepts 1 to 8 printable characters', () => {
    expect([bindPasswordIssues('x', 'password'), bindPasswordIssues('Ab3$efgh', 'password')]).toEqual([[], []]);
  });

  it.each([
    ['empty', ''],
    ['nine characters', 'abcdefghi'],
    ['with a space', 'ab cd'],
    ['non-ASCII', 'پسورد'],
  ])('refuses a password that is %s, without repeating it', (_label, value) => {
    const issues = bindPasswordIssues(value, 'connections[0].password');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe('connections[0].password');
    if (value !== '') expect(issues[0]?.message).not.toContain(value);
  });
});

describe('connectionKey', () => {
  it('identifies a bind by host, port and system id', () => {
    expect(connectionKey({ host: 'smsc.example', port: 2775, systemId: 'A2P' })).toBe('smsc.example:2775/A2P');
  });
});
