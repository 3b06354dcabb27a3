import { randomUUID } from 'node:crypto';

/** One JSON answer of a service. */
export interface ServiceAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Mints a bearer token for a seed call (the embedded dev key outside production). */
export type SeedTokenMinter = (claims: { readonly subject: string; readonly roles: readonly string[] }) => Promise<string>;

/**
 * Calls one service's HTTP API as an administrator, with a fresh `Idempotency-Key` on every
 * state-changing call. The seed decides what to change from what it reads, so the key only guards a
 * single call (a second run reads the state and changes nothing).
 */
export class ServiceClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => Promise<string>,
  ) {}

  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<ServiceAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['idempotency-key'] = `platform-seed-${randomUUID()}`;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the error message.
    }
    return { status: response.status, body: parsed };
  }

  /** The answer's body when its status is one of `expected`; otherwise an error naming the call and the problem. */
  async expect<T>(expected: readonly number[], method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const answer = await this.call(method, path, body);
    if (!expected.includes(answer.status)) {
      throw new Error(`${method} ${this.baseUrl}${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
    }
    return answer.body as T;
  }
}
