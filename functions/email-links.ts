import { CHARTER_PATH } from '#shared/contract.js';
import { awsEmailLinkDeps } from '#shared/runtime/aws-deps.js';
import type { HttpEvent } from '#shared/runtime/http.js';
import { httpHandler } from '#shared/runtime/http-handler.js';
import { emailLinkRequest, LINK_PATHS, linkPageResponse } from '#shared/runtime/link-page.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import * as links from '#shared/use-cases/handle-email-link.js';

/**
 * GET and POST /email/unsubscribe (RFC 8058 one-click: the POST applies, no login), /email/resubscribe
 * and /email/action (the buttons in our emails): a GET only shows a page with a button, a POST changes.
 * GET /charter/{token} shows a member's charter (the link Day 1 texts to those without email).
 */
export function createEmailLinksHandler(deps: () => Promise<links.EmailLinkDeps>) {
  const charter = httpHandler(deps, {
    parse: (event) => event.pathParameters?.token ?? '',
    run: links.showCharter,
    log: (page) => ['charter link', { outcome: page.outcome }],
    respond: (page) => linkPageResponse(page, CHARTER_PATH),
  });
  const link = httpHandler(deps, {
    parse: emailLinkRequest,
    run: (d, { kind, token, method }) =>
      (method === 'POST' ? links.applyEmailLink : links.showEmailLink)(d, kind, token),
    log: (page, { kind, method }) => ['email link', { kind, method, outcome: page.outcome }],
    respond: (page, { kind, token }) => linkPageResponse(page, LINK_PATHS[kind], token),
  });
  return (event: HttpEvent) => (event.rawPath.startsWith(`${CHARTER_PATH}/`) ? charter(event) : link(event));
}

export const handler = withMetrics(createEmailLinksHandler(awsEmailLinkDeps));
