const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const UNAVAILABLE_ERRORS = new Set([
  'CacheUnavailableError',
  'AuthKeysUnavailableError',
  'BusUnavailableError',
  // The regulator export's object store and signer (Vault Transit).
  'ObjectStoreUnavailableError',
  'SignerUnavailableError',
]);

/**
 * Whether a thrown error is a dependency being down or overloaded (answer 503 / UNAVAILABLE, retry later)
 * rather than a bug (500 / INTERNAL): connection failures, PostgreSQL connection, resource and shutdown
 * errors (SQLSTATE classes 08, 53, 57P0x), serialization failures and deadlocks (40001, 40P01), pool
 * timeouts, and the platform's own "unavailable" errors.
 */
export function isInfrastructureFault(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_ERRORS.has(error.name)) return true;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^(08|53|57P0)/.test(code) || code === '40001' || code === '40P01')) return true;
  if (/Connection terminated|timeout exceeded when trying to connect|connection error|Connection refused/i.test(error.message)) return true;
  return error.cause !== undefined && isInfrastructureFault(error.cause);
}
