import { authenticate, authProblemResponses, principalOf, requireRole } from '@sms/auth';
import type { JwtVerifier } from '@sms/auth';
import { problemResponse } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { isValidTenantId } from '@sms/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '@sms/kernel';
import { authorize, grantOf, numberingError, ROLES } from '../../index.js';
import type { Actor, NumberingError, Permission, Role } from '../../index.js';
import { actorFor } from '../auth/actor-of-principal.js';
import type { NumberingMetrics } from '../observability/numbering-metrics.js';
import type { PostgresCatalogQueries } from '../postgres/postgres-catalog.queries.js';
import type { NumberingUseCases } from '../../composition/numbering-use-cases.js';
import {
  adminAssignBody,
  adminRenewBody,
  adminReserveBody,
  adminTenantBody,
  auditPage,
  auditQuery,
  blockView,
  catalogQuery,
  contractView,
  createBlockBody,
  createContractBody,
  createPoolBody,
  createTenantPoolBody,
  holdingsQuery,
  idempotencyHeaders,
  importBody,
  importView,
  lookupView,
  numberPage,
  numberParam,
  numbersQuery,
  numberView,
  pageOf,
  pageQuery,
  poolView,
  recallBody,
  resolveRecallBody,
  retireBody,
  tenantAssignBody,
  tenantParam,
  tenantPoolView,
  tenantRenewBody,
  tenantReserveBody,
  verifyBody,
  verifyView,
} from './http-schemas.js';
import { guarded, orProblem, problemOf } from './problems.js';

/** What the routes need once the service has started (the OpenAPI generator registers them without it). */
export interface NumberingHttpRuntime {
  readonly useCases: NumberingUseCases;
  readonly verifier: JwtVerifier;
  /** Read models of the admin lists, in the system scope. */
  readonly queries: PostgresCatalogQueries;
  readonly metrics?: NumberingMetrics;
}

const STAFF_ROLES: readonly Role[] = ['admin', 'commerce', 'compliance', 'auditor'];
const TENANT_ROLES: readonly Role[] = ['tenant', 'tenant_viewer'];
type Audience = 'staff' | 'tenant';

/** The token roles an endpoint lets through: those of its audience that the permission matrix grants the permission. */
export function rolesAllowed(permission: Permission, audience: Audience): Role[] {
  const pool = audience === 'staff' ? STAFF_ROLES : TENANT_ROLES;
  return ROLES.filter((role) => pool.includes(role) && grantOf(role, permission) !== null);
}

/** Problem responses a route documents besides the auth ones. */
const errors = (entries: Record<number, string>) =>
  Object.fromEntries(Object.entries(entries).map(([status, description]) => [status, problemResponse(description)]));

const TAG_CATALOG = 'admin: catalog';
const TAG_NUMBERS = 'admin: numbers';
const TAG_IMPORTS = 'admin: imports';
const TAG_AUDIT = 'admin: audit';
const TAG_TENANT = 'tenant portal';

