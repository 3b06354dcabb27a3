import { ManualClock } from '@sms/kernel';
import { InMemoryIdempotencyStore, InMemoryLeaseCache, InMemoryNumberingStore } from '../../../src/index.js';
import { describeIdempotencyStoreContract } from '../../support/contracts/idempotency-store.contract.js';
import { describeLeaseCacheContract } from '../../support/contracts/lease-cache.contract.js';
import { describeNumberingStoreContract } from '../../support/contracts/numbering-store.contract.js';

describeNumberingStoreContract('in-memory store', () => {
  const store = new InMemoryNumberingStore();
  return Promise.resolve({
    unitOfWork: store.unitOfWork,
    numbers: store.numbers,
    catalog: store.catalog,
    imports: store.imports,
    auditReader: store.auditReader,
    outboxEvents: () => Promise.resolve(store.outboxEvents()),
    close: () => Promise.resolve(),
  });
});

describeIdempotencyStoreContract('in-memory idempotency store', () => Promise.resolve({ store: new InMemoryIdempotencyStore(), scope: 'number.reserve:tenant:t:u' }));

describeLeaseCacheContract('in-memory lease cache', () =>
  Promise.resolve({ cache: new InMemoryLeaseCache(new ManualClock()), close: () => Promise.resolve() }),
);
