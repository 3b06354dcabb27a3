import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { HttpApp } from '../create-http-app.js';
import { httpErrors } from '../http-errors.js';
import { problemResponse, sendProblem } from '../problem.js';
import type { IdempotencyRecords, StoredResponse } from './idempotency-records.port.js';

/** The request header carrying the client's key. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** The response header marking an answer replayed from the first request with the same key. */
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

const MAX_KEY_LENGTH = 255;
const VISIBLE_ASCII = /^[\x21-\x7E]+$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Response headers kept with a record and replayed; the others (request id, dates) belong to each answer. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const;

export interface IdempotencyKeysOptions {
  /** The service's records; resolved at each request (routes are registered before the service starts). */
  readonly records: () => IdempotencyRecords;
  /**
   * Whose key it is, from the authenticated request (e.g. `user:<subject>` or `service:<name>`):
   * two callers' keys never meet. Runs after the route's own authentication and authorization hooks.
   */
  readonly callerOf: (request: FastifyRequest) => string;
  readonly now?: () => Date;
  readonly newToken?: () => string;
  /** Which write routes take keys; default every POST, PUT, PATCH and DELETE registered afterwards. */
  readonly appliesTo?: (route: { readonly method: string; readonly url: string }) => boolean;
  /** Request headers that change a request's meaning, part of its fingerprint. Default `if-match`. */
  readonly fingerprintHeaders?: readonly string[];
}

/** What a claimed request carries until its answer is recorded or the claim released. */
interface PendingClaim {
  readonly caller: string;
  readonly key: string;
  readonly token: string;
  settled: boolean;
}

const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(MAX_KEY_LENGTH)
  .regex(VISIBLE_ASCII)
  .optional()
  .describe(
    'Optional. The same key with the same request within 48 h answers the first answer again, with `Idempotent-Replayed: true`; ' +
      'with another request 422 `REQUEST.IDEMPOTENCY_CONFLICT`; while the first is still running 409 `REQUEST.IDEMPOTENCY_IN_PROGRESS`. ' +
      'Keys are per caller; 1 to 255 visible ASCII characters (a UUID fits).',
  );

/**
 * The fingerprint of a request: hex SHA-256 of the RFC 8785 canonical JSON of its method, path
 * with query, body and meaningful headers. Key order and whitespace of the JSON body do not
 * matter; any value does.
 */
export function requestFingerprint(request: { readonly method: string; readonly url: string; readonly body: unknown; readonly headers: Readonly<Record<string, unknown>> }, headerNames: readonly string[]): string {
  const headers = Object.fromEntries(headerNames.map((name) => [name, request.headers[name] ?? null]));
  const canonical = canonicalize({ method: request.method, url: request.url, body: request.body ?? null, headers });
  if (canonical === undefined) throw new Error('request cannot be canonicalised');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const asArray = <T>(value: T | readonly T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T]);

/**
 * Makes the write routes registered after this call honour an optional `Idempotency-Key` header
 * (ARCHITECTURE.md, "Idempotency"), by adding hooks to them as they are registered (`onRoute`):
 * - after the route's own `preHandler`s (authorization first), the key is claimed for the caller:
 *   a new claim lets the handler run; the same request already answered gets the stored answer with
 *   `Idempotent-Replayed: true`; another request under the key gets 422
 *   `REQUEST.IDEMPOTENCY_CONFLICT`; the same request still running gets 409
 *   `REQUEST.IDEMPOTENCY_IN_PROGRESS` (so concurrent duplicates produce one effect);
 * - `onSend` records the answer (status, representation headers, body) when it is below 500, and
 *   releases the claim on a 5xx so the client may retry with the key;
 * - the header is added to the route's schema (OpenAPI), with the 409 and 422 answers.
 *
 * The record is written after the handler's own transaction committed: if the process dies in
 * between, the claim is abandoned and, after the records' in-progress timeout, the request can be
 * performed again. Routes whose effect must be exactly once even then record inside their unit of
 * work instead (the orchestrator's submit API does).
 */