const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * The REST surfaces of numbering-service (docs/api.md): the admin API under `/v1/admin` (staff roles) and
 * the tenant portal under `/v1/tenant` (tenant roles, `X-Tenant-Id` equal to the token's tenant). Every
 * route authenticates the bearer token, lets through only the roles the permission matrix grants the
 * route's permission, and runs the use case as that actor (which checks the permission again). Results map
 * to problem+json with the service's error codes.
 */
export function registerNumberingRoutes(app: HttpApp, runtime: () => NumberingHttpRuntime): void {
  const verifiers = new WeakMap<JwtVerifier, { staff: ReturnType<typeof authenticate>; tenant: ReturnType<typeof authenticate> }>();
  const hooksOf = (verifier: JwtVerifier) => {
    let hooks = verifiers.get(verifier);
    if (hooks === undefined) {
      hooks = { staff: authenticate(verifier), tenant: authenticate(verifier, { requireTenantHeader: true }) };
      verifiers.set(verifier, hooks);
    }
    return hooks;
  };
  const guard = (permission: Permission, audience: Audience) => ({
    onRequest: [
      (request: FastifyRequest, reply: FastifyReply) => hooksOf(runtime().verifier)[audience](request, reply),
      requireRole(...rolesAllowed(permission, audience)),
    ],
  });
  const actorOf = (request: FastifyRequest, permission: Permission): Actor => orProblem(actorFor(principalOf(request), permission));
  const useCases = (actor: Actor) => runtime().useCases.forActor(actor);
  const staffAuth = authProblemResponses();
  const tenantAuth = authProblemResponses({ tenantHeader: true });
  const checkTenant = (tenantId: string): string => {
    if (!isValidTenantId(tenantId)) throw problemOf(numberingError('NUMBERING.INVALID_ARGUMENT', 'tenantId must be 1–128 of A-Z a-z 0-9 . _ : -', { field: 'tenantId' }));
    return tenantId;
  };
  const counted = <T>(command: string, result: Result<T, NumberingError>): T => {
    runtime().metrics?.recordCommand(command, result.ok ? 'ok' : result.error.code);
    return orProblem(result);
  };

  // ---------------------------------------------------------------- admin: catalog
  app.get(
    '/v1/admin/contracts',
    { ...guard('catalog.read', 'staff'), schema: { tags: [TAG_CATALOG], summary: 'List operator contracts', querystring: catalogQuery, response: { 200: pageOf(contractView), ...staffAuth } } },
    (request) =>
      guarded(async () => {
        orProblem(authorize(actorOf(request, 'catalog.read'), 'catalog.read'));
        const { after, limit, operatorCode } = request.query;
        return runtime().queries.listContracts({ limit, ...(after === undefined ? {} : { after }), ...(operatorCode === undefined ? {} : { operatorCode }) });
      }),
  );

  app.post(
    '/v1/admin/contracts',
    {
      ...guard('catalog.manage', 'staff'),
      schema: {
        tags: [TAG_CATALOG],
        summary: 'Add an operator contract',
        headers: idempotencyHeaders,
        body: createContractBody,
        response: { 201: contractView, ...staffAuth, ...errors({ 409: 'A contract with this reference exists (NUMBERING.CATALOG_DUPLICATE)' }) },
      },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'catalog.manage');
        const view = counted(
          'catalog.contract.create',
          await useCases(actor).createContract.execute({ actor, idempotencyKey: request.headers['idempotency-key'], ...request.body }),
        );
        void reply.code(201);
        return view;
      }),
  );

  app.get(
    '/v1/admin/blocks',
    { ...guard('catalog.read', 'staff'), schema: { tags: [TAG_CATALOG], summary: 'List number blocks', querystring: catalogQuery, response: { 200: pageOf(blockView), ...staffAuth } } },
    (request) =>
      guarded(async () => {
        orProblem(authorize(actorOf(request, 'catalog.read'), 'catalog.read'));
        const { after, limit, operatorCode } = request.query;
        return runtime().queries.listBlocks({ limit, ...(after === undefined ? {} : { after }), ...(operatorCode === undefined ? {} : { operatorCode }) });
      }),
  );

  app.post(
    '/v1/admin/blocks',
    {
      ...guard('catalog.manage', 'staff'),
      schema: {
        tags: [TAG_CATALOG],
        summary: 'Add a number block under a contract',
        headers: idempotencyHeaders,
        body: createBlockBody,
        response: { 201: blockView, ...staffAuth, ...errors({ 404: 'No such contract (NUMBERING.CATALOG_NOT_FOUND)', 409: 'Duplicate or overlapping block' }) },
      },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'catalog.manage');
        const view = counted(
          'catalog.block.create',
          await useCases(actor).createBlock.execute({ actor, idempotencyKey: request.headers['idempotency-key'], ...request.body }),
        );
        void reply.code(201);
        return view;
      }),
  );

  app.get(
    '/v1/admin/pools',
    { ...guard('catalog.read', 'staff'), schema: { tags: [TAG_CATALOG], summary: 'List inventory pools', querystring: pageQuery, response: { 200: pageOf(poolView), ...staffAuth } } },
    (request) =>
      guarded(async () => {
        orProblem(authorize(actorOf(request, 'catalog.read'), 'catalog.read'));
        const { after, limit } = request.query;
        return runtime().queries.listPools({ limit, ...(after === undefined ? {} : { after }) });
      }),
  );

  app.post(
    '/v1/admin/pools',
    {
      ...guard('catalog.manage', 'staff'),
      schema: {
        tags: [TAG_CATALOG],
        summary: 'Add an inventory pool',
        headers: idempotencyHeaders,
        body: createPoolBody,
        response: { 201: poolView, ...staffAuth, ...errors({ 409: 'A pool with this reference exists (NUMBERING.CATALOG_DUPLICATE)' }) },
      },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'catalog.manage');
        const view = counted('catalog.pool.create', await useCases(actor).createPool.execute({ actor, idempotencyKey: request.headers['idempotency-key'], ...request.body }));
        void reply.code(201);
        return view;
      }),
  );

  app.get(
    '/v1/admin/tenants/:tenantId/pools',
    { ...guard('tenant_pool.read', 'staff'), schema: { tags: [TAG_CATALOG], summary: "List a tenant's pools", params: tenantParam, response: { 200: pageOf(tenantPoolView), ...staffAuth } } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'tenant_pool.read');
        const pools = orProblem(await useCases(actor).tenantPools.execute({ actor, tenantId: checkTenant(request.params.tenantId) }));
        return { items: pools, next: null };
      }),
  );

  app.post(
    '/v1/admin/tenants/:tenantId/pools',
    {
      ...guard('tenant_pool.manage', 'staff'),
      schema: {
        tags: [TAG_CATALOG],
        summary: 'Add a tenant pool',
        params: tenantParam,
        headers: idempotencyHeaders,
        body: createTenantPoolBody,
        response: { 201: tenantPoolView, ...staffAuth, ...errors({ 409: 'The tenant has a pool with this name (NUMBERING.CATALOG_DUPLICATE)' }) },
      },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'tenant_pool.manage');
        const view = counted(
          'catalog.tenant_pool.create',
          await useCases(actor).createTenantPool.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            tenantId: checkTenant(request.params.tenantId),
            ...request.body,
          }),
        );
        void reply.code(201);
        return view;
      }),
  );

  app.get(
    '/v1/admin/tenants/:tenantId/holdings',
    {
      ...guard('holdings.list', 'staff'),
      schema: { tags: [TAG_NUMBERS], summary: "A tenant's reservations and leases", params: tenantParam, querystring: holdingsQuery, response: { 200: numberPage, ...staffAuth } },
    },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'holdings.list');
        const { state, after, limit } = request.query;
        return orProblem(
          await useCases(actor).holdings.execute({
            actor,
            tenantId: checkTenant(request.params.tenantId),
            limit,
            ...(state === undefined ? {} : { state }),
            ...(after === undefined ? {} : { after }),
          }),
        );
      }),
  );

  // ---------------------------------------------------------------- admin: numbers
  app.get(
    '/v1/admin/numbers',
    { ...guard('number.lookup', 'staff'), schema: { tags: [TAG_NUMBERS], summary: 'List the inventory', querystring: numbersQuery, response: { 200: numberPage, ...staffAuth } } },
    (request) =>
      guarded(async () => {
        orProblem(authorize(actorOf(request, 'number.lookup'), 'number.lookup'));
        const { state, operatorCode, after, limit } = request.query;
        return runtime().queries.listNumbers({
          limit,
          ...(state === undefined ? {} : { state }),
          ...(operatorCode === undefined ? {} : { operatorCode }),
          ...(after === undefined ? {} : { after }),
        });
      }),
  );

  app.get(
    '/v1/admin/numbers/:number',
    {
      ...guard('number.lookup', 'staff'),
      schema: { tags: [TAG_NUMBERS], summary: 'One number', params: numberParam, response: { 200: lookupView, ...staffAuth, ...errors({ 404: 'Not in the inventory' }) } },
    },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.lookup');
        return orProblem(await useCases(actor).lookup.execute({ actor, number: request.params.number }));
      }),
  );

  const commandResponses = { 200: numberView, ...staffAuth, ...errors({ 404: 'Not in the inventory', 409: 'Not allowed in the current state, or a lost race (NUMBERING.CONFLICT: retry)' }) };

  app.post(
    '/v1/admin/numbers/:number/reserve',
    { ...guard('number.reserve', 'staff'), schema: { tags: [TAG_NUMBERS], summary: 'Reserve for a tenant', params: numberParam, headers: idempotencyHeaders, body: adminReserveBody, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.reserve');
        const { tenantId, tenantPoolId, ttlSeconds } = request.body;
        return counted(
          'number.reserve',
          await useCases(actor).reserve.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            tenantId: checkTenant(tenantId),
            tenantPoolId,
            ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
          }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/assign',
    { ...guard('number.assign', 'staff'), schema: { tags: [TAG_NUMBERS], summary: "Lease a tenant's reservation", params: numberParam, headers: idempotencyHeaders, body: adminAssignBody, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.assign');
        const { tenantId, uses, termDays, autoRenew } = request.body;
        return counted(
          'number.assign',
          await useCases(actor).assign.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            tenantId: checkTenant(tenantId),
            uses,
            ...(termDays === undefined ? {} : { termDays }),
            ...(autoRenew === undefined ? {} : { autoRenew }),
          }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/release',
    { ...guard('number.release', 'staff'), schema: { tags: [TAG_NUMBERS], summary: "Release a tenant's reservation or lease", params: numberParam, headers: idempotencyHeaders, body: adminTenantBody, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.release');
        return counted(
          'number.release',
          await useCases(actor).release.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            tenantId: checkTenant(request.body.tenantId),
          }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/renew',
    { ...guard('lease.renew', 'staff'), schema: { tags: [TAG_NUMBERS], summary: 'Renew a lease', params: numberParam, headers: idempotencyHeaders, body: adminRenewBody, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'lease.renew');
        const { tenantId, termDays } = request.body;
        return counted(
          'lease.renew',
          await useCases(actor).renew.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            tenantId: checkTenant(tenantId),
            ...(termDays === undefined ? {} : { termDays }),
          }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/recall',
    { ...guard('number.recall', 'staff'), schema: { tags: [TAG_NUMBERS], summary: 'Recall from its tenant', params: numberParam, headers: idempotencyHeaders, body: recallBody, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.recall');
        const { reason, note } = request.body;
        return counted(
          'number.recall',
          await useCases(actor).recall.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            reason,
            ...(note === undefined ? {} : { note }),
          }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/resolve-recall',
    {
      ...guard('recall.resolve', 'staff'),
      schema: { tags: [TAG_NUMBERS], summary: 'Quarantine or reinstate a recalled number', params: numberParam, headers: idempotencyHeaders, body: resolveRecallBody, response: commandResponses },
    },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'recall.resolve');
        const { decision, quarantineReason } = request.body;
        return counted(
          'recall.resolve',
          await useCases(actor).resolveRecall.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            decision,
            ...(quarantineReason === undefined ? {} : { quarantineReason }),
          }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/end-quarantine',
    { ...guard('quarantine.end', 'staff'), schema: { tags: [TAG_NUMBERS], summary: 'Return a number whose cool-off ended', params: numberParam, headers: idempotencyHeaders, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'quarantine.end');
        return counted(
          'quarantine.end',
          await useCases(actor).endQuarantine.execute({ actor, idempotencyKey: request.headers['idempotency-key'], number: request.params.number }),
        );
      }),
  );

  app.post(
    '/v1/admin/numbers/:number/retire',
    { ...guard('number.retire', 'staff'), schema: { tags: [TAG_NUMBERS], summary: 'Withdraw from the inventory for good', params: numberParam, headers: idempotencyHeaders, body: retireBody, response: commandResponses } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.retire');
        return counted(
          'number.retire',
          await useCases(actor).retire.execute({ actor, idempotencyKey: request.headers['idempotency-key'], number: request.params.number, reason: request.body.reason }),
        );
      }),
  );

  // ---------------------------------------------------------------- admin: imports
  app.post(
    '/v1/admin/imports',
    {
      ...guard('inventory.import', 'staff'),
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: [TAG_IMPORTS],
        summary: "Import an operator's signed inventory file",
        description:
          'JSON with the file and its detached signature base64-encoded. All or nothing; the same file again answers 200 already_imported. Every bad row is listed with its line in `errors` (422 NUMBERING.IMPORT_REJECTED).',
        body: importBody,
        response: {
          200: importView,
          201: importView,
          ...staffAuth,
          ...errors({ 409: 'Another import added some of the numbers meanwhile (NUMBERING.CONFLICT)', 413: 'File too large', 422: 'Unsigned, wrongly signed or invalid file' }),
        },
      },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'inventory.import');
        const { operatorCode, file, signature } = request.body;
        const outcome = counted(
          'inventory.import',
          await useCases(actor).importInventory.execute({
            actor,
            operatorCode,
            file: Buffer.from(file, 'base64'),
            signature: signature === undefined ? null : Buffer.from(signature, 'base64'),
          }),
        );
        void reply.code(outcome.status === 'imported' ? 201 : 200);
        return outcome;
      }),
  );

  // ---------------------------------------------------------------- admin: audit
  app.get(
    '/v1/admin/audit',
    { ...guard('audit.read', 'staff'), schema: { tags: [TAG_AUDIT], summary: 'Read the hash-chained audit trail', querystring: auditQuery, response: { 200: auditPage, ...staffAuth } } },
    (request) =>
      guarded(async () => {
        orProblem(authorize(actorOf(request, 'audit.read'), 'audit.read'));
        const { after, limit } = request.query;
        const rows = await runtime().useCases.system.auditReader.readAfter(after, limit + 1);
        const items = rows.slice(0, limit);
        return { items, next: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null };
      }),
  );

  app.post(
    '/v1/admin/audit/verify',
    { ...guard('audit.verify', 'staff'), schema: { tags: [TAG_AUDIT], summary: 'Verify the audit chain and name the first broken row', body: verifyBody, response: { 200: verifyView, ...staffAuth } } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'audit.verify');
        const anchor = request.body.anchor;
        const verdict = orProblem(await useCases(actor).verifyAudit.execute({ actor, ...(anchor === undefined ? {} : { anchor }) }));
        runtime().metrics?.recordAuditVerification(verdict.intact, new Date());
        return verdict;
      }),
  );

  // ---------------------------------------------------------------- tenant portal
  const tenantOf = (actor: Actor): string => actor.tenantId ?? '';
  const tenantCommand = { 200: numberView, ...tenantAuth, ...errors({ 404: 'Not in the inventory', 409: 'Not allowed in the current state, or a lost race (NUMBERING.CONFLICT: retry)' }) };

  app.get(
    '/v1/tenant/pools',
    { ...guard('tenant_pool.read', 'tenant'), schema: { tags: [TAG_TENANT], summary: 'My tenant pools', response: { 200: pageOf(tenantPoolView), ...tenantAuth } } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'tenant_pool.read');
        return { items: orProblem(await useCases(actor).tenantPools.execute({ actor, tenantId: tenantOf(actor) })), next: null };
      }),
  );

  app.get(
    '/v1/tenant/holdings',
    { ...guard('holdings.list', 'tenant'), schema: { tags: [TAG_TENANT], summary: 'My reservations and leases', querystring: holdingsQuery, response: { 200: numberPage, ...tenantAuth } } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'holdings.list');
        const { state, after, limit } = request.query;
        return orProblem(
          await useCases(actor).holdings.execute({
            actor,
            tenantId: tenantOf(actor),
            limit,
            ...(state === undefined ? {} : { state }),
            ...(after === undefined ? {} : { after }),
          }),
        );
      }),
  );

  app.get(
    '/v1/tenant/numbers/:number',
    {
      ...guard('number.lookup', 'tenant'),
      schema: { tags: [TAG_TENANT], summary: 'One number (only whether it is available, unless I hold it)', params: numberParam, response: { 200: lookupView, ...tenantAuth, ...errors({ 404: 'Not in the inventory' }) } },
    },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.lookup');
        return orProblem(await useCases(actor).lookup.execute({ actor, number: request.params.number }));
      }),
  );

  app.post(
    '/v1/tenant/reservations',
    {
      ...guard('number.reserve', 'tenant'),
      schema: { tags: [TAG_TENANT], summary: 'Reserve an available number', headers: idempotencyHeaders, body: tenantReserveBody, response: { ...tenantCommand, 201: numberView } },
    },
    (request, reply) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.reserve');
        const { number, tenantPoolId, ttlSeconds } = request.body;
        const view = counted(
          'number.reserve',
          await useCases(actor).reserve.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number,
            tenantId: tenantOf(actor),
            tenantPoolId,
            ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
          }),
        );
        void reply.code(201);
        return view;
      }),
  );

  app.post(
    '/v1/tenant/numbers/:number/assign',
    { ...guard('number.assign', 'tenant'), schema: { tags: [TAG_TENANT], summary: 'Lease my reservation', params: numberParam, headers: idempotencyHeaders, body: tenantAssignBody, response: tenantCommand } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.assign');
        const { uses, termDays, autoRenew } = request.body;
        return counted(
          'number.assign',
          await useCases(actor).assign.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            tenantId: tenantOf(actor),
            uses,
            ...(termDays === undefined ? {} : { termDays }),
            ...(autoRenew === undefined ? {} : { autoRenew }),
          }),
        );
      }),
  );

  app.post(
    '/v1/tenant/numbers/:number/release',
    { ...guard('number.release', 'tenant'), schema: { tags: [TAG_TENANT], summary: 'Give my reservation or lease back', params: numberParam, headers: idempotencyHeaders, response: tenantCommand } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'number.release');
        return counted(
          'number.release',
          await useCases(actor).release.execute({ actor, idempotencyKey: request.headers['idempotency-key'], number: request.params.number, tenantId: tenantOf(actor) }),
        );
      }),
  );

  app.post(
    '/v1/tenant/numbers/:number/renew',
    { ...guard('lease.renew', 'tenant'), schema: { tags: [TAG_TENANT], summary: 'Renew my lease', params: numberParam, headers: idempotencyHeaders, body: tenantRenewBody, response: tenantCommand } },
    (request) =>
      guarded(async () => {
        const actor = actorOf(request, 'lease.renew');
        const { termDays } = request.body;
        return counted(
          'lease.renew',
          await useCases(actor).renew.execute({
            actor,
            idempotencyKey: request.headers['idempotency-key'],
            number: request.params.number,
            tenantId: tenantOf(actor),
            ...(termDays === undefined ? {} : { termDays }),
          }),
        );
      }),
  );
}
