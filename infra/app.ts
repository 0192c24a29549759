import { App } from 'aws-cdk-lib';
import { resolveStageConfig } from './config.js';
import { addSoftPartnerStacks } from './soft-partner.js';

// Usage: `npx cdk synth -c stage=prod -c mailDomain=example.com`, optionally with
// `-c publicBaseUrl=https://sms.example.com`, `-c alarmEmail=ops@example.com`, `-c smsMessagesPerSecond=10`,
// `-c inboundDomain=…`, `-c emailFrom=…` and `-c inboundMailRetentionDays=30` (see infra/config.ts).
const app = new App();
const config = resolveStageConfig(app.node);

// Environment-agnostic unless the CLI resolved credentials (then CDK_DEFAULT_* pin account and region).
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
addSoftPartnerStacks(app, config, account && region ? { account, region } : undefined);

app.synth();
