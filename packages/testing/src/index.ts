export { testRunId, uniqueName, testServices } from './run-id.js';
export { createFreshDatabase, withAdmin, TEST_DATABASE_PREFIX } from './fresh-database.js';
export type { FreshDatabase } from './fresh-database.js';
export { freePort } from './free-port.js';
