// Finding a time zone from what a visitor types: an IANA name, a city ("Berlin", "los angeles")
// or a common abbreviation ("EST", "CET"), answered with the zone's canonical IANA name. The
// browser's ICU still calls some zones by their pre-2014 names (Asia/Calcutta, Europe/Kiev) and
// takes "EST" as a fixed-offset link (America/Panama, no DST); both are corrected here, with
// tables small enough for the first load (no zone database ships in the bundle).

/** ICU's legacy names -> the current IANA names (the ones Intl still reports in Chromium 156). */
const CANONICAL: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata', 'Asia/Saigon': 'Asia/Ho_Chi_Minh', 'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Katmandu': 'Asia/Kathmandu', 'Asia/Rangoon': 'Asia/Yangon', 'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk', 'Pacific/Truk': 'Pacific/Chuuk', 'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton', 'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville', 'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca', 'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy', 'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Coral_Harbour': 'America/Atikokan',
};

/**
 * What people mean by an abbreviation: the zone where it is the everyday name, summer and winter
 * forms alike (a visitor typing "EST" in July means New York's clock, not a fixed UTC-5).
 */
const ABBREVIATIONS: Record<string, string> = {
  EST: 'America/New_York', EDT: 'America/New_York', ET: 'America/New_York',
  CST: 'America/Chicago', CDT: 'America/Chicago', CT: 'America/Chicago',
  MST: 'America/Denver', MDT: 'America/Denver', MT: 'America/Denver',
  PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles', PT: 'America/Los_Angeles',
  AKST: 'America/Anchorage', AKDT: 'America/Anchorage', HST: 'Pacific/Honolulu',
  GMT: 'UTC', UTC: 'UTC', Z: 'UTC', BST: 'Europe/London', WET: 'Europe/Lisbon', WEST: 'Europe/Lisbon',
  CET: 'Europe/Berlin', CEST: 'Europe/Berlin', MEZ: 'Europe/Berlin', MESZ: 'Europe/Berlin',
  EET: 'Europe/Athens', EEST: 'Europe/Athens', MSK: 'Europe/Moscow', IST: 'Asia/Kolkata',
  PKT: 'Asia/Karachi', SGT: 'Asia/Singapore', HKT: 'Asia/Hong_Kong', JST: 'Asia/Tokyo', KST: 'Asia/Seoul',
  AWST: 'Australia/Perth', ACST: 'Australia/Adelaide', ACDT: 'Australia/Adelaide',
  AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney', NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
};

/** The current IANA name of a zone Intl knows under an older one. */
export function canonicalZone(zone: string): string {
  return CANONICAL[zone] ?? zone;
}

/** "Los Angeles" / "los_angeles" / "America/Los Angeles" -> "los_angeles" / "america/los_angeles". */
const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, '_');
/** The zone's city (last segment): "America/Argentina/Buenos_Aires" -> "buenos_aires". */
const city = (zone: string) => norm(zone.slice(zone.lastIndexOf('/') + 1));

export interface ZoneSearch {
  /** The one zone the text names, canonical; null when none or several match. */
  zone: string | null;
  /** Candidates to offer when the text is not one zone (at most 6, canonical). */
  matches: string[];
}

/**
 * Reads typed text against `zones` (the browser's list): an abbreviation, a full name, a city,
 * then the unique zone whose name contains the text. Several partial matches are offered.
 */
export function findZone(typed: string, zones: readonly string[]): ZoneSearch {
  const text = norm(typed);
  if (!text) return { zone: null, matches: [] };
  const abbr = ABBREVIATIONS[typed.trim().toUpperCase()];
  if (abbr) return { zone: abbr, matches: [] };
  const list = [...new Set(zones.map(canonicalZone))];
  const exact = list.find((z) => norm(z) === text) ?? zones.find((z) => norm(z) === text);
  if (exact) return { zone: canonicalZone(exact), matches: [] };
  const byCity = list.filter((z) => city(z) === text);
  if (byCity.length === 1) return { zone: byCity[0]!, matches: [] };
  const partial = list.filter((z) => norm(z).includes(text));
  if (partial.length === 1) return { zone: partial[0]!, matches: [] };
  return { zone: null, matches: (byCity.length ? byCity : partial).slice(0, 6) };
}
