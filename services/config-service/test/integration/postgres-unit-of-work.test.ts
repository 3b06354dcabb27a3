import { systemClock } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { PostgresUnitOfWork } from '../../src/adapters/postgres/postgres-unit-of-work.js';
import { describeUnitOfWorkContract } from '../contract/unit-of-work.contract.js';
import { createConfigDatabase, SCHEMA } from '../support/config-database.js';

describeUnitOfWorkContract('PostgreSQL', async () => {
  const fixture = await createConfigDatabase('cfg_uow_contract');
  return {
    uow: new PostgresUnitOfWork({ db: fixture.database.db, schema: SCHEMA, roles: fixture.roles, clock: systemClock }),
    committedEvents: async () => (await fixture.admin<{ payload: EventEnvelope }>(`SELECT payload FROM config.outbox ORDER BY seq`)).map((r) => r.payload),
    cleanup: () => fixture.cleanup(),
  };
});
