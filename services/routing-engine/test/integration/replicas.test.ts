import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRoutingWorld, eventually, startEngine } from '../support/engine-world.js';
import type { EngineInstance, RoutingWorld } from '../support/engine-world.js';
import { AWCC, ROSHAN } from '../support/fixtures.js';
import { healthChanged, operatorChanged, rulesChanged } from '../support/ops-events.js';

let world: RoutingWorld;
let replicas: EngineInstance[] = [];

const ruleTo = (operatorId: string) => ({
  id: 'own',
  prefixes: ['9379'],
  tenantId: null,
  senderTypes: null,
  timeWindow: null,
  operatorId,
  priority: 10,
  weight: 1,
  failover: [],
});

async function answersOf(): Promise<unknown[]> {
  const token = await world.signer.mint({ subject: 'sms-orchestrator', serviceName: 'sms-orchestrator' });
  return Promise.all(
    replicas.map(async (replica) => {
      const response = await replica.app.inject({
        method: 'POST',
        url: '/v1/routes/resolve',
        headers: { authorization: `Bearer ${token}` },
        payload: { tenant_id: 'tenant-a', destination: '+93791234567', sender: { kind: 'msisdn' } },
      });
      return response.json<{ operator_id?: string }>().operator_id;
    }),
  );
}

beforeAll(async () => {
  world = await createRoutingWorld('routing_replicas');
  const durable = `${world.prefix}_shared`;
  replicas = [await startEngine(world, { durable, reloadIntervalMs: 100 }), await startEngine(world, { durable, reloadIntervalMs: 100 })];
  for (const operatorId of [ROSHAN, AWCC]) {
    await world.publish(operatorChanged(operatorId, operatorId === ROSHAN ? 'ROSHAN' : 'AWCC'));
    await world.publish(healthChanged(operatorId, operatorId === ROSHAN ? 'ROSHAN' : 'AWCC', 'up', '2026-04-18T12:00:00.000Z'));
  }
});

afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await world.cleanup();
});

describe('two replicas sharing one durable consumer', () => {
  it('both answer from every rule set, whichever replica consumed it', async () => {
    await world.publish(rulesChanged(1, [ruleTo(ROSHAN)]));
    await eventually(async () => expect(await answersOf()).toEqual([ROSHAN, ROSHAN]));
    await world.publish(rulesChanged(2, [ruleTo(AWCC)]));
    await eventually(async () => expect(await answersOf()).toEqual([AWCC, AWCC]));
  });
});
