// Phone numbers as people type them ("8 (916) 123-45-67", "+49 170 1234567", "030 1234567"),
// parsed with libphonenumber's metadata into E.164, the only form an SMS provider accepts. Pure:
// the default region comes in as an argument. A number that libphonenumber calls invalid is
// refused; a valid one whose type cannot take a text message (a landline, a toll-free line) is
// told apart, so the caller can refuse it where SMS is what the number is for.
import { getCountries, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

export interface ParsedPhone {
  /** "+79161234567" */
  e164: string;
  country: CountryCode | undefined;
  /** False for types that cannot receive SMS; true when the type is mobile, personal, VoIP or unknown. */
  smsCapable: boolean;
}

/** Types that never receive a text message. An unknown type gets the benefit of the doubt. */
const NO_SMS = new Set<NumberType>(['FIXED_LINE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL']);

/** Null when the text is no valid number (in `region`, for numbers written without "+"). */
export function parsePhone(text: string, region: CountryCode | undefined): ParsedPhone | null {
  const parsed = parsePhoneNumberFromString(text.trim(), region ? { defaultCountry: region } : undefined);
  if (!parsed || !parsed.isValid()) return null;
  const type = parsed.getType();
  return { e164: parsed.number, country: parsed.country, smsCapable: type === undefined || !NO_SMS.has(type) };
}

const COUNTRIES: ReadonlySet<string> = new Set(getCountries());

export function isCountryCode(value: string): value is CountryCode {
  return COUNTRIES.has(value);
}

/**
 * The region a number without "+" is read in: the visitor's country when given, else the region
 * of their locale ("ru-RU"), else the country of their IANA time zone (CLDR's zones per region),
 * else the server's default. Numbers written with "+" ignore it.
 */
export function defaultRegion(v: { country?: string; locale?: string; timezone?: string }, fallback: CountryCode | null): CountryCode | undefined {
  const given = v.country?.toUpperCase();
  if (given && isCountryCode(given)) return given;
  const fromLocale = localeRegion(v.locale);
  if (fromLocale) return fromLocale;
  const fromZone = v.timezone ? zoneCountry(v.timezone) : undefined;
  // The setting is checked at start without the metadata (phone/load.ts): a region it lacks is ignored.
  return fromZone ?? (fallback !== null && isCountryCode(fallback) ? fallback : undefined);
}

function localeRegion(locale: string | undefined): CountryCode | undefined {
  if (!locale) return undefined;
  try {
    const region = new Intl.Locale(locale).region;
    return region && isCountryCode(region) ? region : undefined;
  } catch {
    return undefined;
  }
}

let zones: Map<string, CountryCode> | null = null;
/** Zone -> country, built once from Intl's zones per region (Intl.Locale getTimeZones / timeZones). */
function zoneCountry(zone: string): CountryCode | undefined {
  if (zones === null) {
    zones = new Map();
    for (const country of getCountries()) {
      const l = new Intl.Locale(`und-${country}`) as Intl.Locale & { getTimeZones?: () => string[]; timeZones?: string[] };
      for (const z of l.getTimeZones?.() ?? l.timeZones ?? []) if (!zones.has(z)) zones.set(z, country);
    }
  }
  return zones.get(zone);
}
