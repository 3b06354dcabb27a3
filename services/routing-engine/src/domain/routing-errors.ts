import { defineErrors } from '@sms/kernel';

/**
 * Every error code the routing engine answers with. The HTTP edge turns a code into a
 * problem+json `type` (`problemTypeFor`), `title` and `status`; docs/errors.md lists them all
 * (a unit test keeps the two in step).
 */
export const routingErrors = defineErrors({
  'ROUTING.NO_ROUTE': {
    title: 'No route',
    status: 422,
    cause:
      'No routing rule matches the destination prefix, tenant, sender type and time: the message cannot be routed until the rules change (permanent for this message).',
  },
  'ROUTING.NO_OPERATOR_AVAILABLE': {
    title: 'No operator available',
    status: 503,
    cause:
      'Rules match, but every operator they name (targets and failover) is down, suspended, deleted, unknown or has no connection able to submit; retry later.',
  },
  'ROUTING.TABLE_NOT_LOADED': {
    title: 'Routing table not loaded',
    status: 503,
    cause: 'The engine has not received a routing rule set yet (neither from its database nor from operator-management); retry later.',
  },
  'ROUTING.FORBIDDEN': {
    title: 'Not a service caller',
    status: 403,
    cause: 'Only platform services (a token with the `svc` claim) may ask for routes.',
  },
});

export type RoutingErrorCode = keyof typeof routingErrors;
