import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPartner, readTime, says } from '#shared/domain/self-serve/setup.js';
import { zoneOfPlace, zonesOfCountry } from '#shared/domain/self-serve/time-zones.js';
import {
  INVITATION_LENGTH,
  renderSetupSms,
  SETUP_PLACEHOLDER_MAX_LENGTH,
  type SetupTemplate,
  setupCopy,
} from '#templates/setup-sms.js';
import { nonGsmCharacters, septets } from '#templates/sms-segments.js';
import {
  CITY_ZONES_MODULE,
  generatedModule as cityZonesModule,
  cityZonesText,
  installedZones,
} from '../../scripts/city-zones.js';

const TEMPLATES = Object.keys(setupCopy) as SetupTemplate[];
const longest = (template: SetupTemplate) =>
  Object.fromEntries(
    Object.entries(SETUP_PLACEHOLDER_MAX_LENGTH).map(([placeholder, length]) => [
      placeholder,
      'X'.repeat(
        template === 'invitation' && (placeholder === 'name' || placeholder === 'goal')
          ? INVITATION_LENGTH[placeholder]
          : length,
      ),
    ]),
  );

describe('the self-serve copy (templates/setup-sms.ts)', () => {
  it.each(TEMPLATES)('fits %s in one GSM-7 segment with every placeholder at its longest', (template) => {
    // Prepare
    const values = longest(template);

    // Act
    const text = renderSetupSms(template, values);

    // Assess
    expect(septets(text), text).toBeLessThanOrEqual(160);
    expect(nonGsmCharacters(text)).toEqual([]);
    expect(text).not.toMatch(/[{}]/);
  });

  it.each(TEMPLATES)('never shames anyone in %s', (template) => {
    // Prepare
    const shaming = /\b(failed|missed|overdue|behind|lazy|disappointed|should have|must)\b/i;

    // Act
    const text = setupCopy[template];

    // Assess
    expect(text).not.toMatch(shaming);
  });

  it('invites in the method’s voice: who, for what, 14 days, check-ins, grace, happy to adapt, and a way out', () => {
    // Prepare
    const values = { name: 'Ada', goal: 'write 300 words' };

    // Act
    const text = renderSetupSms('invitation', values);

    // Assess
    expect(text).toBe(
      'Ada invites you to try Soft Partner for "write 300 words": 14 days, 1-min check-ins, grace passes, happy to adapt. YES, NO or STOP',
    );
  });

  it('offers only words the dialog understands (BACK, CANCEL SETUP, SKIP, DONE, SEND, EDIT, YES, NO)', () => {
    // Prepare
    const offered = new Set(
      Object.values(setupCopy).flatMap((text) => text.match(/\b(?:CANCEL SETUP|[A-Z]{2,})\b/g) ?? []),
    );
    const notWords = new Set(['HELP', 'STOP', 'NEW', 'GOAL', 'TIME', 'ZONE', 'EMAIL', 'PARTNERS', 'SOFT']);

    // Act
    const notUnderstood = [...offered].filter(
      (word) =>
        !notWords.has(word) &&
        !(['back', 'cancel', 'skip', 'done', 'send', 'edit', 'yes', 'no'] as const).some((each) =>
          says(word, each),
        ),
    );

    // Assess
    expect(notUnderstood).toEqual([]);
  });
});

describe('reading answers', () => {
  it.each([
    ['8:30', '08:30'],
    ['8.30am', '08:30'],
    ['20:15', '20:15'],
    ['8 pm', '20:00'],
    ['12am', '00:00'],
    ['0745', '07:45'],
    ['soonish', undefined],
    ['25:00', undefined],
    ['13pm', undefined],
  ])('reads the time %s as %s', (text, time) => {
    expect(readTime(text)).toBe(time);
  });

  it.each([
    ['Mia 212 555 0101', 'US', { name: 'Mia', phone: '+12125550101' }],
    ['+44 7400 123456 Sam', 'US', { name: 'Sam', phone: '+447400123456' }],
    ['Jo: 07400 123456', 'GB', { name: 'Jo', phone: '+447400123456' }],
    ['Mia 123456', 'US', { name: 'Mia' }],
    ['Mia', 'US', undefined],
  ])('reads the partner "%s" (default %s)', (text, country, partner) => {
    expect(readPartner(text, country)).toEqual(partner);
  });

  it.each([
    ['New York', 'America/New_York'],
    ['boston', 'America/New_York'],
    ['Sydney', 'Australia/Sydney'],
    ['São Paulo', 'America/Sao_Paulo'],
    ['europe/london', 'Europe/London'],
    ['Atlantis', undefined],
  ])('maps the place %s to %s', (place, zone) => {
    expect(zoneOfPlace(place)).toBe(zone);
  });

  it('asks for a zone only where the country has several', () => {
    expect({ GB: zonesOfCountry('GB').length, FR: zonesOfCountry('FR').length }).toEqual({ GB: 1, FR: 1 });
    expect(zonesOfCountry('US').length).toBeGreaterThan(1);
  });

  it('keeps the generated city table in step with the installed datasets (npx tsx scripts/city-zones.ts)', () => {
    expect(readFileSync(CITY_ZONES_MODULE, 'utf8')).toBe(cityZonesModule(cityZonesText(installedZones())));
  });
});
