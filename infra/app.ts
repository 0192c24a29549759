import { App } from 'aws-cdk-lib';
import { applyCompliancePacks } from './compliance.js';
import { assertDeployable, resolveStageConfig } from './config.js';
import { addSoftPartnerStacks } from './soft-partner.js';

// Usage: `npx cdk synth -c stage=prod`. Each stage's settings live under "stages" in cdk.json (mailDomain,
// twilioFromNumber, smsMessagesPerSecond, alarmEmail, publicBaseUrl, inboundDomain, emailFrom,
// inboundMailRetentionDays; see infra/config.ts); `-c key=value` overrides one for a single run.
const app = new App();
const config = resolveStageConfig(app.node);
// prod refuses the placeholder mail domain and Twilio test number before anything is synthesized.
assertDeployable(config);

// Environment-agnostic unless the CLI resolved credentials (then CDK_DEFAULT_* pin account and region).
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
addSoftPartnerStacks(app, config, account && region ? { account, region } : undefined);
// cdk-nag at every synthesis, not only in the tests.
applyCompliancePacks(app);

app.synth();
