import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { AwsScheduler } from '../adapters/aws-scheduler.js';
import { createDocumentClient, DynamoDbStore } from '../adapters/dynamodb-store.js';
import { type Clock, systemClock } from '../domain/clock.js';
import {
  awsEmailEnvironment,
  awsEnvironment,
  awsSchedulerEnvironment,
  readConfig,
  type TwilioSecret,
  twilioSecretSchema,
} from './config.js';
import { countedStore } from './metrics.js';

/**
 * Dependencies of the Lambda functions on AWS, built once per cold start and only when first
 * needed, so that importing a handler (as the local stack does) never reads AWS configuration.
 */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

const secrets = once(async () => new SecretsManagerClient({}));

export async function secretString(arn: string): Promise<string> {
  const result = await (await secrets()).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!result.SecretString) throw new Error('Secret has no string value');
  return result.SecretString;
}

export const awsStore = once(async () => {
  const config = readConfig({ TABLE_NAME: awsEnvironment.TABLE_NAME });
  return countedStore(new DynamoDbStore(createDocumentClient(), config.TABLE_NAME));
});

export const awsTwilioSecret = once(async (): Promise<TwilioSecret> => {
  const config = readConfig({ TWILIO_SECRET_ARN: awsEnvironment.TWILIO_SECRET_ARN });
  return twilioSecretSchema.parse(JSON.parse(await secretString(config.TWILIO_SECRET_ARN)));
});

export const awsApiKey = once(async () => {
  const config = readConfig({ API_KEY_SECRET_ARN: z.string().min(1) });
  return secretString(config.API_KEY_SECRET_ARN);
});

export const awsPublicBaseUrl = once(
  async () => readConfig({ PUBLIC_BASE_URL: awsEnvironment.PUBLIC_BASE_URL }).PUBLIC_BASE_URL,
);

export const awsScheduler = once(async () => {
  const config = readConfig(awsSchedulerEnvironment);
  return new AwsScheduler(
    new SchedulerClient({}),
    {
      groupName: config.SCHEDULE_GROUP_NAME,
      roleArn: config.SCHEDULER_ROLE_ARN,
      targetArn: config.SCHEDULE_TARGET_ARN,
      deadLetterArn: config.SCHEDULE_DLQ_ARN,
      sendQueueUrl: config.SEND_QUEUE_URL,
    },
    systemClock,
    new SQSClient({}),
  );
});

export const awsClock: Clock = systemClock;

/** The key that signs reply addresses and email links. */
export const awsLinkSecret = once(async () =>
  secretString(readConfig({ LINK_SECRET_ARN: awsEmailEnvironment.LINK_SECRET_ARN }).LINK_SECRET_ARN),
);
