import { setFlagsFromString } from 'node:v8';
import { preparsePolicySet, statefulIsAuthorized, validate } from '@cedar-policy/cedar-wasm/nodejs';
import type { Context, EntityJson, EntityUid } from '@cedar-policy/cedar-wasm/nodejs';
import type { AccessAction, RoleDefinition, Subject } from '../../domain/access.js';
import type { AccessDecision, AccessPolicy, AccessResource, KeyAttributes } from '../../application/ports/access-policy.port.js';
import { CEDAR_SCHEMA } from './cedar-schema.js';
import { RESOURCE_KINDS, policySetFor } from './cedar-policies.js';

// Node 20's V8 aborts the process (Fatal error "unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation) after some tens of thousands of decisions under a mixed
// async load, when TurboFan has inlined the JS→Wasm calls of the Cedar glue (reproduced with
// `npm run bench -w services/config-service`; gone with this flag). Turning that inlining off costs
// nothing measurable here. It must be set before the glue's callers are optimized: at import.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

let policySetCounter = 0;

/**
 * The AccessPolicy port on Cedar (`@cedar-policy/cedar-wasm`, Node build). Roles (data) become
 * Cedar permit policies, next to fixed guardrail forbids; the set is validated against
 * {@link CEDAR_SCHEMA} in strict mode and pre-parsed once per load, so a decision is one call
 * into the WASM engine. Cedar is deny-by-default and a forbid always wins over a permit.
 */
export class CedarAccessPolicy implements AccessPolicy {
  private policySetId: string | null = null;

  constructor(roles: readonly RoleDefinition[] = []) {
    this.loadRoles(roles);
  }

  loadRoles(roles: readonly RoleDefinition[]): void {
    const staticPolicies = policySetFor(roles);
    const validation = validate({ schema: CEDAR_SCHEMA, policies: { staticPolicies }, validationSettings: { mode: 'strict' } });
    if (validation.type === 'failure') {
      throw new Error(`Cedar could not validate the policies: ${validation.errors.map((e) => e.message).join('; ')}`);
    }
    if (validation.validationErrors.length > 0) {
      const problems = validation.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ');
      throw new Error(`generated Cedar policies do not match the schema: ${problems}`);
    }
    policySetCounter += 1;
    const id = `config-service-${policySetCounter}`;
    const parsed = preparsePolicySet(id, { staticPolicies });
    if (parsed.type === 'failure') throw new Error(`Cedar could not parse the policies: ${parsed.errors.map((e) => e.message).join('; ')}`);
    this.policySetId = id;
  }

  decide(subject: Subject, action: AccessAction, resource: AccessResource): AccessDecision {
    if (this.policySetId === null) throw new Error('no roles loaded');
    const kind = RESOURCE_KINDS[resource.kind];
    if (!kind.actions.includes(action)) return { allowed: false, reason: `${action} does not apply to a ${resource.kind}` };
    const principal: EntityUid = { type: 'Config::Subject', id: subject.id };
    const target = resourceEntity(resource);
    const answer = statefulIsAuthorized({
      principal,
      action: { type: 'Config::Action', id: action },
      resource: target.uid,
      context: contextOf(resource),
      preparsedPolicySetId: this.policySetId,
      entities: [
        {
          uid: principal,
          attrs: {
            roles: [...subject.roles],
            tenantBound: subject.tenantId !== null,
            tenantId: subject.tenantId ?? '',
            isService: subject.service !== null,
            service: subject.service ?? '',
          },
          parents: [],
        },
        target,
      ],
    });
    if (answer.type === 'failure') throw new Error(`Cedar failed to decide: ${answer.errors.map((e) => e.message).join('; ')}`);
    const { decision, diagnostics } = answer.response;
    const policies = diagnostics.reason.join(', ');
    if (decision === 'allow') return { allowed: true, reason: `permitted by ${policies}` };
    return { allowed: false, reason: policies === '' ? 'no policy permits it' : `forbidden by ${policies}` };
  }
}

function resourceEntity(resource: AccessResource): EntityJson & { uid: EntityUid } {
  switch (resource.kind) {
    case 'node':
      return {
        uid: { type: 'Config::Node', id: resource.node.id },
        attrs: {
          path: resource.node.path,
          level: resource.node.level,
          hasTenant: resource.node.tenantId !== null,
          tenantId: resource.node.tenantId ?? '',
          isTenantRoot: resource.node.isTenantRoot,
        },
        parents: [],
      };
    case 'key':
      return {
        uid: { type: 'Config::Key', id: resource.key.key },
        attrs: { key: resource.key.key, ownerService: resource.key.ownerService ?? '', sensitive: resource.key.sensitive },
        parents: [],
      };
    case 'role-assignment':
      return {
        uid: { type: 'Config::RoleAssignment', id: `${resource.role}@${resource.tenantId ?? '*'}` },
        attrs: {
          role: resource.role,
          hasTenant: resource.tenantId !== null,
          tenantId: resource.tenantId ?? '',
          tenantAssignable: resource.tenantAssignable,
        },
        parents: [],
      };
    case 'policy':
      return { uid: { type: 'Config::Policy', id: resource.role ?? '*' }, attrs: { role: resource.role ?? '' }, parents: [] };
  }
}

function contextOf(resource: AccessResource): Context {
  const key: KeyAttributes | undefined = resource.kind === 'node' || resource.kind === 'key' ? resource.key : undefined;
  return {
    hasKey: key !== undefined,
    key: key?.key ?? '',
    keyOwnerService: key?.ownerService ?? '',
    keySensitive: key?.sensitive ?? false,
  };
}
