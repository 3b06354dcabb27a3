import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { isValidEventType, uuidv7Generator } from '@sms/kernel';
// The contracts package index is the lead's; until it exists the schemas are read from their file.
import { operatorManagementEvents } from '../../../../../packages/contracts/src/events/operator-management.events.js';
import { OPS_EVENT_TYPES, SMPP_GATEWAY_SERVICE, type OpsEvent } from '../../../src/index.js';
import { connection, givenOperator, harness, valueOf } from '../../support/harness.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module, whose `default` is the plugin.
const ajv = ajvFormats.default(new Ajv2020({ allErrors: true, strict: true }));

const contractFor = (type: string) => {
  const contract = operatorManagementEvents.find((c) => c.type === type);
  if (!contract) throw new Error(`no contract for ${type}`);
  return contract;
};

const violations = (type: string, data: unknown): string[] => {
  const validate = ajv.compile(contractFor(type).schema);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
};

/** Runs every use case that emits events, with uuid ids as in production, and returns the outbox. */
async function everyKindOfEvent(): Promise<readonly OpsEvent[]> {
  const h = harness({ ids: uuidv7Generator });
  const roshan = await givenOperator(h, 'roshan', { connections: [{ ...connection(), password: 'pw1' }] });
  const awcc = await givenOperator(h, 'awcc');
  const connectionId = roshan.connections[0]?.id ?? '';
  valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { status: 'suspended' } }));
  valueOf(await h.setConnectionPassword.execute({ operatorId: roshan.id, connectionId, password: 'pw2' }));
  valueOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776, bindMode: 'receiver' }), password: 'pw3' }));
  const report = { operatorId: roshan.id, connectionId, bindState: 'bound' as const, latencyMs: 2500, errorRate: 0.01, throughputPerSecond: 12.5, at: h.clock.now() };
  valueOf(await h.ingestHealthReport.execute(report));
  valueOf(
    await h.replaceRoutingRules.execute({
      expectedVersion: 0,
      rules: [
        { id: 'roshan', prefixes: ['9379'], operatorId: roshan.id, priority: 1, weight: 1, failover: [awcc.id] },
        { id: 'awcc-otp', prefixes: ['9370'], operatorId: awcc.id, priority: 1, weight: 5, tenantId: 'tenant-1', senderTypes: ['short_code'], timeWindow: { days: ['sun'], start: '22:00', end: '06:00' } },
      ],
    }),
  );
  valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 1, rules: [] }));
  valueOf(await h.softDeleteOperator.execute({ operatorId: awcc.id }));
  valueOf(await h.getConnectionCredentials.execute({ caller: { kind: 'service', service: SMPP_GATEWAY_SERVICE }, operatorId: roshan.id, connectionId }));
  return h.outbox.events;
}

describe('operator-management event contracts', () => {
  it('declares exactly the four produced event types, each a valid versioned name published on its own subject', () => {
    expect(operatorManagementEvents.map((c) => c.type).sort()).toEqual(Object.values(OPS_EVENT_TYPES).sort());
    for (const contract of operatorManagementEvents) {
      expect([isValidEventType(contract.type), contract.subject, contract.producer]).toEqual([true, contract.type, 'operator-management']);
    }
  });

  it.each(operatorManagementEvents.map((c) => [c.type, c] as const))('%s: the example conforms to the schema', (_type, contract) => {
    expect(violations(contract.type, contract.example)).toEqual([]);
  });

  it.each(operatorManagementEvents.map((c) => [c.type, c] as const))('%s: the schema refuses unknown properties', (_type, contract) => {
    expect(violations(contract.type, { ...contract.example, password: 'x' })).not.toEqual([]);
  });

  it('every event the use cases write conforms to its schema', async () => {
    const events = await everyKindOfEvent();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.values(OPS_EVENT_TYPES)));
    for (const event of events) expect({ type: event.type, violations: violations(event.type, event.data) }).toEqual({ type: event.type, violations: [] });
  });

  it('refuses an operator snapshot that has lost a required field', async () => {
    const created = (await everyKindOfEvent()).find((e) => e.type === OPS_EVENT_TYPES.operatorChanged);
    const data = structuredClone(created?.data) as unknown as { operator: Record<string, unknown> };
    delete data.operator['code'];
    expect(violations(OPS_EVENT_TYPES.operatorChanged, data)).toEqual(["/operator must have required property 'code'"]);
  });
});
