import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { Database } from '@sms/db';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { startConfigService } from '../../src/composition.js';
import type { ConfigServiceRuntime } from '../../src/composition.js';
import type { Grant } from '../../src/domain/access.js';
import { SCHEMA } from '../support/config-database.js';
import { eventually, startServiceFixture } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';
import { subjects } from '../support/world.js';

/** `config_policy_reloads_total{trigger="event",outcome="ok"}` of one replica. */
async function eventReloads(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('config_policy_reloads_total')?.get();
  return metric?.values.find((v) => v.labels['trigger'] === 'event' && v.labels['outcome'] === 'ok')?.value ?? 0;
}

// The access policy lives in each replica's memory: a role changed through one replica must reach
// every other replica by its event, not wait for their periodic reload (set to an hour here).
describe('access policy reload across replicas', () => {
  let first: ServiceFixture;
  let second: ConfigServiceRuntime;
  const secondRegistry = new Registry();

  beforeAll(async () => {
    first = await startServiceFixture('cfg_policy');
    second = await startConfigService({
      database: first.db.database as unknown as Database<unknown>,
      schema: SCHEMA,
      roles: first.db.roles,
      bus: first.bus,
      resolutionCache: first.cache,
      clock: systemClock,
      ids: uuidv7Generator,
      logger: createLogger({ service: 'config-service', level: 'silent' }),
      registry: secondRegistry,
      subjectPrefix: first.prefix,
      relayPollIntervalMs: 100,
      policyReloadIntervalMs: 3_600_000,
    });
  }, 60_000);

  afterAll(async () => {
    for (const step of second.closers) await step.close();
    await first.cleanup();
  });

  it('reloads the policy of every replica when a role changes on one of them', async () => {
    const grants: Grant[] = [{ actions: ['node.read'], scope: 'own-tenant', keys: 'all' }];
    const before = [await eventReloads(first.registry), await eventReloads(secondRegistry)];

    const put = await first.runtime.useCases.putRole.execute({
      subject: subjects.platformAdmin,
      name: 'replica-reader',
      description: 'reads',
      tenantAssignable: true,
      grants,
      reason: 'replica test',
    });
    expect(put.ok).toBe(true);

    await eventually(async () => {
      expect(await eventReloads(first.registry)).toBeGreaterThan(before[0] ?? 0);
      expect(await eventReloads(secondRegistry)).toBeGreaterThan(before[1] ?? 0);
    }, 15_000);
  });
});
