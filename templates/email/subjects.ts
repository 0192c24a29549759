/**
 * The subject line of every email Soft Partner sends, keyed by template name. Each template is a pair of
 * files beside this one: `<kebab-name>.mjml` (the HTML part, compiled at build time) and
 * `<kebab-name>.txt` (the plain-text part). Subjects are plain text with the same `{{placeholder}}`s.
 *
 * After editing a subject or a template, run `npm run build:emails` to regenerate `compiled.ts`.
 */
export const emailSubjects = {
  invitation: '{{partner}} invited you to a 14-day Soft Partner trial',
  day1: 'Day 1 of 14: your one-page charter, {{name}}',
  checkIn: 'Still on track for "{{goal}}" today, {{name}}?',
  day3: 'Day 3, {{name}}: how is it going?',
  day7: 'Halfway there, {{name}}: a moment to reflect',
  day14: 'Day 14, {{name}}: thank you for showing up. What next?',
  supportDigest: 'Your support board for {{date}}',
  /** The charter again, after a TWEAK changed it. */
  charter: 'Your charter, updated: {{name}}',
  decisionConfirmation: 'Noted, {{name}}: you chose to {{choice}}',
  /** Our answer to an emailed reply: what the same words by SMS would have answered. */
  reply: 'Re: {{subject}}',
} as const;

export type EmailTemplateName = keyof typeof emailSubjects;

export const emailTemplateNames = Object.keys(emailSubjects) as EmailTemplateName[];

/** `checkIn` → `check-in`: the file name (without extension) of a template. */
export function emailTemplateFile(name: EmailTemplateName): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
