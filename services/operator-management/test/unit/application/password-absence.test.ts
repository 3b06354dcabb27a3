import { describe, expect, it } from 'vitest';
// The contracts package index is the lead's; until it exists the schemas are read from their file.
import { operatorManagementEvents } from '../../../../../packages/contracts/src/events/operator-management.events.js';
import { SMPP_GATEWAY_SERVICE } from '../../../src/index.js';
import { connection, harness, valueOf } from '../../support/harness.js';

const SENSITIVE_KEY = /pass(word)?|secret|credential/i;
const PASSWORDS = ['Pw0001', 'Pw0002', 'Pw0003', 'Pw0004', 'Pw0005'];

/** Paths of every key that looks like it holds a password, with a non-empty value. */
function sensitiveKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => sensitiveKeys(v, `${path}[${i}]`));
  if (value instanceof Map) return [...value.entries()].flatMap(([k, v]) => sensitiveKeys(v, `${path}.${String(k)}`));
  if (typeof value !== 'object' || value === null || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(SENSITIVE_KEY.test(key) && v !== undefined && v !== null ? [`${path}.${key}`] : []),
    ...sensitiveKeys(v, `${path}.${key}`),
  ]);
}

/** Every property name declared anywhere in a JSON Schema (properties, $defs, anyOf, items …). */
function schemaPropertyNames(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(schemaPropertyNames);
  if (typeof schema !== 'object' || schema === null) return [];
  const own = 'properties' in schema && typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties) : [];
  return [...own, ...Object.values(schema).flatMap(schemaPropertyNames)];
}

/**
 * Drives every use case with passwords in play and collects everything they answer (values and
 * errors) except the credentials use case, whose answer is the one place a password belongs.
 */
async function everyAnswer(): Promise<{ answers: unknown[]; events: unknown[] }> {
  const h = harness();
  const answers: unknown[] = [];
  const keep = <T>(x: T): T => {
    answers.push(x);
    return x;
  };
  const roshan = valueOf(keep(await h.createOperator.execute({ code: 'ROSHAN', name: 'Roshan', mcc: '412', mnc: '20', connections: [{ ...connection(), password: PASSWORDS[0] }] })));
  const connectionId = roshan.connections[0]?.id ?? '';
  keep(await h.createOperator.execute({ code: 'ROSHAN', name: 'dup', mcc: '412', mnc: '21', connections: [{ ...connection(), password: PASSWORDS[1] }] }));
  keep(await h.createOperator.execute({ code: 'BAD', name: 'bad', mcc: '412', mnc: '22', connections: [{ ...connection(), password: `${PASSWORDS[1] ?? ''}-too-long` }] }));
  keep(await h.setConnectionPassword.execute({ operatorId: roshan.id, connectionId, password: PASSWORDS[2] ?? '' }));
  const added = valueOf(keep(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: PASSWORDS[3] })));
  keep(await h.updateConnection.execute({ operatorId: roshan.id, connectionId, patch: { windowSize: 7 } }));
  keep(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'Roshan TDCA' } }));
  keep(await h.getOperator.execute(roshan.id));
  keep(await h.listOperators.execute({ statuses: ['active', 'suspended', 'deleted'] }));
  keep(await h.ingestHealthReport.execute({ operatorId: roshan.id, connectionId, bindState: 'bound', latencyMs: 10, errorRate: 0, throughputPerSecond: 1, at: h.clock.now() }));
  keep(await h.getOperatorHealth.execute(roshan.id));
  keep(await h.listOperatorHealth.execute());
  keep(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [{ id: 'r', prefixes: ['9379'], operatorId: roshan.id, priority: 1, weight: 1 }] }));
  keep(await h.getRoutingRules.execute());
  const csv = `code,name,mcc,mnc,host,port,system_id,bind_mode,password\nAWCC,AWCC,412,01,smsc.awcc.example,2775,AWCC1,trx,${PASSWORDS[4] ?? ''}\n`;
  keep(await h.planLegacyImport.execute({ content: csv }));
  keep(await h.applyLegacyImport.execute({ content: csv }));
  keep(await h.applyLegacyImport.execute({ content: csv }));
  keep(await h.removeConnection.execute({ operatorId: roshan.id, connectionId: added.connectionId }));
  h.store.down();
  keep(await h.getOperator.execute(roshan.id));
  keep(await h.setConnectionPassword.execute({ operatorId: roshan.id, connectionId, password: PASSWORDS[0] ?? '' }));
  keep(await h.getConnectionCredentials.execute({ caller: { kind: 'service', service: SMPP_GATEWAY_SERVICE }, operatorId: roshan.id, connectionId }));
  h.store.up();
  keep(await h.getConnectionCredentials.execute({ caller: { kind: 'user', subject: 'admin', roles: ['admin'] }, operatorId: roshan.id, connectionId }));
  valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 1, rules: [] }));
  keep(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
  return { answers, events: [...h.outbox.events] };
}

describe('password absence', () => {
  it('no answer of any use case but the credentials one has a password-like key with a value', async () => {
    const { answers } = await everyAnswer();
    expect(sensitiveKeys(answers)).toEqual([]);
  });

  it('no answer and no event contains any of the passwords used, under any key', async () => {
    const { answers, events } = await everyAnswer();
    const text = JSON.stringify([answers, events]);
    expect(PASSWORDS.filter((p) => text.includes(p))).toEqual([]);
  });

  it('no produced event has a password-like key with a value', async () => {
    const { events } = await everyAnswer();
    expect(events.length).toBeGreaterThan(5);
    expect(sensitiveKeys(events)).toEqual([]);
  });

  it('no event example in the contracts has a password-like key with a value', () => {
    expect(sensitiveKeys(operatorManagementEvents.map((c) => c.example))).toEqual([]);
  });

  it('no event schema declares a password, secret or credential property', () => {
    const names = operatorManagementEvents.flatMap((c) => schemaPropertyNames(c.schema));
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => SENSITIVE_KEY.test(n))).toEqual([]);
  });

  it('the walker does find a password-like key when one is there', () => {
    expect(sensitiveKeys({ a: [{ connection: { bindPassword: 'x', secretRef: null } }] })).toEqual(['$.a[0].connection.bindPassword']);
  });
});
