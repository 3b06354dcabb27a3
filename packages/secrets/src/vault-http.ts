import type { UnavailableReason } from './secret-store.port.js';

export interface VaultHttpOptions {
  /** Base URL of Vault, e.g. `https://vault.internal:8200`. */
  readonly address: string;
  readonly token: string;
  /** Vault Enterprise namespace, sent as `X-Vault-Namespace`. */
  readonly namespace?: string | undefined;
  readonly timeoutMs: number;
}

export interface VaultReply {
  readonly status: number;
  /** Parsed JSON body; `null` for an empty body (204). */
  readonly body: unknown;
}

export type UnavailableFactory = (reason: UnavailableReason, message: string) => Error;

/** A thin client over Vault's HTTP API: one request, one timeout, errors that never carry the token. */
export interface VaultHttp {
  /** Where Vault is, for messages (origin only: no credentials, no path). */
  readonly origin: string;
  /**
   * Sends one request to `/v1/<apiPath>`. Network faults, timeouts, 403, 429 and 5xx answers
   * are thrown as the caller's "unavailable" error; any other status is returned.
   */
  send(
    operation: string,
    method: 'GET' | 'POST' | 'DELETE',
    apiPath: string,
    options?: { body?: unknown; unauthenticated?: boolean },
  ): Promise<VaultReply>;
  /** The `errors` array of a Vault error body, joined, with the token scrubbed. */
  describeErrors(body: unknown): string;
}

export function createVaultHttp(options: VaultHttpOptions, unavailable: UnavailableFactory): VaultHttp {
  const { token, namespace, timeoutMs } = options;
  if (typeof token !== 'string' || token.length === 0) throw new Error('a Vault token is required');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error('timeoutMs must be a positive number');
  const base = new URL(options.address);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`Vault address must be an http(s) URL, got protocol ${base.protocol}`);
  }
  const origin = base.origin;
  const prefix = base.pathname.replace(/\/+$/, '');

  // Belt and braces: Vault never echoes the token, but nothing we build a message from may carry it.
  const scrub = (text: string): string => text.split(token).join('[redacted]');

  const describeErrors = (body: unknown): string => {
    const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors : [];
    const text = errors.filter((e): e is string => typeof e === 'string').join('; ');
    return scrub(text.length > 0 ? text : 'no error detail');
  };

  const send: VaultHttp['send'] = async (operation, method, apiPath, sendOptions = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (!sendOptions.unauthenticated) {
      headers['x-vault-token'] = token;
      if (namespace !== undefined && namespace.length > 0) headers['x-vault-namespace'] = namespace;
    }
    let requestBody: string | undefined;
    if (sendOptions.body !== undefined) {
      headers['content-type'] = 'application/json';
      requestBody = JSON.stringify(sendOptions.body);
    }

    let status: number;
    let text: string;
    try {
      const response = await fetch(`${origin}${prefix}/v1/${apiPath}`, {
        method,
        headers,
        body: requestBody,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) {
        throw unavailable('timeout', `${operation}: Vault at ${origin} did not answer within ${timeoutMs} ms`);
      }
      throw unavailable('unreachable', `${operation}: Vault at ${origin} is unreachable (${scrub(networkDetail(error))})`);
    }

    const body = parseBody(text);
    if (status === 403) {
      throw unavailable(
        'permission-denied',
        `${operation}: Vault at ${origin} refused the token (403: ${describeErrors(body)}); check the token and its policy`,
      );
    }
    if (status === 429 || status === 501 || status === 503) {
      throw unavailable('not-ready', `${operation}: Vault at ${origin} is not ready (${status}: ${describeErrors(body)})`);
    }
    if (status >= 500) {
      throw unavailable('server-error', `${operation}: Vault at ${origin} failed (${status}: ${describeErrors(body)})`);
    }
    return { status, body };
  };

  return { origin, send, describeErrors };
}

/** Joins path segments for a Vault URL, encoding each one (they are validated, this is defence in depth). */
export const vaultPath = (...parts: string[]): string =>
  parts
    .flatMap((part) => part.split('/'))
    .map((segment) => encodeURIComponent(segment))
    .join('/');

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseBody(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { errors: [`non-JSON answer (${text.length} bytes)`] };
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
