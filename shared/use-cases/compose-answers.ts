import { phrasingIndex } from '#shared/domain/phrasing.js';
import { fill, phrasing, phrasingCount, type SmsTemplate } from '#templates/sms.js';
import { septets } from '#templates/sms-segments.js';
import { SEGMENT_SEPTETS } from './check-in-text.js';

/** Short leads for a plain acknowledgement that opens an answer with more to say after it. */
export const answerLeads: Partial<Record<SmsTemplate, string>> = {
  onTrack: 'Noted for today, {name}.',
  mood: 'Noted {mood}/5 for today, {name}.',
  reflectionThanks: 'Thank you, {name}: noted in your own words.',
};

/** A greeting that opens a template ("Got it, {name}.", "Done, {name}:"), dropped after the first answer. */
const OPENING = /^[^.!?:]*\{name\}[.!?:,]\s*/;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The turn's answers as texts. One answer is one of its phrasings for the member today. Several answers
 * (a "yes, and could use help with the intro") make one composed text: a short lead, then each answer
 * without its own greeting. When that would not fit one segment, each answer goes as its own text.
 */
export function composeAnswers(
  answers: ReadonlyArray<{ template: SmsTemplate; values: Record<string, string | number> }>,
  memberId: string,
  localDate: string,
): string[] {
  const phrased = (template: SmsTemplate) =>
    phrasing(template, phrasingIndex(memberId, localDate, phrasingCount(template)));
  const alone = answers.map(({ template, values }) => fill(phrased(template), values));
  if (answers.length < 2) return alone;
  const parts = answers.map(({ template, values }, index) => {
    if (index === 0) return fill(answerLeads[template] ?? phrased(template), values);
    const text = phrased(template);
    return fill(capitalised(text.replace(OPENING, '')), values);
  });
  const composed = parts.join(' ');
  return septets(composed) <= SEGMENT_SEPTETS ? [composed] : alone;
}
