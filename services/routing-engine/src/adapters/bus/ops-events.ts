import { z } from 'zod';
import type { OperatorHealth, OperatorSnapshot, RuleSet } from '../../domain/routing-model.js';
import { SENDER_TYPES, WEEKDAYS } from '../../domain/routing-model.js';

/**
 * The four operator-management events the engine consumes, checked with Zod (only the fields it
 * uses are required; anything else in the payload is ignored, so additive producer changes do not
 * break it), and mapped to the domain. Schemas of record: packages/contracts/src/events/operator-management.events.ts.
 */
export const OPS_EVENT_TYPES = {
  ruleSetChanged: 'ops.routing-rules.changed.v1',
  operatorChanged: 'ops.operator.changed.v1',
  operatorDeleted: 'ops.operator.deleted.v1',
  healthChanged: 'ops.operator-health.changed.v1',
} as const;

export const CONSUMED_EVENT_TYPES: readonly string[] = Object.values(OPS_EVENT_TYPES);

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const digitPrefix = z.string().regex(/^[1-9][0-9]{0,14}$/);
const timeOfDay = z.string().regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/);

const routingRule = z.object({
  id: z.string().min(1).max(64),
  prefixes: z.array(digitPrefix).min(1),
  tenantId: z.string().min(1).max(128).nullable(),
  senderTypes: z.array(z.enum(SENDER_TYPES)).min(1).nullable(),
  timeWindow: z
    .object({
      days: z.array(z.enum(WEEKDAYS)).min(1),
      start: timeOfDay,
      end: timeOfDay,
      timezone: z.string().min(1),
    })
    .nullable(),
  operatorId: z.uuid(),
  priority: z.number().int().min(0),
  weight: z.number().int().min(1),
  failover: z.array(z.uuid()),
});

const ruleSetChanged = z.object({ version: z.number().int().min(0), rules: z.array(routingRule), changedAt: instant });

const operatorChanged = z.object({
  operator: z.object({
    id: z.uuid(),
    code: z.string().min(1),
    status: z.enum(['active', 'suspended']),
    version: z.number().int().min(1),
    connections: z.array(
      z.object({
        id: z.uuid(),
        bindMode: z.enum(['transceiver', 'transmitter', 'receiver']),
        throughputLimit: z.number().int().min(1),
      }),
    ),
  }),
});

const operatorDeleted = z.object({ operatorId: z.uuid(), code: z.string().min(1), version: z.number().int().min(1) });

const healthChanged = z.object({
  operatorId: z.uuid(),
  state: z.enum(['up', 'degraded', 'down']),
  connections: z.array(
    z.object({
      connectionId: z.uuid(),
      bindState: z.enum(['bound', 'unbound', 'binding']),
      errorRate: z.number().min(0).max(1),
    }),
  ),
  changedAt: instant,
});

export type OpsChange =
  | { readonly kind: 'rule-set'; readonly ruleSet: RuleSet }
  | { readonly kind: 'operator'; readonly operator: OperatorSnapshot }
  | { readonly kind: 'health'; readonly health: OperatorHealth };

export type ParsedOpsEvent = { readonly ok: true; readonly change: OpsChange } | { readonly ok: false; readonly reason: string };

function failure(error: z.ZodError): ParsedOpsEvent {
  return { ok: false, reason: error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`).join('; ') };
}

/** The domain change an event carries, or why its data is not acceptable. */
export function parseOpsEvent(type: string, data: unknown): ParsedOpsEvent {
  switch (type) {
    case OPS_EVENT_TYPES.ruleSetChanged: {
      const parsed = ruleSetChanged.safeParse(data);
      if (!parsed.success) return failure(parsed.error);
      const { version, rules, changedAt } = parsed.data;
      return { ok: true, change: { kind: 'rule-set', ruleSet: { version, rules, changedAt } } };
    }
    case OPS_EVENT_TYPES.operatorChanged: {
      const parsed = operatorChanged.safeParse(data);
      if (!parsed.success) return failure(parsed.error);
      const { id, code, status, version, connections } = parsed.data.operator;
      return { ok: true, change: { kind: 'operator', operator: { id, code, status, version, connections } } };
    }
    case OPS_EVENT_TYPES.operatorDeleted: {
      const parsed = operatorDeleted.safeParse(data);
      if (!parsed.success) return failure(parsed.error);
      const { operatorId, code, version } = parsed.data;
      return { ok: true, change: { kind: 'operator', operator: { id: operatorId, code, status: 'deleted', version, connections: [] } } };
    }
    case OPS_EVENT_TYPES.healthChanged: {
      const parsed = healthChanged.safeParse(data);
      if (!parsed.success) return failure(parsed.error);
      const { operatorId, state, connections, changedAt } = parsed.data;
      return { ok: true, change: { kind: 'health', health: { operatorId, state, connections, changedAt } } };
    }
    default:
      return { ok: false, reason: `the routing engine does not consume ${type}` };
  }
}
