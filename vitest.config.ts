import { defineConfig } from 'vitest/config';

const unitInclude = ['{packages,services,apps,tooling}/*/test/unit/**/*.test.ts', '{packages,services,apps}/*/src/**/*.test.ts'];
const integrationInclude = [
  '{packages,services,apps,tooling}/*/test/integration/**/*.test.ts',
  '{packages,services,apps}/*/test/contract/**/*.test.ts',
  '{packages,services,apps}/*/test/e2e/**/*.test.ts',
];

// CI asks for a machine-readable report next to the usual console output (.ci/run reads the totals).
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
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
        test: { name: 'unit', include: unitInclude, environment: 'node', sequence: { groupOrder: 0 } },
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
          // Projects with different worker limits must run as separate groups: unit tests first.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
