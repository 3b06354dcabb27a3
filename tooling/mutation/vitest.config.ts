import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Stryker runs the unit tests in a copy of the repository whose node_modules is a link back to the
// real one, so `@sms/kernel` would resolve to the unmutated original. Point it at this copy instead.
const root = path.resolve(import.meta.dirname, '../..');

/**
 * Vitest configuration for mutation runs (`npm run mutation`): unit tests only, no global setup,
 * so no PostgreSQL, Redis or NATS is needed. Stryker narrows the test folder per target (`vitest.dir`).
 */
export default defineConfig({
  resolve: {
    alias: [{ find: /^@sms\/kernel$/, replacement: path.join(root, 'packages/kernel/src/index.ts') }],
  },
  test: {
    // Stryker sets `dir` to one package's test/unit folder; globs are relative to it.
    include: ['**/*.test.ts'],
    environment: 'node',
  },
});
