import type { App, Environment } from 'aws-cdk-lib';
import type { StageConfig } from './config.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { StatelessStack } from './stacks/stateless-stack.js';

export interface SoftPartnerStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** Adds one stage of Soft Partner to the app: `SoftPartnerStateful-<stage>` and `SoftPartnerStateless-<stage>`. */
export function addSoftPartnerStacks(app: App, config: StageConfig, env?: Environment): SoftPartnerStacks {
  const tags = { project: 'soft-partner', stage: config.stage };

  const stateful = new StatefulStack(app, `SoftPartnerStateful-${config.stage}`, {
    stackName: `SoftPartnerStateful-${config.stage}`,
    description: `Soft Partner (${config.stage}): table, secrets, inbound mail bucket, SES identity and rule set, schedule group, send queue, DLQs, topics`,
    env,
    tags,
    config,
  });

  const stateless = new StatelessStack(app, `SoftPartnerStateless-${config.stage}`, {
    stackName: `SoftPartnerStateless-${config.stage}`,
    description: `Soft Partner (${config.stage}): HTTP API, functions, receipt rule, alarms, dashboard`,
    env,
    tags,
    config,
    table: stateful.table,
    twilioSecret: stateful.twilioSecret,
    apiKeySecret: stateful.apiKeySecret,
    linkSigningSecret: stateful.linkSigningSecret,
    inboundMailBucket: stateful.inboundMailBucket,
    mailDomain: stateful.mailDomain,
    alarmTopic: stateful.alarmTopic,
    emailEventsTopic: stateful.emailEventsTopic,
    scheduling: stateful.scheduling,
    sendQueue: stateful.sendQueue,
    setupQueue: stateful.setupQueue,
    inboundEmailDeadLetterQueue: stateful.inboundEmailDeadLetterQueue.queue,
    emailEventsDeadLetterQueue: stateful.emailEventsDeadLetterQueue.queue,
  });
  stateless.addStackDependency(
    stateful,
    'Reads the table, secrets, bucket, SES resources, schedule group, queues and topics of the stateful stack',
  );

  return { stateful, stateless };
}
