import { escapeHtml, type TrustedHtml, trustedHtml } from './render.js';

/**
 * A list for an email's block slot (`{{goalsHtml}}` / `{{goalsText}}`, `{{boardHtml}}` / `{{boardText}}`):
 * the items escaped in a `<ul>`, and the same items as "- " lines for the plain-text part.
 */
export function bulletList(items: readonly string[]): { html: TrustedHtml; text: string } {
  return {
    html: trustedHtml(
      `<ul style="margin: 0; padding-left: 20px;">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
    ),
    text: items.map((item) => `- ${item}`).join('\n'),
  };
}
