import type { Clock } from '@sms/kernel';
import { ObjectKeyRejectedError } from './object-store.port.js';

const SEGMENT_CHARACTERS = /^[A-Za-z0-9._=-]+$/;
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_LENGTH = 200;

function segmentProblem(segment: string): string | null {
  if (segment.length === 0) return 'it has an empty segment ("//")';
  if (/^\.+$/.test(segment)) return `it has a "${segment}" segment`;
  if (segment.length > MAX_SEGMENT_LENGTH) return `a segment is longer than ${MAX_SEGMENT_LENGTH} characters`;
  if (!SEGMENT_CHARACTERS.test(segment)) {
    return `segment ${JSON.stringify(segment)} may use only A-Z, a-z, 0-9, ".", "_", "=" and "-"`;
  }
  return null;
}

/** Why `key` is not a plain relative object key, or `null` when it is one. */
export function objectKeyProblem(key: string): string | null {
  if (typeof key !== 'string') return 'it is not a string';
  if (key.length === 0) return 'it is empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.startsWith('/')) return 'it starts with "/" (keys are relative)';
  if (key.endsWith('/')) return 'it ends with "/"';
  for (const segment of key.split('/')) {
    const problem = segmentProblem(segment);
    if (problem !== null) return problem;
  }
  return null;
}

/** Returns `key` when valid; throws {@link ObjectKeyRejectedError} otherwise. */
export function checkObjectKey(key: string): string {
  const problem = objectKeyProblem(key);
  if (problem !== null) throw new ObjectKeyRejectedError(key, problem);
  return key;
}

/** Returns `prefix` when it is empty or a valid key, optionally followed by `/`; throws otherwise. */
export function checkObjectPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const problem = objectKeyProblem(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  if (problem !== null) throw new ObjectKeyRejectedError(prefix, problem);
  return prefix;
}

/** Refuses a retention date that is not a valid instant in the future; a caller bug, so it throws. */
export function checkRetainUntil(retainUntil: Date | undefined, clock: Clock): void {
  if (retainUntil === undefined) return;
  if (!(retainUntil instanceof Date) || Number.isNaN(retainUntil.getTime())) {
    throw new TypeError('retainUntil must be a valid Date');
  }
  if (retainUntil.getTime() <= clock.now().getTime()) {
    throw new RangeError(`retainUntil ${retainUntil.toISOString()} is not in the future`);
  }
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
