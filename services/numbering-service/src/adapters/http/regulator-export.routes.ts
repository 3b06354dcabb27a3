import { z } from 'zod';
import { authenticate, authProblemResponses, principalOf, requireRole } from '@sms/auth';
import type { JwtVerifier } from '@sms/auth';
import { problemResponse } from '@sms/http';
import type { HttpApp } from '@sms/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '@sms/kernel';
import type { Actor, NumberingError, Permission, RegulatorExportRecord, RunRegulatorExportOutput } from '../../index.js';
import { actorFor } from '../auth/actor-of-principal.js';
import { rolesAllowed } from './numbering-routes.js';
import { guarded, orProblem } from './problems.js';

/** What the export routes need once the service has started. */
export interface RegulatorExportHttpRuntime {
  readonly verifier: JwtVerifier;
  readonly exports: {
    run(actor: Actor, month: string): Promise<Result<RunRegulatorExportOutput, NumberingError>>;
    get(actor: Actor, month: string): Promise<Result<RegulatorExportRecord, NumberingError>>;
  };
}

const TAG = 'admin: regulator exports';
const iso = z.string().describe('RFC 3339 instant, UTC');

// Shape only: the use case checks the format and answers NUMBERING.INVALID_ARGUMENT naming `month`.
const monthParam = z.object({ month: z.string().min(1).max(16).describe('The reporting month, YYYY-MM (UTC)') });

const fileView = z.object({
  name: z.string(),
  key: z.string(),
  contentType: z.string(),
  rows: z.number().int().describe('Data rows, the header not counted'),
  bytes: z.number().int(),
  sha256: z.string(),
});

export const regulatorExportView = z.object({
  month: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  attempts: z.number().int(),
  startedAt: iso,
  lastAttemptAt: iso,
  completedAt: iso.nullable(),
  requestedBy: z.string(),
  retainUntil: iso,
  manifestKey: z.string().nullable(),
  manifestSha256: z.string().nullable(),
  signatureKeyId: z.string().nullable(),
  files: z.array(fileView),
  superseded: z.array(z.object({ key: z.string(), sha256: z.string() })).describe('Objects an interrupted run left that the export does not use'),
  lastError: z.string().nullable(),
});

const runView = z.object({ outcome: z.enum(['exported', 'already_exported']), export: regulatorExportView });

const viewOf = (record: RegulatorExportRecord) => ({
  ...record,
  startedAt: record.startedAt.toISOString(),
  lastAttemptAt: record.lastAttemptAt.toISOString(),
  completedAt: record.completedAt?.toISOString() ?? null,
  retainUntil: record.retainUntil.toISOString(),
  files: [...record.files],
  superseded: [...record.superseded],
});

/**
 * The regulator export's admin routes (docs/api.md, docs/regulator-export.md):
 * `POST /v1/admin/regulator-exports/{month}` runs (or finishes, or confirms) the month's export, for the
 * roles granted `export.run` (admin, compliance); `GET` reads its ledger row (`export.read`: admin,
 * compliance, auditor). The month is the idempotency key: a repeat answers 200 with the stored export.
 */
export function registerRegulatorExportRoutes(app: HttpApp, runtime: () => RegulatorExportHttpRuntime): void {
  const hooks = new WeakMap<JwtVerifier, ReturnType<typeof authenticate>>();
  const guard = (permission: Permission) => ({
    onRequest: [
      (request: FastifyRequest, reply: FastifyReply) => {
        const verifier = runtime().verifier;
        let hook = hooks.get(verifier);
        if (hook === undefined) {
          hook = authenticate(verifier);
          hooks.set(verifier, hook);
        }
        return hook(request, reply);
      },
      requireRole(...rolesAllowed(permission, 'staff')),
    ],
  });
  const actorOf = (request: FastifyRequest, permission: Permission): Actor => orProblem(actorFor(principalOf(request), permission));
  const auth = authProblemResponses();
  const problems = (entries: Record<number, string>) =>
    Object.fromEntries(Object.entries(entries).map(([status, description]) => [status, problemResponse(description)]));

  app.post(
    '/v1/admin/regulator-exports/:month',
    {
      ...guard('export.run'),
      schema: {
        tags: [TAG],
        summary: "Run the month's regulator export (write-once, signed); a repeat answers the stored export",
        params: monthParam,
        response: {
          200: runView,
          201: runView,
          ...auth,
          ...problems({
            400: 'The month is not YYYY-MM (NUMBERING.INVALID_ARGUMENT)',
            409: 'The month has not ended, or another run is exporting it (NUMBERING.EXPORT_MONTH_NOT_ENDED, NUMBERING.EXPORT_IN_PROGRESS)',
            503: 'The database, the object store or the signer is unavailable; the run can be repeated',
          }),
        },
      },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'export.run');
        const output = orProblem(await runtime().exports.run(actor, request.params.month));
        void reply.code(output.outcome === 'exported' ? 201 : 200);
        return { outcome: output.outcome, export: viewOf(output.export) };
      }),
  );

  app.get(
    '/v1/admin/regulator-exports/:month',
    {
      ...guard('export.read'),
      schema: {
        tags: [TAG],
        summary: "The month's export: status, attempts, files with row counts and SHA-256, signing key",
        params: monthParam,
        response: { 200: regulatorExportView, ...auth, ...problems({ 400: 'The month is not YYYY-MM', 404: 'No export of this month (NUMBERING.EXPORT_NOT_FOUND)' }) },
      },
    },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'export.read');
        return viewOf(orProblem(await runtime().exports.get(actor, request.params.month)));
      }),
  );
}
