import { isValidTimeZone } from '../calendar.js';
import { spellTimeZone } from '../enrollment.js';
import { CITY_ZONES } from './city-zones.generated.js';

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

/** The generated table (scripts/city-zones.ts), read once: places → zone, country → its zones. */
function table() {
  if (index) return index;
  const byPlace = new Map<string, ZoneEntry>();
  const zonesByCountry = new Map<string, string[]>();
  for (const line of CITY_ZONES.split('\n')) {
    const [zone = '', country = '', alternative = '', cities = ''] = line.split('|');
    const entry = { zone, country };
    zonesByCountry.set(country, [...(zonesByCountry.get(country) ?? []), zone]);
    // A main city names its zone; the zone's own city ("New_York") and its name ("Eastern Time") too,
    // unless a main city already took the word.
    for (const city of cities.split(';'))
      if (city && !byPlace.has(placeKey(city))) byPlace.set(placeKey(city), entry);
    const own = zone.slice(zone.lastIndexOf('/') + 1);
    if (!byPlace.has(placeKey(own))) byPlace.set(placeKey(own), entry);
    if (alternative && !byPlace.has(placeKey(alternative))) byPlace.set(placeKey(alternative), entry);
  }
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
