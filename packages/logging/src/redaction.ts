import { maskMsisdn } from './msisdn-mask.js';

/** What a removed value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values never reach a log line, at any depth. A key matches when, lower-cased and with
 * `-` and `_` removed, it equals one of these (so `apiKey`, `API_KEY`, `x-api-key` and `api-key`
 * all match `api_key`/`x_api_key`), or ends with one of `SENSITIVE_KEY_SUFFIXES`
 * (`bindPassword`, `clientSecret`, `sessionToken`).
 *
 * Message bodies: `body`, `text`, `short_message`, `message_body`, `message_payload`, `content`.
 * Credentials: `password`, `passwd`, `passphrase`, `secret`, `client_secret`, `token`,
 * `access_token`, `refresh_token`, `id_token`, `authorization`, `proxy_authorization`, `cookie`,
 * `set_cookie`, `api_key`, `x_api_key`, `private_key`.
 * `key` is redacted only when its value looks like a secret (see `looksLikeSecretKey`).
 */
export const SENSITIVE_KEYS: readonly string[] = Object.freeze([
  'body',
  'text',
  'short_message',
  'message_body',
  'message_payload',
  'content',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'authorization',
  'proxy_authorization',
  'cookie',
  'set_cookie',
  'api_key',
  'x_api_key',
  'private_key',
]);

/** Key endings that mark a credential whatever comes before them (normalised like `SENSITIVE_KEYS`). */
export const SENSITIVE_KEY_SUFFIXES: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
]);

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

const exactKeys = new Set(SENSITIVE_KEYS.map(normaliseKey));

/** True when the value of `key` must be removed whatever it holds. */
export function isSensitiveKey(key: string): boolean {
  const normalised = normaliseKey(key);
  return exactKeys.has(normalised) || SENSITIVE_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A value under a `key` field is treated as secret when it is a PEM block, or a single token of
 * at least 20 characters drawn from the base64/base64url/hex alphabet that mixes letters and
 * digits and is not a UUID. Cache keys (`idem:tenant:abc`), object keys (`exports/2024/01.csv`)
 * and idempotency keys in UUID form stay readable.
 */
export function looksLikeSecretKey(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.includes('-----BEGIN')) return true;
  return (
    value.length >= 20 &&
    /^[A-Za-z0-9+/=_-]+$/.test(value) &&
    /[A-Za-z]/.test(value) &&
    /\d/.test(value) &&
    !UUID.test(value)
  );
}

const MAX_DEPTH = 32;

function serialiseError(error: Error): Record<string, unknown> {
  const serialised: Record<string, unknown> = { type: error.constructor.name, message: error.message };
  if (error.stack !== undefined) serialised.stack = error.stack;
  for (const [key, value] of Object.entries(error)) serialised[key] = value;
  if (error.cause !== undefined) serialised.cause = error.cause;
  if (error instanceof AggregateError) serialised.errors = error.errors;
  return serialised;
}

function redact(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return maskMsisdn(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Too deep]';
  if (seen.has(value)) return '[Circular]';
  if (ArrayBuffer.isView(value)) return `[Binary ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[Binary ${value.byteLength} bytes]`;

  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redact(item, seen, depth + 1));
    if (value instanceof Error) return redact(serialiseError(value), seen, depth + 1);
    if (value instanceof Map) return redact(Object.fromEntries(value), seen, depth + 1);
    if (value instanceof Set) return redact([...value], seen, depth + 1);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return redact((toJSON as () => unknown).call(value), seen, depth + 1);

    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || item === null) copy[key] = item;
      else if (isSensitiveKey(key) || (key.toLowerCase() === 'key' && looksLikeSecretKey(item))) copy[key] = REDACTED;
      else copy[key] = redact(item, seen, depth + 1);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/**
 * A JSON-ready copy of `value` with sensitive keys replaced by "[REDACTED]" at any depth and
 * MSISDNs masked in every string (including error messages and stacks). Errors become plain
 * objects (`type`, `message`, `stack`, own fields, `cause`); binary data becomes its size.
 */
export function redactDeep(value: unknown): unknown {
  return redact(value, new WeakSet(), 0);
}
