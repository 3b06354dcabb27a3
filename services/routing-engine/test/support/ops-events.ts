import { createEventValidator } from '@sms/contracts';
import { uuidv7 } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import type { RoutingRule } from '../../src/index.js';
import { connectionOf } from './fixtures.js';

const validator = createEventValidator();

/** An envelope as operator-management's relay publishes it; its data is checked against the contract schema. */
function envelope(type: string, aggregateType: string, aggregateId: string, data: unknown, occurredAt: string): EventEnvelope {
  const problems = validator.validate(type, data);
  if (problems !== null) throw new Error(`test event ${type} breaks its contract: ${problems.join('; ')}`);
  return { id: uuidv7(), type, aggregateType, aggregateId, tenantId: null, occurredAt, data };
}

export function rulesChanged(version: number, rules: readonly RoutingRule[], changedAt = '2026-04-18T12:30:00.000Z'): EventEnvelope {
  return envelope(
    'ops.routing-rules.changed.v1',
    'routing-rule-set',
    'routing-rules',
    { version, previousVersion: version - 1, rules, changedAt },
    changedAt,
  );
}

export function operatorChanged(
  operatorId: string,
  code: string,
  options: { version?: number; status?: 'active' | 'suspended'; prefixes?: string[] } = {},
): EventEnvelope {
  const at = '2026-04-18T09:30:00.000Z';
  return envelope(
    'ops.operator.changed.v1',
    'operator',
    operatorId,
    {
      change: (options.version ?? 1) === 1 ? 'created' : 'updated',
      changedFields: ['status'],
      operator: {
        id: operatorId,
        code,
        name: `${code} operator`,
        kind: 'mno',
        mcc: '412',
        mnc: String(10 + (operatorId.charCodeAt(35) % 80)),
        country: 'AF',
        status: options.status ?? 'active',
        prefixes: options.prefixes ?? [],
        connections: [
          {
            id: connectionOf(operatorId),
            host: `smsc.${code.toLowerCase()}.example`,
            port: 2775,
            systemId: code.slice(0, 15),
            systemType: '',
            bindMode: 'transceiver',
            tls: false,
            windowSize: 10,
            throughputLimit: 100,
            authentication: { configured: false, version: null, changedAt: null },
          },
        ],
        version: options.version ?? 1,
        createdAt: '2026-01-05T08:00:00.000Z',
        updatedAt: at,
        deletedAt: null,
      },
    },
    at,
  );
}

export function operatorDeleted(operatorId: string, code: string, version: number): EventEnvelope {
  const at = '2026-04-18T10:00:00.000Z';
  return envelope('ops.operator.deleted.v1', 'operator', operatorId, { operatorId, code, mcc: '412', mnc: '01', version, deletedAt: at }, at);
}

export function healthChanged(
  operatorId: string,
  code: string,
  state: 'up' | 'degraded' | 'down',
  changedAt: string,
  previousState: 'up' | 'degraded' | 'down' | null = null,
): EventEnvelope {
  return envelope(
    'ops.operator-health.changed.v1',
    'operator-health',
    operatorId,
    {
      operatorId,
      operatorCode: code,
      previousState,
      state,
      reason: `test: ${state}`,
      connections: [
        {
          connectionId: connectionOf(operatorId),
          bindState: state === 'down' ? 'unbound' : 'bound',
          latencyMs: 20,
          errorRate: 0,
          throughputPerSecond: 10,
          reportedAt: changedAt,
        },
      ],
      changedAt,
    },
    changedAt,
  );
}
