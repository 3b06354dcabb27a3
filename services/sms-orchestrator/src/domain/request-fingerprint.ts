import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** Which endpoint a request was made to; part of the fingerprint so one key cannot serve two endpoints. */
export type SubmitOperation = 'send' | 'bulk';

/**
 * The fingerprint an idempotency record keeps to tell "same request" from "different request
 * with the same key": lowercase hex SHA-256 of the RFC 8785 (JCS) canonical JSON of
 * `{"operation": <operation>, "request": <request>}`. Canonical JSON sorts object keys and fixes
 * number and string spelling, so key order and whitespace in the client's JSON do not matter,
 * while any difference in a value (even `"+93 70…"` against `"+9370…"`) does. Properties that
 * are `undefined` are left out, the same as when the client omits them.
 *
 * The request passed in is the one the use case received from the edge (camelCase, after the
 * edge's shape check), and must already be validated: canonicalisation refuses lone surrogates
 * and non-finite numbers.
 *
 * @throws Error when the request contains a lone surrogate, NaN, an infinity or a cycle.
 */
export function requestFingerprint(operation: SubmitOperation, request: unknown): string {
  const canonical = canonicalize({ operation, request });
  if (canonical === undefined) throw new Error('request cannot be canonicalised');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
