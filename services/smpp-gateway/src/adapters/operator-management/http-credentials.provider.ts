import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ServiceTokenSource } from '@sms/auth';
import type { Clock } from '@sms/kernel';
import type { CredentialsProvider, SmscCredentials } from '../../application/ports/credentials-provider.port.js';

/** The gateway's client certificate for operator-management's mTLS listener (PEM). */
export interface ClientTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** The CA that signed operator-management's server certificate; the system CAs when absent. */
  readonly ca?: string | Buffer;
}

export interface HttpCredentialsProviderOptions {
  /** operator-management's base URL, e.g. `https://operator-management:8443`. */
  readonly baseUrl: string;
  /** Bearer tokens carrying the gateway's service identity (`svc: smpp-gateway`); used when mTLS is off over there. */
  readonly tokens?: ServiceTokenSource;
  /** The client certificate (CN smpp-gateway): the service identity when operator-management runs mTLS. */
  readonly tls?: ClientTls;
  /** connectionId → { operatorId, systemType } of every configured connection. */
  readonly connections: ReadonlyMap<string, { readonly operatorId: string; readonly systemType: string }>;
  readonly clock: Clock;
  /** How long fetched credentials are reused. Default 30 s: a rotation is picked up by the first bind after it. */
  readonly cacheTtlMs?: number;
  /** Per request. Default 5 s. */
  readonly timeoutMs?: number;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * Bind credentials from operator-management's `GET /v1/operators/{operatorId}/connections/{connectionId}/credentials`,
 * kept for a short time. Resolves null for a connection that is not configured here or that
 * operator-management does not know (404); throws on any other failure so the bind is retried.
 * Neither the password nor the answer's body is ever part of an error message.
 */
export class HttpCredentialsProvider implements CredentialsProvider {
  private readonly cache = new Map<string, { readonly credentials: SmscCredentials; readonly until: number }>();
  private readonly cacheTtlMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpCredentialsProviderOptions) {
    if (options.tokens === undefined && options.tls === undefined) throw new RangeError('operator-management needs a service token or a client certificate');
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async credentialsFor(connectionId: string): Promise<SmscCredentials | null> {
    const connection = this.options.connections.get(connectionId);
    if (connection === undefined) return null;
    const cached = this.cache.get(connectionId);
    if (cached !== undefined && cached.until > this.options.clock.now().getTime()) return cached.credentials;

    const base = this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`;
    const url = new URL(`v1/operators/${encodeURIComponent(connection.operatorId)}/connections/${encodeURIComponent(connectionId)}/credentials`, base);
    const answer = await this.get(url);
    if (answer.status === 404) {
      this.cache.delete(connectionId);
      return null;
    }
    if (answer.status !== 200) throw new Error(`operator-management answered ${answer.status} for the credentials of ${connectionId}`);
    let body: { systemId?: unknown; password?: unknown };
    try {
      body = JSON.parse(answer.body) as typeof body;
    } catch {
      throw new Error(`operator-management answered the credentials of ${connectionId} with a body that is not JSON`);
    }
    if (typeof body.systemId !== 'string' || typeof body.password !== 'string') {
      throw new Error(`operator-management answered the credentials of ${connectionId} without systemId or password`);
    }
    const credentials: SmscCredentials = { systemId: body.systemId, password: body.password, systemType: connection.systemType };
    this.cache.set(connectionId, { credentials, until: this.options.clock.now().getTime() + this.cacheTtlMs });
    return credentials;
  }

  private async get(url: URL): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.tokens !== undefined) headers.authorization = `Bearer ${await this.options.tokens.token()}`;
    const tls = this.options.tls;
    return new Promise<Answer>((resolve, reject) => {
      const onResponse = (response: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      };
      const request =
        url.protocol === 'https:'
          ? httpsRequest(url, { method: 'GET', headers, ...(tls ? { cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}) } : {}) }, onResponse)
          : httpRequest(url, { method: 'GET', headers }, onResponse);
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`operator-management did not answer within ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end();
    });
  }
}
