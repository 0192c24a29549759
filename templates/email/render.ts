/**
 * Fills a compiled email template. Imports nothing from mjml: the templates were compiled at build time
 * into `compiled.ts` (see scripts/compile-emails.ts), so this is cheap to load in a Lambda.
 *
 * Values are plain text. In the HTML part each is escaped (& < > " '); in the text part and the subject
 * it goes in as it is (the subject on one line). The one way to put markup into the HTML part is an
 * explicit `trustedHtml(...)` value, meant for block slots such as `{{summaryHtml}}`; its plain-text
 * counterpart (`{{summaryText}}`) takes a plain string.
 */
import { compiledEmails } from './compiled.js';
import type { EmailTemplateName } from './subjects.js';
import { PLACEHOLDER } from './types.js';

/** Markup we built ourselves and vouch for. Never wrap a member's own words in this. */
export interface TrustedHtml {
  readonly html: string;
}

export function trustedHtml(html: string): TrustedHtml {
  return { html };
}

export type EmailValue = string | number | TrustedHtml;
export type EmailValues = Readonly<Record<string, EmailValue>>;

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export class EmailRenderError extends Error {
  constructor(
    readonly template: EmailTemplateName,
    message: string,
  ) {
    super(`renderEmail("${template}"): ${message}`);
    this.name = 'EmailRenderError';
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

function isTrustedHtml(value: unknown): value is TrustedHtml {
  return typeof value === 'object' && value !== null && typeof (value as TrustedHtml).html === 'string';
}

type Part = 'subject' | 'html' | 'text';

function fill(name: EmailTemplateName, part: Part, template: string, values: EmailValues): string {
  // One pass: a value that itself contains {{...}} is never expanded again.
  return template.replace(PLACEHOLDER, (_whole, key: string) => {
    const value = values[key];
    if (isTrustedHtml(value)) {
      if (part === 'html') return value.html;
      throw new EmailRenderError(
        name,
        `{{${key}}} is used in the ${part}, which is plain text; pass a string, not trusted HTML`,
      );
    }
    const plain = String(value);
    if (part === 'html') return escapeHtml(plain);
    if (part === 'subject') return plain.replace(/\s+/g, ' ').trim();
    return plain;
  });
}

/** Fills every placeholder of a template; throws an EmailRenderError naming any value that is missing. */
export function renderEmail(name: EmailTemplateName, values: EmailValues): RenderedEmail {
  const email = compiledEmails[name];
  if (!email) throw new Error(`renderEmail: there is no email template named "${String(name)}"`);
  const missing = email.placeholders.filter((key) => {
    const value: unknown = values[key];
    return value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value));
  });
  if (missing.length > 0) {
    const list = missing.map((key) => `{{${key}}}`).join(', ');
    throw new EmailRenderError(name, `missing ${missing.length === 1 ? 'a value' : 'values'} for ${list}`);
  }
  return {
    subject: fill(name, 'subject', email.subject, values),
    html: fill(name, 'html', email.html, values),
    text: fill(name, 'text', email.text, values),
  };
}
