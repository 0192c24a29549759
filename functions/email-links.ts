import { awsClock, awsLinkSecret, awsScheduler, awsStore } from '#shared/runtime/aws-deps.js';

import type { HttpEvent } from '#shared/runtime/http.js';
import { linkPageResponse } from '#shared/runtime/link-page.js';
import { logger } from '#shared/runtime/logger.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import {
  applyEmailLink,
  type EmailLinkDeps,
  type LinkKind,
  showCharter,
  showEmailLink,
} from '#shared/use-cases/handle-email-link.js';
import {
  ACTION_PATH,
  CHARTER_PATH,
  RESUBSCRIBE_PATH,
  UNSUBSCRIBE_PATH,
} from '#shared/use-cases/member-email.js';

const PATHS: Record<LinkKind, string> = {
  unsubscribe: UNSUBSCRIBE_PATH,
  resubscribe: RESUBSCRIBE_PATH,
  action: ACTION_PATH,
};

/**
 * GET and POST /email/unsubscribe (RFC 8058 one-click: the POST applies, no login), /email/resubscribe
 * (the way back, offered on the page confirming an unsubscribe) and /email/action (the buttons in our
 * emails). A GET only shows a page with a button; only a POST changes anything.
 * GET /charter/{token} shows a member's charter (the link Day 1 texts to those without email).
 */
export function createEmailLinksHandler(deps: () => Promise<EmailLinkDeps>) {
  return async (event: HttpEvent) => {
    if (event.rawPath.startsWith(`${CHARTER_PATH}/`)) {
      const page = await showCharter(await deps(), event.pathParameters?.token ?? '');
      logger.info('charter link', { outcome: page.outcome });
      return linkPageResponse(page, CHARTER_PATH);
    }
    const kind: LinkKind = event.rawPath.endsWith(UNSUBSCRIBE_PATH)
      ? 'unsubscribe'
      : event.rawPath.endsWith(RESUBSCRIBE_PATH)
        ? 'resubscribe'
        : 'action';
    const token = event.queryStringParameters?.token;
    const resolved = await deps();
    const page =
      event.requestContext.http.method === 'POST'
        ? await applyEmailLink(resolved, kind, token)
        : await showEmailLink(resolved, kind, token);
    logger.info('email link', { kind, method: event.requestContext.http.method, outcome: page.outcome });
    return linkPageResponse(page, PATHS[kind], token);
  };
}

export const handler = withMetrics(
  createEmailLinksHandler(async () => ({
    store: await awsStore(),
    scheduler: await awsScheduler(),
    clock: awsClock,
    linkSecret: await awsLinkSecret(),
  })),
);
