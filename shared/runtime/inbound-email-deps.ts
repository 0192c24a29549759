import { mimeReplyParser } from '#shared/adapters/mime-reply-parser.js';
import type { ReplyParser } from '#shared/domain/reply-parser.js';
import type { InboundEmailDeps } from '#shared/use-cases/handle-inbound-email.js';
import { awsClock, awsConversationStore, awsScheduler } from './aws-deps.js';
import { awsEmailSettings } from './aws-email-settings.js';
import { awsRawMail } from './aws-raw-mail.js';
import { type Metrics, metrics } from './metrics.js';

/** What the inbound email handler is given: the reply parser is postal-mime's unless another is. */
export type InboundEmailHandlerDeps = Omit<InboundEmailDeps, 'replyParser'> & {
  replyParser?: ReplyParser;
  /** Where replies are counted (in AWS; the local stack counts nothing). */
  metrics?: Metrics;
};

/** The reply parser the handler passes unless its deps bring one: postal-mime and our quoted-history stripping. */
export { mimeReplyParser };

/** The inbound email handler's dependencies in AWS. */
export const awsInboundEmailDeps = async (): Promise<InboundEmailHandlerDeps> => ({
  store: await awsConversationStore(),
  scheduler: await awsScheduler(),
  clock: awsClock,
  rawMail: await awsRawMail(),
  emailSettings: await awsEmailSettings(),
  metrics,
});
