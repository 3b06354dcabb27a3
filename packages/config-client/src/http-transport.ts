import type { ConfigValue, FetchResolved, ResolvedConfig } from './config-client.js';

export interface HttpConfigTransportOptions {
  /** config-service's base URL, e.g. `http://config-service:8083` (no trailing path). */
  readonly baseUrl: string;
  /**
   * The bearer token of the calling service (a `service` role token with its `svc` claim), or a
   * function giving the current one (called for every request, so a rotated token is picked up).
   */
  readonly token?: string | (() => string | Promise<string>);
  /** Bound on one request, connection included. */
  readonly timeoutMs: number;
}

/** Thrown by the transport when config-service cannot give a resolution; the client then serves stale values or fallbacks. */
export class ConfigTransportError extends Error {
  override readonly name = 'ConfigTransportError';
  constructor(
    message: string,
    /** HTTP status, or null when no answer arrived (network, timeout). */
    readonly status: number | null,
    /** The problem's `code` (`CONFIG.NODE_NOT_FOUND`, `AUTH.TOKEN_EXPIRED`, …) when the answer was a problem. */
    readonly code: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isConfigValue = (value: unknown): value is ConfigValue =>
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  typeof value === 'string' ||
  (Array.isArray(value) && value.every((item) => typeof item === 'string'));

/** The part of config-service's resolution answer the client needs, checked; null when the answer is not one. */
function parseResolution(body: unknown): ResolvedConfig | null {
  if (!isRecord(body) || typeof body['path'] !== 'string' || !isRecord(body['values'])) return null;
  const tenantId = body['tenantId'];
  if (tenantId !== null && typeof tenantId !== 'string') return null;
  const values: Record<string, { value: ConfigValue | null }> = {};
  for (const [key, entry] of Object.entries(body['values'])) {
    if (!isRecord(entry)) return null;
    const value = entry['value'];
    if (value !== null && !isConfigValue(value)) return null;
    values[key] = { value };
  }
  return { path: body['path'], tenantId, values };
}

/**
 * The HTTP transport of the config client: `GET <baseUrl>/v1/resolve?node=<nodeRef>` with the
 * service's bearer token, bounded by `timeoutMs`. Answers the resolution, or throws
 * {@link ConfigTransportError} (status and problem code when config-service answered an error).
 */
export function createHttpConfigTransport(options: HttpConfigTransportOptions): FetchResolved {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new RangeError('baseUrl must be an http:// or https:// URL');
  const root = options.baseUrl.replace(/\/+$/, '');
  const tokenOf = async (): Promise<string | undefined> => (typeof options.token === 'function' ? await options.token() : options.token);

  return async (nodeRef: string): Promise<ResolvedConfig> => {
    const url = `${root}/v1/resolve?node=${encodeURIComponent(nodeRef)}`;
    const token = await tokenOf();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ConfigTransportError(
        timedOut ? `config-service did not answer within ${options.timeoutMs} ms` : `config-service unreachable: ${(error as Error).message}`,
        null,
        null,
        { cause: error },
      );
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      const code = isRecord(body) && typeof body['code'] === 'string' ? body['code'] : null;
      const detail = isRecord(body) && typeof body['detail'] === 'string' ? `: ${body['detail']}` : '';
      throw new ConfigTransportError(`config-service answered ${response.status}${code === null ? '' : ` ${code}`}${detail}`, response.status, code);
    }
    const resolved = parseResolution(body);
    if (resolved === null) throw new ConfigTransportError('config-service answered something that is not a resolution', response.status, null);
    return resolved;
  };
}
