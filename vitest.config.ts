import { defineConfig } from 'vitest/config';

// Tests that need a database run twice: against a real PostgreSQL and against the embedded PGlite.
const DATABASE_SUITES = [
  'tests/db/**/*.test.ts',
  'tests/monitors/**/*.test.ts',
  'tests/scheduler/**/*.test.ts',
  'tests/rest/**/*.test.ts',
  'tests/graphql/**/*.test.ts',
  'tests/alerts/**/*.test.ts',
  'tests/auth/**/*.test.ts',
  'tests/server/**/*.test.ts',
  'tests/results/**/*.test.ts',
  'tests/stats/**/*.test.ts',
  'tests/config-file/**/*.test.ts',
  // Several service processes on one database: all *.postgres.test.ts.
  'tests/cluster/**/*.test.ts',
];

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the packages vitest leaves to it (Pothos, Yoga); files vitest
    // transforms must use that same copy, or graphql refuses types "from another module or realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    setupFiles: ['tests/helpers/pg-overlap-guard.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/checks/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          globalSetup: ['tests/helpers/server-build-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: DATABASE_SUITES,
          env: { VIGIE_TEST_DB: 'postgres' },
          globalSetup: ['tests/helpers/server-build-setup.ts', 'tests/helpers/postgres-setup.ts'],
        },
      },
      {
        // Browser end-to-end tests of the dashboard: Chromium against a real server on a real PostgreSQL.
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          env: { VIGIE_TEST_DB: 'postgres' },
          globalSetup: ['tests/helpers/postgres-setup.ts', 'tests/e2e/build-client.ts'],
          testTimeout: 60_000,
          // One Chromium at a time, after the other projects (groupOrder): the machine has two cores, and the
          // live and first-paint timings should not compete with the database suites.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: DATABASE_SUITES,
          // *.postgres.test.ts need what only a server gives: several processes on one database.
          exclude: ['**/*.postgres.test.ts'],
          env: { VIGIE_TEST_DB: 'embedded' },
          globalSetup: ['tests/helpers/server-build-setup.ts', 'tests/helpers/embedded-setup.ts'],
        },
      },
    ],
  },
});
