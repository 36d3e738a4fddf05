// The phone module without its weight: libphonenumber's metadata costs about 19 MB resident, so
// it is imported on the first request that needs it (a booking), never at start-up; a server
// that only sits idle never pays it.
import type { CountryCode } from 'libphonenumber-js/max';

export type PhoneModule = typeof import('./number.ts');

let loading: Promise<PhoneModule> | null = null;
export function loadPhone(): Promise<PhoneModule> {
  loading ??= import('./number.ts');
  return loading;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** An ISO 3166 country code as Intl knows it (for settings checked at start, without the metadata). */
export function isCountryCodeShape(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value) && regions.of(value) !== undefined;
}
