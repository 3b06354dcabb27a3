import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * A stable digest of a request body (RFC 8785 canonical JSON, then SHA-256), so a retried request with
 * the same idempotency key can be told apart from a different request reusing the key.
 */
export function fingerprintRequest(request: unknown): string {
  const text = canonicalize(request);
  if (text === undefined) throw new TypeError('request cannot be canonicalized');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
