import type { TLSSocket } from 'node:tls';
import { authenticate, authErrors, type JwtVerifier } from '@sms/auth';
import { sendProblem } from '@sms/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallerIdentity } from '../../application/caller-identity.js';

/** Roles allowed to change operators, connections, passwords and routing rules (any one of them). */
export const OPS_ADMIN_ROLES = ['ops-admin', 'platform-admin'] as const;

/** How the HTTP edge decides who is calling. */
export interface CallerPolicy {
  readonly verifier: JwtVerifier;
  /**
   * Production (mTLS): a service identity comes only from the client certificate the TLS layer
   * verified, never from a token's `svc` claim. Without mTLS (embedded mode, tests) the `svc`
   * claim of a verified token names the service.
   */
  readonly serviceIdentityFromCertificateOnly: boolean;
  /** Services that may report health (the SMPP gateway). */
  readonly healthReporters: readonly string[];
}

const callers = new WeakMap<FastifyRequest, CallerIdentity>();

/** The service named by the verified client certificate of an mTLS connection (its CN), if any. */
export function certificateIdentity(request: FastifyRequest): string | null {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return null;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' && cn !== '' ? cn : null;
}

/**
 * An `onRequest` hook that establishes the caller: a service from its verified client
 * certificate when it sends no token, otherwise the principal of its bearer token (401 problem
 * when missing or invalid, through @sms/auth). Everything under /v1 requires one of the two.
 */
export function identifyCaller(policy: () => CallerPolicy) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const certified = certificateIdentity(request);
    if (certified !== null && request.headers.authorization === undefined) {
      callers.set(request, { kind: 'service', service: certified });
      return undefined;
    }
    const { verifier, serviceIdentityFromCertificateOnly } = policy();
    const refused = await authenticate(verifier)(request, reply);
    if (reply.sent) return refused;
    const principal = request.principal;
    if (principal === undefined) throw new Error('authenticate let a request through without a principal');
    callers.set(
      request,
      principal.serviceName !== null && !serviceIdentityFromCertificateOnly
        ? { kind: 'service', service: principal.serviceName }
        : { kind: 'user', subject: principal.subject, roles: principal.roles },
    );
    return undefined;
  };
}

/** The caller established by {@link identifyCaller}; a route without the hook is a wiring bug. */
export function callerOf(request: FastifyRequest): CallerIdentity {
  const caller = callers.get(request);
  if (caller === undefined) throw new Error('no caller on this request: the route is missing the identifyCaller hook');
  return caller;
}

function forbid(reply: FastifyReply, message: string, requiredRoles: readonly string[]): FastifyReply {
  const definition = authErrors['AUTH.FORBIDDEN'];
  reply.request.log.info({ code: 'AUTH.FORBIDDEN', status: definition.status }, 'request rejected');
  return sendProblem(reply, {
    code: 'AUTH.FORBIDDEN',
    status: definition.status,
    title: definition.title,
    detail: message,
    extra: { required_roles: requiredRoles },
  });
}

/** A `preHandler` letting through people holding one of {@link OPS_ADMIN_ROLES}; everyone else gets 403. */
export function requireAdmin() {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const caller = callerOf(request);
    if (caller.kind === 'user' && OPS_ADMIN_ROLES.some((role) => caller.roles.includes(role))) return undefined;
    return forbid(reply, `This operation requires one of the roles ${OPS_ADMIN_ROLES.join(', ')}.`, OPS_ADMIN_ROLES);
  };
}

/** A `preHandler` for health ingest: a reporting service (the SMPP gateway) or an administrator. */
export function requireHealthReporter(policy: () => CallerPolicy) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const caller = callerOf(request);
    if (caller.kind === 'service' && policy().healthReporters.includes(caller.service)) return undefined;
    if (caller.kind === 'user' && OPS_ADMIN_ROLES.some((role) => caller.roles.includes(role))) return undefined;
    return forbid(reply, 'Only the SMPP gateway (or an administrator) may report operator health.', OPS_ADMIN_ROLES);
  };
}
