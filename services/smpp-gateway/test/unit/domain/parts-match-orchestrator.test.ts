import { segment } from '@sms/sms-orchestrator';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, splitMessage } from '../../../src/domain/message-parts.js';

// The orchestrator counts (and bills) parts; the gateway must send exactly that many, cut the same way.
const bodies = [
  '',
  'Your code is 482913',
  'a'.repeat(160),
  'a'.repeat(161),
  'a'.repeat(306),
  'a'.repeat(307),
  `${'a'.repeat(152)}€${'b'.repeat(200)}`,
  '€'.repeat(400),
  'س'.repeat(70),
  'س'.repeat(71),
  'س'.repeat(201),
  `${'س'.repeat(66)}😀${'x'.repeat(150)}`,
  'Hello 👋 world '.repeat(30),
];

describe('part counts agree with the orchestrator', () => {
  it.each(bodies.map((body) => [body.length, body] as const))('cuts a body of %i code units into the same parts', (_length, body) => {
    const expected = segment(body);
    const result = splitMessage(body, chooseEncoding(body), 1);
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value.encoding).toBe(expected.encoding);
    expect(result.value.parts.map((part) => part.text)).toEqual(expected.parts);
  });
});
