import type { IdGenerator } from '@sms/kernel';
import type { Operator } from '../domain/operator.js';
import type { HealthState, OperatorHealth } from '../domain/operator-health.js';
import type { RoutingRuleSet } from '../domain/routing-rule.js';
import {
  OPS_AGGREGATE_TYPES,
  OPS_EVENT_TYPES,
  ROUTING_RULE_SET_ID,
  connectionHealthSnapshot,
  operatorSnapshot,
  type OpsEvent,
} from '../domain/operator-events.js';

/** Every field of an operator, as `changedFields` of a creation event. */
export const ALL_OPERATOR_FIELDS = ['code', 'name', 'kind', 'mcc', 'mnc', 'country', 'status', 'prefixes', 'connections'] as const;

/** Builds the envelopes of the four produced events; ids come from the injected generator. */
export class OpsEventFactory {
  constructor(private readonly ids: IdGenerator) {}

  operatorChanged(change: 'created' | 'updated', operator: Operator, changedFields: readonly string[]): OpsEvent {
    return {
      id: this.ids.next(),
      type: OPS_EVENT_TYPES.operatorChanged,
      aggregateType: OPS_AGGREGATE_TYPES.operator,
      aggregateId: operator.id,
      tenantId: null,
      occurredAt: operator.updatedAt.toISOString(),
      data: { change, changedFields: [...changedFields], operator: operatorSnapshot(operator) },
    };
  }

  operatorDeleted(operator: Operator): OpsEvent {
    if (operator.deletedAt === null) throw new Error(`operator ${operator.id} is not deleted`);
    const deletedAt = operator.deletedAt.toISOString();
    return {
      id: this.ids.next(),
      type: OPS_EVENT_TYPES.operatorDeleted,
      aggregateType: OPS_AGGREGATE_TYPES.operator,
      aggregateId: operator.id,
      tenantId: null,
      occurredAt: deletedAt,
      data: { operatorId: operator.id, code: operator.code, mcc: operator.mcc, mnc: operator.mnc, version: operator.version, deletedAt },
    };
  }

  healthChanged(operatorCode: string, previousState: HealthState | null, health: OperatorHealth): OpsEvent {
    return {
      id: this.ids.next(),
      type: OPS_EVENT_TYPES.operatorHealthChanged,
      aggregateType: OPS_AGGREGATE_TYPES.operatorHealth,
      aggregateId: health.operatorId,
      tenantId: null,
      occurredAt: health.stateChangedAt.toISOString(),
      data: {
        operatorId: health.operatorId,
        operatorCode,
        previousState,
        state: health.state,
        reason: health.reason,
        connections: [...health.connections].map(([id, h]) => connectionHealthSnapshot(id, h)),
        changedAt: health.stateChangedAt.toISOString(),
      },
    };
  }

  routingRulesChanged(ruleSet: RoutingRuleSet, previousVersion: number): OpsEvent {
    if (ruleSet.updatedAt === null) throw new Error('a stored rule set has the time it was stored');
    const changedAt = ruleSet.updatedAt.toISOString();
    return {
      id: this.ids.next(),
      type: OPS_EVENT_TYPES.routingRulesChanged,
      aggregateType: OPS_AGGREGATE_TYPES.routingRuleSet,
      aggregateId: ROUTING_RULE_SET_ID,
      tenantId: null,
      occurredAt: changedAt,
      data: { version: ruleSet.version, previousVersion, rules: ruleSet.rules, changedAt },
    };
  }
}
