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
          env: { VIGIE_TEST_DB: 'embedded' },
          globalSetup: ['tests/helpers/embedded-setup.ts'],
        },
      },
    ],
  },
});
