import { defineConfig } from 'vitest/config';

// Tests that need a database run twice: against a real PostgreSQL and against the embedded PGlite.
const DATABASE_SUITES = [
  'tests/db/**/*.test.ts',
  'tests/monitors/**/*.test.ts',
  'tests/scheduler/**/*.test.ts',
  'tests/rest/**/*.test.ts',
  'tests/graphql/**/*.test.ts',
  'tests/alerts/**/*.test.ts',
  'tests/server/**/*.test.ts',
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
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/checks/**/*.test.ts', 'tests/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: DATABASE_SUITES,
          env: { VIGIE_TEST_DB: 'postgres' },
          globalSetup: ['tests/helpers/postgres-setup.ts'],
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
          globalSetup: ['tests/helpers/embedded-setup.ts'],
        },
      },
    ],
  },
});
