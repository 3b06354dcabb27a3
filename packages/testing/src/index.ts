export { testRunId, uniqueName, testServices } from './run-id.js';
export { createFreshDatabase, withAdmin, TEST_DATABASE_PREFIX } from './fresh-database.js';
export type { FreshDatabase } from './fresh-database.js';
export { freePort, freePortRange } from './free-port.js';
export { natsBusFixture, deleteStreams } from './nats-bus-fixture.js';
export type { NatsBusFixture } from './nats-bus-fixture.js';
export { pactOutputDir, compareWithCommittedPact } from './pact-files.js';
export { startPrivateRedisServer } from './private-redis-server.js';
export type { PrivateRedisServer } from './private-redis-server.js';
