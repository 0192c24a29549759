/** One email template as compiled at build time: every part still holds its `{{placeholder}}`s. */
export interface CompiledEmail {
  /** Plain text. */
  readonly subject: string;
  /** The HTML part, compiled from MJML (Outlook-safe tables, inlined styles). */
  readonly html: string;
  /** The plain-text part. */
  readonly text: string;
  /** Every placeholder the subject, the HTML or the text uses, sorted. */
  readonly placeholders: readonly string[];
}

/** `{{name}}`: a letter, then letters and digits. Anything else between braces is a template error. */
export const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