export function enableIdempotencyKeys(app: HttpApp, options: IdempotencyKeysOptions): void {
  const pending = new WeakMap<FastifyRequest, PendingClaim>();
  const now = options.now ?? (() => new Date());
  const newToken = options.newToken ?? randomUUID;
  const fingerprintHeaders = options.fingerprintHeaders ?? ['if-match'];

  const claim = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (raw === undefined) return undefined;
    const key = Array.isArray(raw) ? raw.join(',') : raw;
    if (key.length === 0 || key.length > MAX_KEY_LENGTH || !VISIBLE_ASCII.test(key)) {
      return sendProblem(reply, {
        code: 'REQUEST.VALIDATION_FAILED',
        status: 400,
        title: httpErrors['REQUEST.VALIDATION_FAILED'].title,
        detail: `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters without spaces`,
        extra: { errors: [{ field: 'headers.idempotency-key', message: `must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters without spaces` }] },
      });
    }
    const caller = options.callerOf(request);
    const token = newToken();
    const fingerprint = requestFingerprint({ method: request.method, url: request.url, body: request.body, headers: request.headers }, fingerprintHeaders);
    const outcome = await options.records().claim({ caller, key, fingerprint, token, now: now() });
    switch (outcome.outcome) {
      case 'new':
        pending.set(request, { caller, key, token, settled: false });
        return undefined;
      case 'replay': {
        const { statusCode, headers, body } = outcome.response;
        return reply.code(statusCode).headers(headers).header(IDEMPOTENT_REPLAY_HEADER, 'true').send(body);
      }
      case 'conflict':
        return sendProblem(reply, {
          code: 'REQUEST.IDEMPOTENCY_CONFLICT',
          status: httpErrors['REQUEST.IDEMPOTENCY_CONFLICT'].status,
          title: httpErrors['REQUEST.IDEMPOTENCY_CONFLICT'].title,
          detail: 'This Idempotency-Key was already used with a different request (method, path, body or If-Match); use a new key for a new request.',
        });
      case 'in-progress':
        return sendProblem(reply, {
          code: 'REQUEST.IDEMPOTENCY_IN_PROGRESS',
          status: httpErrors['REQUEST.IDEMPOTENCY_IN_PROGRESS'].status,
          title: httpErrors['REQUEST.IDEMPOTENCY_IN_PROGRESS'].title,
          detail: 'A request with this Idempotency-Key is still being processed; retry shortly to get its answer.',
          headers: { 'retry-after': '1' },
        });
    }
  };

  const record = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const claimed = pending.get(request);
    if (claimed === undefined || claimed.settled) return payload;
    claimed.settled = true;
    const records = options.records();
    try {
      if (reply.statusCode >= 500 || (typeof payload !== 'string' && !Buffer.isBuffer(payload) && payload !== undefined && payload !== null)) {
        // A fault (the client may retry with the key), or a streamed body that cannot be stored.
        await records.release(claimed.caller, claimed.key, claimed.token);
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      const body = payload === undefined || payload === null ? '' : typeof payload === 'string' ? payload : payload.toString('utf8');
      const response: StoredResponse = { statusCode: reply.statusCode, headers, body };
      const stored = await records.complete({ caller: claimed.caller, key: claimed.key, token: claimed.token, response, now: now() });
      if (!stored) request.log.warn({ idempotencyKey: claimed.key }, 'idempotency claim was taken over before the answer was recorded');
    } catch (error) {
      // The effect happened; the answer goes out. The claim stays until its in-progress timeout.
      request.log.error({ err: error }, 'idempotency record could not be written');
    }
    return payload;
  };

  // An answer that never went through onSend (aborted request): free the key for a retry.
  const settle = async (request: FastifyRequest): Promise<void> => {
    const claimed = pending.get(request);
    if (claimed === undefined || claimed.settled) return;
    claimed.settled = true;
    await options
      .records()
      .release(claimed.caller, claimed.key, claimed.token)
      .catch((error: unknown) => request.log.error({ err: error }, 'idempotency claim could not be released'));
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = asArray(route.method).map((m) => String(m).toUpperCase());
    const write = methods.find((m) => WRITE_METHODS.has(m));
    if (write === undefined || !(options.appliesTo?.({ method: write, url: route.url }) ?? true)) return;
    route.preHandler = [...asArray(route.preHandler), claim] as RouteOptions['preHandler'];
    route.onSend = [...asArray(route.onSend), record] as RouteOptions['onSend'];
    route.onResponse = [...asArray(route.onResponse), settle] as RouteOptions['onResponse'];
    documentHeader(route);
  });
}

// The header and its answers in the route's schema: validated and in the OpenAPI document.
function documentHeader(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as { headers?: unknown; response?: Record<string | number, unknown> };
  const headers = schema.headers;
  if (headers === undefined) schema.headers = z.object({ [IDEMPOTENCY_KEY_HEADER]: idempotencyKeySchema });
  else if (headers instanceof z.ZodObject) schema.headers = headers.extend({ [IDEMPOTENCY_KEY_HEADER]: idempotencyKeySchema });
  if (schema.response !== undefined) {
    schema.response = {
      409: problemResponse('REQUEST.IDEMPOTENCY_IN_PROGRESS (or the operation\'s own conflict)'),
      422: problemResponse('REQUEST.IDEMPOTENCY_CONFLICT'),
      ...schema.response,
    };
  }
  route.schema = schema;
}
