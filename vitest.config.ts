import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every structured log line is kept for the privacy scan that follows the run.
    setupFiles: ['test/support/capture-logs.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests each start their own local stack on free ports; two cores limit parallelism.
    maxWorkers: 2,
  },
});
