import type { HttpApp } from '@sms/http';

export interface JsonResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: Record<string, unknown>;
}

/** One request through Fastify's `inject`, with the JSON body parsed. */
export async function call(
  app: HttpApp,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
): Promise<JsonResponse> {
  const response = await app.inject({
    method,
    url,
    headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  });
  return { statusCode: response.statusCode, headers: response.headers, body: response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>) };
}

/** A valid send request: Afghan MSISDNs, a short GSM-7 text. */
export const validSend = (overrides: Record<string, unknown> = {}) => ({
  to: '+93791234567',
  from: '+93701234567',
  body: 'Your code is 482913',
  ...overrides,
});
