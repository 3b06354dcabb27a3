import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthHook, Principal } from '@sms/auth';
import { authProblemResponses } from '@sms/auth';
import { enableIdempotencyKeys, problemResponse } from '@sms/http';
import type { HttpApp, IdempotencyRecords } from '@sms/http';
import type { Subject } from '../../domain/access.js';
import type { KeySchema } from '../../domain/key-definition.js';
import type { ConfigUseCases } from '../../composition.js';
import type { ConfigMetrics } from '../observability/config-metrics.js';
import {
  assignmentBodySchema,
  assignmentListSchema,
  assignmentsQuerySchema,
  assignResultSchema,
  byPathQuerySchema,
  changeBodySchema,
  changedSchema,
  createNodeBodySchema,
  defineKeyBodySchema,
  deleteResultSchema,
  historyQuerySchema,
  historySchema,
  keyDefinitionSchema,
  keyListSchema,
  keyParamsSchema,
  moveNodeBodySchema,
  moveResultSchema,
  nodeChangeResultSchema,
  nodeKeyParamsSchema,
  nodeParamsSchema,
  nodeViewSchema,
  putRoleBodySchema,
  removedSchema,
  removeRoleBodySchema,
  resolvedQuerySchema,
  resolvedSchema,
  resolveQuerySchema,
  roleListSchema,
  roleParamsSchema,
  roleSchema,
  rollbackBodySchema,
  setValueBodySchema,
  updateKeyBodySchema,
} from './config-api.schemas.js';
import { unwrapOrProblem } from './config-problems.js';

/** What the routes need once the service runs; registered before that for the OpenAPI document. */
export interface ConfigHttpRuntime {
  readonly useCases: ConfigUseCases;
  /** Verifies the bearer token and sets `request.principal` (@sms/auth). */
  readonly authenticate: AuthHook;
  readonly metrics: ConfigMetrics;
  /** Idempotency-Key records of the write routes; a request with the header fails (500) without them. */
  readonly idempotency?: IdempotencyRecords;
}

/** Whose Idempotency-Key: a service by its name, a person by tenant and subject; two callers' keys never meet. */
export const idempotencyScopeOf = (principal: Principal): string =>
  principal.serviceName !== null ? `service:${principal.serviceName}` : `user:${principal.tenantId ?? '-'}:${principal.subject}`;

/** The ABAC subject of a verified caller: its token's subject, roles, tenant and service. */
export const subjectOf = (principal: Principal): Subject => ({
  id: principal.subject,
  roles: [...principal.roles],
  tenantId: principal.tenantId,
  service: principal.serviceName,
});

/** `{node}` path parameter → node reference: a bare id means `node:<id>`. */
export const nodeReferenceOf = (param: string): string =>
  param.startsWith('/') || param.startsWith('tenant:') || param.startsWith('node:') ? param : `node:${param}`;

const keysOf = (list: string | undefined): string[] | undefined =>
  list === undefined ? undefined : list.split(',').map((k) => k.trim()).filter((k) => k !== '');

const auth = authProblemResponses();
const common = {
  401: auth[401],
  403: problemResponse('The token lacks a role for this action (CONFIG.ACCESS_DENIED, AUTH.FORBIDDEN)'),
  503: problemResponse('Token keys unavailable (AUTH.KEYS_UNAVAILABLE)'),
};
const badRequest = problemResponse('A field is malformed (REQUEST.VALIDATION_FAILED, CONFIG.INVALID_INPUT, CONFIG.INVALID_PATH); the field is named');
const notFound = problemResponse('No such node, or one the caller may not see (CONFIG.NODE_NOT_FOUND; both answer alike), key (CONFIG.KEY_NOT_FOUND) or version');
const conflict = problemResponse('The node changed since the expected version (CONFIG.VERSION_CONFLICT), the path is taken, or the key is locked above (CONFIG.KEY_LOCKED)');
const unprocessable = problemResponse('The value breaks the key schema (CONFIG.VALUE_REJECTED, with key and rule), or a domain rule refuses the change');

