import { brotliDecompressSync } from 'node:zlib';
import { isValidTimeZone } from '#shared/domain/calendar.js';
import { spellTimeZone } from '#shared/domain/enrollment.js';
import { CITY_ZONES_BROTLI_BASE64 } from './city-zones.generated.js';

interface ZoneEntry {
  zone: string;
  country: string;
}

/** Lower-case, without accents, punctuation or a trailing "city": how a typed place is compared. */
export function placeKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[_'.,-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ city$/, '')
    .replace(/ time$/, '');
}

let index: { byPlace: Map<string, ZoneEntry>; zonesByCountry: Map<string, string[]> } | undefined;

/** The generated table (scripts/city-zones.ts), unpacked once: places → zone, country → its zones. */
function table() {
  if (index) return index;
  const byPlace = new Map<string, ZoneEntry>();
  const zonesByCountry = new Map<string, string[]>();
  const text = brotliDecompressSync(Buffer.from(CITY_ZONES_BROTLI_BASE64, 'base64')).toString('utf8');
  const [zoneLines = '', cityLines = ''] = text.split('\n\n');
  const name = (place: string, entry: ZoneEntry) => {
    if (place && !byPlace.has(placeKey(place))) byPlace.set(placeKey(place), entry);
  };
  // The larger of two namesakes first: every city of 200,000 people or more (Sydney is in Australia).
  for (const line of cityLines.split('\n')) {
    const [city = '', zone = ''] = line.split('|');
    name(city, { zone, country: '' });
  }
  const alternatives = new Map<string, ZoneEntry[]>();
  for (const line of zoneLines.split('\n')) {
    const [zone = '', country = '', alternative = '', cities = ''] = line.split('|');
    const entry = { zone, country };
    zonesByCountry.set(country, [...(zonesByCountry.get(country) ?? []), zone]);
    // Then a zone's main cities and its own city ("New_York").
    for (const city of cities.split(';')) name(city, entry);
    name(zone.slice(zone.lastIndexOf('/') + 1), entry);
    alternatives.set(alternative, [...(alternatives.get(alternative) ?? []), entry]);
  }
  // A zone's name ("Pacific Time") only where it names one zone ("Eastern Time" names twenty).
  for (const [alternative, entries] of alternatives)
    if (entries.length === 1 && entries[0]) name(alternative, entries[0]);
  index = { byPlace, zonesByCountry };
  return index;
}

/** The time zones of a country (ISO code), as the dataset groups them: one means we never ask. */
export function zonesOfCountry(country: string | undefined): string[] {
  return country ? (table().zonesByCountry.get(country) ?? []) : [];
}

/**
 * The IANA zone a person means by a city, a zone name ("Europe/London") or a zone's own name
 * ("Eastern Time"); undefined when we cannot tell.
 */
export function zoneOfPlace(text: string): string | undefined {
  const typed = text.trim();
  if (typed.includes('/') && isValidTimeZone(typed)) return spellTimeZone(typed);
  return table().byPlace.get(placeKey(typed))?.zone;
}

/** How a zone is said back in a text: "New York" for America/New_York. */
export function zonePlaceName(zone: string): string {
  return zone.slice(zone.lastIndexOf('/') + 1).replaceAll('_', ' ');
}
