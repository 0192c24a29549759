import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '#local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB API every stack of this test run uses, each with a table of its own. */
    dynamoDbEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory) for the whole test run: a JVM per test file would cost ~2 s and ~5 s of
 * CPU each on a 2-core machine. With DYNAMODB_ENDPOINT set, the tests use that DynamoDB API instead.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DYNAMODB_ENDPOINT;
  if (given) {
    project.provide('dynamoDbEndpoint', given);
    return;
  }
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
  return () => dynamo.close();
}
