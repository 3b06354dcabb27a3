import { InMemoryUnitOfWork } from '../../../src/application/testing/in-memory-unit-of-work.js';
import { createRootNode } from '../../../src/domain/config-node.js';
import { configSeed } from '../../../src/domain/config-seed.js';
import { defineKey } from '../../../src/domain/key-definition.js';
import { describeUnitOfWorkContract } from '../../contract/unit-of-work.contract.js';

describeUnitOfWorkContract('in memory', () => {
  const uow = new InMemoryUnitOfWork();
  const seededAt = new Date(configSeed.globalNode.createdAt);
  const root = createRootNode(configSeed.globalNode.id, { author: configSeed.globalNode.author, reason: configSeed.globalNode.reason, now: seededAt });
  uow.seed({
    nodes: [root.node],
    versions: [root.version],
    roles: configSeed.systemRoles,
    keys: configSeed.keys.map((draft) => {
      const defined = defineKey(draft, seededAt);
      if (!defined.ok) throw new Error(defined.error.message);
      return defined.value;
    }),
  });
  return Promise.resolve({ uow, committedEvents: () => Promise.resolve(uow.outbox), cleanup: () => Promise.resolve() });
});
