import { EMAIL_ACTION_PATH, EMAIL_RESUBSCRIBE_PATH, EMAIL_UNSUBSCRIBE_PATH } from '#shared/contract.js';
import type { LinkKind, LinkPage } from '#shared/use-cases/handle-email-link.js';
import { escapeHtml } from '#templates/email/render.js';
import type { HttpEvent, HttpResult } from './http.js';

/**
 * The small page an email link opens: what will happen and one button (a form POST to the same link),
 * or what happened. Everything shown is escaped; no script, no external resource.
 */
export function linkPageResponse(page: LinkPage, path: string, token?: string): HttpResult {
  const paragraphs = page.message
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('');
  const form =
    page.confirm && token
      ? `<form method="post" action="${escapeHtml(`${path}?token=${encodeURIComponent(token)}`)}"><button type="submit">${escapeHtml(page.confirm)}</button></form>`
      : '';
  const link = page.link
    ? `<p><a href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.text)}</a></p>`
    : '';
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(page.title)}</title><style>body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;background:#f6f4ef;color:#2f2a24;margin:0;padding:24px}main{max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:24px}button{background:#2f6f5e;color:#fff;border:0;border-radius:6px;padding:12px 24px;font-size:16px;font-weight:bold;cursor:pointer}</style></head><body><main><h1>${escapeHtml(page.title)}</h1>${paragraphs}${form}${link}</main></body></html>`;
  return {
    statusCode: page.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    },
    body,
  };
}

/** Each signed email link's path. */
export const LINK_PATHS: Record<LinkKind, string> = {
  unsubscribe: EMAIL_UNSUBSCRIBE_PATH,
  resubscribe: EMAIL_RESUBSCRIBE_PATH,
  action: EMAIL_ACTION_PATH,
};

/** An email link's request: which link (by path), its token, and whether it applies (POST) or only shows. */
export function emailLinkRequest(event: HttpEvent) {
  const kind: LinkKind = event.rawPath.endsWith(EMAIL_UNSUBSCRIBE_PATH)
    ? 'unsubscribe'
    : event.rawPath.endsWith(EMAIL_RESUBSCRIBE_PATH)
      ? 'resubscribe'
      : 'action';
  return { kind, token: event.queryStringParameters?.token, method: event.requestContext.http.method };
}
