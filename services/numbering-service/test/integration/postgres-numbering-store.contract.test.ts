import { afterAll, beforeAll } from 'vitest';
import { SYSTEM_SCOPE } from '../../src/adapters/postgres/numbering-scope.js';
import { describeIdempotencyStoreContract } from '../support/contracts/idempotency-store.contract.js';
import { describeNumberingStoreContract } from '../support/contracts/numbering-store.contract.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';

let fixture: PostgresFixture;
beforeAll(async () => {
  fixture = await createPostgresFixture('numbering_contract');
});
afterAll(async () => {
  await fixture.close();
});

describeNumberingStoreContract('Postgres (system scope)', async () => {
  const schema = await fixture.schema();
  const ports = schema.store.scoped(SYSTEM_SCOPE);
  return {
    unitOfWork: ports.unitOfWork,
    numbers: ports.numbers,
    catalog: ports.catalog,
    imports: ports.imports,
    auditReader: ports.auditReader,
    outboxEvents: () => schema.outboxEvents(),
    close: () => Promise.resolve(),
  };
});

describeIdempotencyStoreContract('Postgres', async () => {
  const schema = await fixture.schema();
  return { store: schema.store.scoped(SYSTEM_SCOPE).idempotency, scope: 'number.reserve:tenant:t1:u1' };
});
