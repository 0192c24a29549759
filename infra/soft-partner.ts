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
    description: `Soft Partner (${config.stage}): table, secrets, inbound mail bucket, SES identity and rule set`,
    env,
    tags,
    config,
  });

  const stateless = new StatelessStack(app, `SoftPartnerStateless-${config.stage}`, {
    stackName: `SoftPartnerStateless-${config.stage}`,
    description: `Soft Partner (${config.stage}): HTTP API, functions, scheduling, email wiring, alarms`,
    env,
    tags,
    config,
    table: stateful.table,
    twilioSecret: stateful.twilioSecret,
    apiKeySecret: stateful.apiKeySecret,
    linkSigningSecret: stateful.linkSigningSecret,
    inboundMailBucket: stateful.inboundMailBucket,
    mailDomain: stateful.mailDomain,
  });
  stateless.addStackDependency(
    stateful,
    'Reads the table, secrets, bucket and SES resources of the stateful stack',
  );

  return { stateful, stateless };
}
