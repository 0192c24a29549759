import { Logger } from '@aws-lambda-powertools/logger';
import { readEnv } from '#shared/contract.js';

/** Phone numbers as we hold them (E.164) and email addresses. */
const PHONE = /\+\d{7,15}\b/g;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;

/** Masks phone numbers and email addresses in free text. */
export function redact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/**
 * One structured logger. We log ids and outcomes only: never a phone number, an email address or a
 * message body. Every string value is masked on its way out as a last line of defence, for what slips
 * in through an error message (a provider's "the number +1… is not valid").
 */
export const logger = new Logger({
  serviceName: readEnv('POWERTOOLS_SERVICE_NAME') ?? 'soft-partner',
  jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? redact(value) : value),
});
