import type { EmailSettings } from '#shared/use-cases/member-email.js';
import { awsLinkSecret, awsPublicBaseUrl, once } from './aws-deps.js';
import { awsEmailEnvironment, readConfig } from './config.js';

/** What signs and addresses email links and reply addresses; no SES client comes with it. */
export const awsEmailSettings = /* @__PURE__ */ once(async (): Promise<EmailSettings> => {
  const config = readConfig({ INBOUND_DOMAIN: awsEmailEnvironment.INBOUND_DOMAIN });
  return {
    linkSecret: await awsLinkSecret(),
    publicBaseUrl: (await awsPublicBaseUrl()).replace(/\/$/, ''),
    inboundDomain: config.INBOUND_DOMAIN,
  };
});
