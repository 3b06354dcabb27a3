import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
// The contracts package has no index yet (the lead writes it); switch to `@sms/contracts` once it exists.
import { numberingServiceEvents } from '../../../../../packages/contracts/src/events/numbering-service.events.js';
import { isValidEventType } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { ImportOperatorInventory, InMemoryOperatorKeyring, NUMBERING_EVENT_TYPES, TenantAnomalyMonitor } from '../../../src/index.js';
import { ACME, DAY, createWorld, leaseToAcme, reserveForAcme, staffActor, tenantActor } from '../../support/world.js';
import { csv, generateOperatorKey, signFile } from '../../support/operator-files.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
const validators = new Map(numberingServiceEvents.map((c) => [c.type, ajv.compile(c.schema)]));

/** Drives one world through every transition and the import, and returns all events it wrote. */
async function everyEvent(): Promise<readonly EventEnvelope[]> {
  const world = createWorld();
  const system = staffActor('system');
  const compliance = staffActor('compliance');
  const key = world.key;
  const numbers = ['+93701000001', '+93701000002', '+93701000003', '+93701000004', '+93701000005'];
  for (const n of numbers) world.addNumber(n);

  await leaseToAcme(world, '+93701000001', 10);
  await world.renew.execute({ actor: system, idempotencyKey: key(), number: '+93701000001', tenantId: ACME });
  await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: key(), number: '+93701000001', tenantId: ACME });
  await reserveForAcme(world, '+93701000002');
  await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: key(), number: '+93701000002', tenantId: ACME });
  await world.endQuarantine.execute({ actor: system, idempotencyKey: key(), number: '+93701000002' });
  await reserveForAcme(world, '+93701000003', 60);
  await leaseToAcme(world, '+93701000004');
  await world.recall.execute({ actor: compliance, idempotencyKey: key(), number: '+93701000004', reason: 'tenant_suspended' });
  await world.resolveRecall.execute({ actor: compliance, idempotencyKey: key(), number: '+93701000004', decision: 'reinstate' });
  await world.recall.execute({ actor: compliance, idempotencyKey: key(), number: '+93701000004', reason: 'compliance_violation' });
  await world.resolveRecall.execute({ actor: compliance, idempotencyKey: key(), number: '+93701000004', decision: 'quarantine' });
  await world.retire.execute({ actor: compliance, idempotencyKey: key(), number: '+93701000005', reason: 'regulator_order' });
  world.clock.advance(DAY);
  await world.expire.execute({ actor: system, idempotencyKey: key(), number: '+93701000003' });

  const operator = generateOperatorKey('roshan');
  const file = csv('4040,short_code,ROSHAN,CTR-ROSHAN-2026,BLK-SC,general,gold');
  await new ImportOperatorInventory({
    unitOfWork: world.store.unitOfWork,
    clock: world.clock,
    ids: world.ids,
    policy: world.policy,
    keyring: new InMemoryOperatorKeyring({ ROSHAN: [operator.publicKey] }),
    imports: world.store.imports,
    numbers: world.store.numbers,
    catalog: world.store.catalog,
  }).execute({ actor: staffActor('commerce'), operatorCode: 'ROSHAN', file, signature: signFile(file, operator.privateKey) });

  const anomalies = new TenantAnomalyMonitor({
    unitOfWork: world.store.unitOfWork,
    clock: world.clock,
    ids: world.ids,
    thresholds: { windowMs: 60_000, churnCycles: 1, conflictRate: 0.5, minAttempts: 2 },
  });
  for (const kind of ['reserve', 'conflict', 'release'] as const) anomalies.record(ACME, kind);
  await anomalies.flush();
  return world.store.outboxEvents();
}

describe('numbering event contracts', () => {
  let events: readonly EventEnvelope[];
  beforeAll(async () => {
    events = await everyEvent();
  });

  it('has exactly one contract per event type the service produces', () => {
    expect(numberingServiceEvents.map((c) => c.type).sort()).toEqual([...NUMBERING_EVENT_TYPES].sort());
  });

  it.each(numberingServiceEvents)('names $type properly and publishes it on its own subject', (contract) => {
    expect([isValidEventType(contract.type), contract.subject, contract.producer]).toEqual([true, contract.type, 'numbering-service']);
  });

  it.each(numberingServiceEvents)('accepts the example of $type', (contract) => {
    const validate = validators.get(contract.type);

    expect(validate?.(contract.example) ? [] : validate?.errors).toEqual([]);
  });

  it.each(numberingServiceEvents)('refuses $type with an unknown extra field', (contract) => {
    expect(validators.get(contract.type)?.({ ...contract.example, surprise: true })).toBe(false);
  });

  it('produces every event type in the lifecycle walk-through', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(NUMBERING_EVENT_TYPES));
  });

  it('produces only events whose data matches their schema', () => {
    const failures = events.flatMap((e) => {
      const validate = validators.get(e.type);
      return validate === undefined ? [`${e.type}: no schema`] : validate(e.data) ? [] : [`${e.type}: ${ajv.errorsText(validate.errors)}`];
    });

    expect(failures).toEqual([]);
  });

  it('gives every event a unique id and the number as its ordering key', () => {
    const numberEvents = events.filter((e) => e.type !== 'numbering.import.completed.v1' && e.type !== 'numbering.anomaly.detected.v1');

    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(numberEvents.every((e) => e.aggregateType === 'number' && (e.data as { numberId: string }).numberId === e.aggregateId)).toBe(true);
  });
});
