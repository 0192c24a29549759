import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger. We log ids and outcomes only: never a phone number, an email address or
 * a message body. `redact` is a last line of defence for anything that slips into a log line.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'soft-partner' });

const PHONE = /\+?\d[\d\s().-]{7,}\d/g;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;

/** Masks phone numbers and email addresses in free text. */
export function redact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}