/**
 * The REST API of config-service (docs/api.md). Every route authenticates the caller with
 * @sms/auth and turns the token into the ABAC subject; the use cases decide access.
 */
export function registerConfigRoutes(app: HttpApp, runtime: () => ConfigHttpRuntime): void {
  const onRequest = (request: FastifyRequest, reply: FastifyReply) => runtime().authenticate(request, reply);
  // Every write route takes an optional Idempotency-Key, claimed after authentication (@sms/http).
  enableIdempotencyKeys(app, {
    records: () => {
      const records = runtime().idempotency;
      if (records === undefined) throw new Error('config-service runs without Idempotency-Key records');
      return records;
    },
    callerOf: (request) => {
      if (request.principal === undefined) throw new Error('no principal: the authenticate hook did not run');
      return idempotencyScopeOf(request.principal);
    },
  });
  const subject = (request: FastifyRequest): Subject => {
    if (request.principal === undefined) throw new Error('no principal: the authenticate hook did not run');
    return subjectOf(request.principal);
  };
  /** Runs a change, counts it by outcome, and answers its value or its problem. */
  const change = async <T>(
    operation: string,
    run: () => Promise<{ ok: true; value: T } | { ok: false; error: Parameters<typeof unwrapOrProblem>[0] extends infer R ? (R extends { ok: false; error: infer E } ? E : never) : never }>,
  ): Promise<T> => {
    const result = await run();
    const changed = result.ok && typeof result.value === 'object' && result.value !== null && 'changed' in result.value ? Boolean(result.value.changed) : true;
    runtime().metrics.changes.inc({ operation, outcome: result.ok ? (changed ? 'changed' : 'unchanged') : result.error.code });
    return unwrapOrProblem(result);
  };
  const resolve = async (request: FastifyRequest, node: string, keys: string | undefined) => {
    const { useCases, metrics } = runtime();
    const started = process.hrtime.bigint();
    const list = keysOf(keys);
    const result = await useCases.resolve.execute({ subject: subject(request), node, ...(list === undefined ? {} : { keys: list }) });
    const cache = result.ok && result.value.cached ? 'hit' : 'miss';
    metrics.resolutionSeconds.observe({ cache }, Number(process.hrtime.bigint() - started) / 1e9);
    metrics.resolutions.inc({ cache, outcome: result.ok ? 'ok' : result.error.code === 'CONFIG.NODE_NOT_FOUND' ? 'not_found' : 'refused' });
    return unwrapOrProblem(result);
  };

  // Resolution ------------------------------------------------------------------------------------

  app.get(
    '/v1/resolve',
    {
      onRequest,
      schema: {
        summary: 'Resolve a node',
        description:
          'Every key with its value at the node and where it came from (an override on the way to GLOBAL, or the default), honouring locks. ' +
          'Keys the caller may not read are left out; sensitive values are redacted without `sensitive.read`.',
        tags: ['resolution'],
        querystring: resolveQuerySchema,
        response: { 200: resolvedSchema, 400: badRequest, ...common, 404: notFound },
      },
    },
    (request) => resolve(request, request.query.node, request.query.keys),
  );

  app.get(
    '/v1/nodes/:node/resolved',
    {
      onRequest,
      schema: {
        summary: 'Resolve a node (by id, tenant or encoded path)',
        tags: ['resolution'],
        params: nodeParamsSchema,
        querystring: resolvedQuerySchema,
        response: { 200: resolvedSchema, 400: badRequest, ...common, 404: notFound },
      },
    },
    (request) => resolve(request, nodeReferenceOf(request.params.node), request.query.keys),
  );

  // Nodes -----------------------------------------------------------------------------------------

  app.post(
    '/v1/nodes',
    {
      onRequest,
      schema: {
        summary: 'Create a node',
        description: 'Creates a node under a parent (`node.create` on the parent). A tenant-level node needs its tenant id.',
        tags: ['nodes'],
        body: createNodeBodySchema,
        response: { 201: nodeChangeResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict, 422: unprocessable },
      },
    },
    async (request, reply) => {
      const { parent, level, name, tenantId, reason } = request.body;
      const created = await change('node.create', () =>
        runtime().useCases.createNode.execute({ subject: subject(request), parent, level, name, tenantId: tenantId ?? null, reason }),
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/nodes/by-path',
    {
      onRequest,
      schema: {
        summary: 'Read a node by its path',
        tags: ['nodes'],
        querystring: byPathQuerySchema,
        response: { 200: nodeViewSchema, 400: badRequest, ...common, 404: notFound },
      },
    },
    async (request) => unwrapOrProblem(await runtime().useCases.getNode.execute({ subject: subject(request), node: request.query.path })),
  );

  app.get(
    '/v1/nodes/:node',
    {
      onRequest,
      schema: {
        summary: 'Read a node',
        description: 'The node with its own overrides (not resolved) and locks (`node.read`).',
        tags: ['nodes'],
        params: nodeParamsSchema,
        response: { 200: nodeViewSchema, 400: badRequest, ...common, 404: notFound },
      },
    },
    async (request) => unwrapOrProblem(await runtime().useCases.getNode.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node) })),
  );

  app.delete(
    '/v1/nodes/:node',
    {
      onRequest,
      schema: {
        summary: 'Delete a node and its subtree',
        description: 'Each deleted node gets a last version; history stays. GLOBAL cannot be deleted.',
        tags: ['nodes'],
        params: nodeParamsSchema,
        body: changeBodySchema,
        response: { 200: deleteResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict, 422: unprocessable },
      },
    },
    (request) =>
      change('node.delete', () =>
        runtime().useCases.deleteNode.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node), ...request.body }),
      ),
  );

  app.post(
    '/v1/nodes/:node/move',
    {
      onRequest,
      schema: {
        summary: 'Move a node and its subtree under another parent',
        tags: ['nodes'],
        params: nodeParamsSchema,
        body: moveNodeBodySchema,
        response: { 200: moveResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict, 422: unprocessable },
      },
    },
    (request) =>
      change('node.move', () =>
        runtime().useCases.moveNode.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node), ...request.body }),
      ),
  );

  // Values and locks ------------------------------------------------------------------------------

  app.put(
    '/v1/nodes/:node/values/:key',
    {
      onRequest,
      schema: {
        summary: 'Set a value at a node',
        description: 'Sets (or replaces) the override of a key; refused when the value breaks the key schema or the key is locked above.',
        tags: ['values'],
        params: nodeKeyParamsSchema,
        body: setValueBodySchema,
        response: { 200: nodeChangeResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict, 422: unprocessable },
      },
    },
    (request) =>
      change('value.set', () =>
        runtime().useCases.setValue.execute({
          subject: subject(request),
          node: nodeReferenceOf(request.params.node),
          key: request.params.key,
          value: request.body.value,
          reason: request.body.reason,
          ...(request.body.expectedVersion === undefined ? {} : { expectedVersion: request.body.expectedVersion }),
        }),
      ),
  );

  app.delete(
    '/v1/nodes/:node/values/:key',
    {
      onRequest,
      schema: {
        summary: 'Clear a value at a node',
        description: 'Removes the override, so the value follows the parent again.',
        tags: ['values'],
        params: nodeKeyParamsSchema,
        body: changeBodySchema,
        response: { 200: nodeChangeResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict },
      },
    },
    (request) =>
      change('value.clear', () =>
        runtime().useCases.clearValue.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node), key: request.params.key, ...request.body }),
      ),
  );

  app.put(
    '/v1/nodes/:node/locks/:key',
    {
      onRequest,
      schema: {
        summary: 'Lock a key at a node',
        description: 'Descendants can no longer override the key; overrides below stop counting in resolution.',
        tags: ['locks'],
        params: nodeKeyParamsSchema,
        body: changeBodySchema,
        response: { 200: nodeChangeResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict },
      },
    },
    (request) =>
      change('lock.set', () =>
        runtime().useCases.setLock.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node), key: request.params.key, ...request.body }),
      ),
  );

  app.delete(
    '/v1/nodes/:node/locks/:key',
    {
      onRequest,
      schema: {
        summary: 'Remove a lock',
        tags: ['locks'],
        params: nodeKeyParamsSchema,
        body: changeBodySchema,
        response: { 200: nodeChangeResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict },
      },
    },
    (request) =>
      change('lock.remove', () =>
        runtime().useCases.removeLock.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node), key: request.params.key, ...request.body }),
      ),
  );

  // Versions --------------------------------------------------------------------------------------

  app.get(
    '/v1/nodes/:node/versions',
    {
      onRequest,
      schema: {
        summary: 'A node’s history',
        description: 'Versions newest first: who changed what, why and when, with before/after per key (sensitive values redacted).',
        tags: ['versions'],
        params: nodeParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: historySchema, 400: badRequest, ...common, 404: notFound },
      },
    },
    async (request) => {
      const { limit, before } = request.query;
      const versions = unwrapOrProblem(
        await runtime().useCases.history.execute({
          subject: subject(request),
          node: nodeReferenceOf(request.params.node),
          ...(limit === undefined ? {} : { limit }),
          ...(before === undefined ? {} : { beforeVersion: before }),
        }),
      );
      return { versions: [...versions] };
    },
  );

  app.post(
    '/v1/nodes/:node/rollback',
    {
      onRequest,
      schema: {
        summary: 'Roll a node back to an earlier version',
        description: 'Restores the overrides and locks of `toVersion` as a new version, validated against today’s key schemas and locks.',
        tags: ['versions'],
        params: nodeParamsSchema,
        body: rollbackBodySchema,
        response: { 200: nodeChangeResultSchema, 400: badRequest, ...common, 404: notFound, 409: conflict, 422: unprocessable },
      },
    },
    (request) =>
      change('node.rollback', () =>
        runtime().useCases.rollback.execute({ subject: subject(request), node: nodeReferenceOf(request.params.node), ...request.body }),
      ),
  );

  // Keys ------------------------------------------------------------------------------------------

  app.get(
    '/v1/keys',
    { onRequest, schema: { summary: 'The key catalogue', tags: ['keys'], response: { 200: keyListSchema, ...common } } },
    async (request) => ({ keys: [...unwrapOrProblem(await runtime().useCases.listKeys.execute({ subject: subject(request) }))] }),
  );

  app.post(
    '/v1/keys',
    {
      onRequest,
      schema: {
        summary: 'Define a key',
        tags: ['keys'],
        body: defineKeyBodySchema,
        response: { 201: keyDefinitionSchema, 400: badRequest, ...common, 409: problemResponse('The key is already defined (CONFIG.KEY_EXISTS)') },
      },
    },
    async (request, reply) => {
      const { schema, ...rest } = request.body;
      const defined = await change('key.define', () =>
        runtime().useCases.defineKey.execute({ subject: subject(request), draft: { ...rest, schema: schema as KeySchema } }),
      );
      return reply.code(201).send(defined);
    },
  );

  app.patch(
    '/v1/keys/:key',
    {
      onRequest,
      schema: {
        summary: 'Change or deprecate a key',
        description: 'A new schema must accept every stored override (CONFIG.SCHEMA_CONFLICT names those that break it).',
        tags: ['keys'],
        params: keyParamsSchema,
        body: updateKeyBodySchema,
        response: { 200: keyDefinitionSchema, 400: badRequest, ...common, 404: notFound, 409: conflict },
      },
    },
    (request) => {
      const { reason, expectedVersion, schema, ...changes } = request.body;
      return change('key.update', () =>
        runtime().useCases.updateKey.execute({
          subject: subject(request),
          key: request.params.key,
          changes: { ...changes, ...(schema === undefined ? {} : { schema: schema as KeySchema }) },
          reason,
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
        }),
      );
    },
  );

  // Roles and assignments -------------------------------------------------------------------------

  app.get(
    '/v1/roles',
    { onRequest, schema: { summary: 'The role definitions (the access policy)', tags: ['roles'], response: { 200: roleListSchema, ...common } } },
    async (request) => ({ roles: [...unwrapOrProblem(await runtime().useCases.listRoles.execute({ subject: subject(request) }))] }),
  );

  app.put(
    '/v1/roles/:name',
    {
      onRequest,
      schema: {
        summary: 'Create or replace a custom role',
        description: 'System roles are seeded by migration and cannot be changed (CONFIG.SYSTEM_ROLE_IMMUTABLE).',
        tags: ['roles'],
        params: roleParamsSchema,
        body: putRoleBodySchema,
        response: { 200: roleSchema, 400: badRequest, ...common, 409: conflict },
      },
    },
    (request) => {
      const { expectedVersion, ...body } = request.body;
      return change('policy.change', () =>
        runtime().useCases.putRole.execute({
          subject: subject(request),
          name: request.params.name,
          ...body,
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
        }),
      );
    },
  );

  app.delete(
    '/v1/roles/:name',
    {
      onRequest,
      schema: {
        summary: 'Remove a custom role',
        tags: ['roles'],
        params: roleParamsSchema,
        body: removeRoleBodySchema,
        response: { 200: removedSchema, 400: badRequest, ...common, 404: notFound, 409: conflict },
      },
    },
    async (request) => {
      await change('policy.change', () => runtime().useCases.removeRole.execute({ subject: subject(request), name: request.params.name, ...request.body }));
      return { removed: true as const };
    },
  );

  app.get(
    '/v1/role-assignments',
    {
      onRequest,
      schema: {
        summary: 'Role assignments',
        description: 'The assignments the caller may read (`role.read`); a tenant-bound caller sees only its tenant’s.',
        tags: ['roles'],
        querystring: assignmentsQuerySchema,
        response: { 200: assignmentListSchema, 400: badRequest, ...common },
      },
    },
    async (request) => {
      const { assignee, role, tenantId } = request.query;
      const assignments = unwrapOrProblem(
        await runtime().useCases.listAssignments.execute({
          subject: subject(request),
          ...(assignee === undefined ? {} : { assignee }),
          ...(role === undefined ? {} : { role }),
          ...(tenantId === undefined ? {} : { tenantId }),
        }),
      );
      return { assignments: [...assignments] };
    },
  );

  app.post(
    '/v1/role-assignments',
    {
      onRequest,
      schema: {
        summary: 'Assign a role',
        description: 'Assigning a role the subject already holds there changes nothing (`changed: false`).',
        tags: ['roles'],
        body: assignmentBodySchema,
        response: { 200: assignResultSchema, 400: badRequest, ...common, 404: problemResponse('No such role (CONFIG.ROLE_NOT_FOUND)') },
      },
    },
    (request) => change('role.assign', () => runtime().useCases.assignRole.execute({ subject: subject(request), ...request.body })),
  );

  app.delete(
    '/v1/role-assignments',
    {
      onRequest,
      schema: {
        summary: 'Revoke a role',
        description: 'Revoking an assignment that does not exist changes nothing (`changed: false`).',
        tags: ['roles'],
        body: assignmentBodySchema,
        response: { 200: changedSchema, 400: badRequest, ...common, 404: problemResponse('No such role (CONFIG.ROLE_NOT_FOUND)') },
      },
    },
    (request) => change('role.revoke', () => runtime().useCases.revokeRole.execute({ subject: subject(request), ...request.body })),
  );
}
