import { defineConfig } from 'vitest/config';

const unitInclude = ['{packages,services,apps,tooling}/*/test/unit/**/*.test.ts', '{packages,services,apps}/*/src/**/*.test.ts'];
const integrationInclude = [
  '{packages,services,apps,tooling}/*/test/integration/**/*.test.ts',
  '{packages,services,apps}/*/test/contract/**/*.test.ts',
  '{packages,services,apps}/*/test/e2e/**/*.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['./packages/testing/src/global-setup.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/test/**', '**/main.ts', '**/cli/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: unitInclude, environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integrationInclude,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: more workers than that only add contention on the shared servers.
          maxWorkers: 2,
        },
      },
    ],
  },
});
