import { defineConfig } from 'vitest/config';

const common = {
  // Every structured log line is kept for the privacy scan that follows the run.
  setupFiles: ['test/support/capture-logs.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Integration tests each start their own local stack on free ports; two cores limit parallelism.
    maxWorkers: 2,
    projects: [
      {
        // Pure logic and CDK assertions: no local servers, so no DynamoDB Local to wait for.
        test: { ...common, name: 'offline', include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'] },
      },
      {
        // Everything that runs the local stack: one DynamoDB Local for the run (started only when a file of
        // this project runs), a table per stack.
        test: {
          ...common,
          name: 'stack',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/infra/**'],
          globalSetup: ['test/support/dynamodb-local.global.ts'],
          setupFiles: [...common.setupFiles, 'test/support/dynamodb-endpoint.ts'],
        },
      },
    ],
  },
});
