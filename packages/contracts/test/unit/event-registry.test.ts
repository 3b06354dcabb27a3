import { isValidEventType } from '@sms/kernel';
import { describe, expect, it } from 'vitest';
import { allEventContracts, createEventValidator } from '@sms/contracts';

const validator = createEventValidator();

/** Every key of a JSON Schema's properties, at any depth. */
function propertyNames(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const item of schema) propertyNames(item, found);
  } else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value && typeof value === 'object') found.push(...Object.keys(value as object));
      propertyNames(value, found);
    }
  }
  return found;
}

describe('event schema registry', () => {
  it('names every event <domain>.<entity>.<verb>.v<N>, once', () => {
    const types = allEventContracts.map((c) => c.type);
    expect(types.filter((t) => !isValidEventType(t))).toEqual([]);
    expect(new Set(types).size).toBe(types.length);
  });

  it.each(allEventContracts.map((c) => [c.type, c] as const))('accepts the example of %s', (type, contract) => {
    expect(validator.validate(type, contract.example)).toBeNull();
  });

  it.each(allEventContracts.map((c) => [c.type, c] as const))('refuses %s data with an unknown field', (type, contract) => {
    expect(validator.validate(type, { ...contract.example, unexpected_field: 1 })).not.toBeNull();
  });

  it('has no schema with a password, secret or credential field', () => {
    const offending = allEventContracts.flatMap((c) =>
      propertyNames(c.schema)
        .filter((name) => /pass(word)?|secret|credential/i.test(name))
        .map((name) => `${c.type}: ${name}`),
    );
    expect(offending).toEqual([]);
  });

  it('refuses an event type with no registered schema', () => {
    expect(validator.validate('sms.unknown.happened.v1', {})).toEqual(['no schema is registered for event type sms.unknown.happened.v1']);
  });
});
