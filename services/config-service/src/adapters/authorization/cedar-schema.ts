import { KEY_ACTIONS, NODE_ACTIONS, POLICY_ACTIONS, ROLE_ACTIONS } from '../../domain/access.js';

const quoted = (actions: readonly string[]): string => actions.map((a) => JSON.stringify(a)).join(', ');

/**
 * The Cedar schema of the config service's authorization model, in Cedar's schema syntax. Every
 * generated policy is validated against it (strict mode) when roles are loaded, so a policy that
 * names a missing attribute is a load failure, not a policy that silently never matches.
 * Optional facts are flattened to `has*` flags with empty strings, so no policy needs `has`.
 */
export const CEDAR_SCHEMA = `
namespace Config {
  entity Subject = {
    roles: Set<String>,
    tenantBound: Bool,
    tenantId: String,
    isService: Bool,
    service: String,
  };
  entity Node = {
    path: String,
    level: String,
    hasTenant: Bool,
    tenantId: String,
    isTenantRoot: Bool,
  };
  entity Key = {
    key: String,
    ownerService: String,
    sensitive: Bool,
  };
  entity RoleAssignment = {
    role: String,
    hasTenant: Bool,
    tenantId: String,
    tenantAssignable: Bool,
  };
  entity Policy = {
    role: String,
  };
  type RequestContext = {
    hasKey: Bool,
    key: String,
    keyOwnerService: String,
    keySensitive: Bool,
  };
  action ${quoted(NODE_ACTIONS)} appliesTo { principal: [Subject], resource: [Node], context: RequestContext };
  action ${quoted(KEY_ACTIONS)} appliesTo { principal: [Subject], resource: [Key], context: RequestContext };
  action ${quoted(ROLE_ACTIONS)} appliesTo { principal: [Subject], resource: [RoleAssignment], context: RequestContext };
  action ${quoted(POLICY_ACTIONS)} appliesTo { principal: [Subject], resource: [Policy], context: RequestContext };
}
`;
