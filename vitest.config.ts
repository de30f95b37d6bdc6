import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (`*.test.ts`). Integration tests (`*.int.test.ts`) and the
// cross-service suites under `test/` need the real Kafka and ClickHouse that
// `deploy/local/` starts, so they run in their own project with longer timeouts.
export default defineConfig({
  test: {
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'libs/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'libs/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Integration suites share one broker and one server and some stop and start
          // processes; running their files one at a time in a single fork keeps their
          // timing independent of each other on a 2-core machine.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
