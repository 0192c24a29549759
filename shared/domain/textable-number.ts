import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import { phoneMetadata } from './phone-metadata.js';

/**
 * Numbers worth texting. With libphonenumber's full metadata (only the enroll function loads it), the
 * number's type decides: a text to a premium-rate or shared-cost number earns its owner money at ours
 * (SMS pumping), and pagers, voicemail, UANs and numbers of no known type are not a person's phone.
 */
const REFUSED_TYPES: Record<string, string> = {
  PREMIUM_RATE: 'is a premium-rate number; give a mobile number',
  SHARED_COST: 'is a shared-cost number; give a mobile number',
  UAN: 'is a business (UAN) number; give a mobile number',
  PAGER: 'is a pager number; give a mobile number',
  VOICEMAIL: 'is a voicemail number; give a mobile number',
};

/**
 * The countries we text by default: those that share the calling code of the sending number (+1 is
 * the whole North American plan, +44 the UK with Guernsey, Jersey and the Isle of Man).
 */
export function countriesOfNumber(sendingNumber: string): string[] {
  const parsed = parsePhoneNumberFromString(sendingNumber, phoneMetadata());
  if (!parsed) return [];
  return getCountries(phoneMetadata()).filter(
    (country) => getCountryCallingCode(country, phoneMetadata()) === parsed.countryCallingCode,
  );
}

/** Why we will not text this (E.164) number, or undefined when it is a number worth texting. */
export function whyNotTextable(
  phone: string,
  allowedCountries: readonly string[] | undefined,
): string | undefined {
  const parsed = parsePhoneNumberFromString(phone, phoneMetadata());
  if (!parsed?.isValid()) return 'is not a number in use in its country; check the digits';
  const type = parsed.getType();
  if (type === undefined) return 'is not a number we can tell is a phone; give a mobile number';
  const refused = REFUSED_TYPES[type];
  if (refused) return refused;
  if (allowedCountries && (!parsed.country || !allowedCountries.includes(parsed.country)))
    return `is in a country we do not text (${parsed.country ?? `+${parsed.countryCallingCode}`}); we text numbers in ${allowedCountries.join(', ')}`;
  return undefined;
}
