// Interface strings in English, German and Russian (the latter two loaded on demand). Dates, times, zones and prices are never in
// these tables: they are formatted by Intl for the active locale (see time.ts).
const en = {
  chooseService: 'Choose a service',
  minutes: '{n} min',
  free: 'Free',
  chooseDate: 'Choose a date',
  previousMonth: 'Previous month',
  nextMonth: 'Next month',
  available: 'times available',
  unavailable: 'no times',
  chooseTime: 'Choose a time',
  noSlots: 'No free times on this day. Please pick another date.',
  noSlotsMonth: 'No free times this month.',
  timezone: 'Time zone',
  timezoneHint: 'Type to search, e.g. Berlin',
  invalidZone: 'Unknown time zone. Pick one from the list.',
  back: 'Back',
  yourDetails: 'Your details',
  name: 'Name',
  email: 'Email',
  phone: 'Phone (optional)',
  required: 'This field is required.',
  invalidEmail: 'Enter an email address like name@example.com.',
  invalidPhone: 'Enter a phone number, digits with an optional leading +.',
  book: 'Book',
  booking: 'Booking…',
  loading: 'Loading…',
  retry: 'Try again',
  networkError: 'We could not reach the booking service. Check your connection and try again.',
  slotTaken: 'Sorry, that time was just taken. Here are the times still free.',
  slotUnavailable: 'That time is no longer available. Please choose another.',
  genericError: 'Something went wrong: {message}',
  confirmed: 'You are booked',
  pending: 'Request sent: the specialist will confirm it',
  withSpecialist: 'with {name}',
  yourTime: 'Your time',
  specialistTime: 'Specialist\'s time',
  addToCalendar: 'Add to calendar',
  downloadIcs: 'Download .ics',
  googleCalendar: 'Google Calendar',
  manageLink: 'Manage link (keep it: it lets you cancel or reschedule)',
  copyLink: 'Copy link',
  copied: 'Copied',
  manage: 'Manage booking',
  manageTitle: 'Your booking',
  status_pending: 'Awaiting confirmation',
  status_confirmed: 'Confirmed',
  status_in_progress: 'In progress',
  status_completed: 'Completed',
  status_cancelled: 'Cancelled',
  status_no_show: 'Missed',
  cancel: 'Cancel booking',
  cancelConfirm: 'Yes, cancel it',
  keep: 'Keep booking',
  refundFull: 'Cancelling now gives a full refund.',
  refundHalf: 'Cancelling now gives a 50% refund.',
  refundNone: 'Cancelling now gives no refund.',
  refundAmount: 'Refund: {amount}',
  cancelled: 'Your booking is cancelled.',
  reschedule: 'Reschedule',
  rescheduleTitle: 'Choose a new time',
  rescheduleTo: 'Move to {time}',
  rescheduled: 'Your booking was moved.',
  waitingRoom: 'Waiting room',
  goToWaitingRoom: 'Go to the waiting room',
  startsIn: 'Starts in {time}',
  startedAgo: 'Started {time} ago',
  enterRoom: 'Enter room',
  enterHint: 'The room opens {n} minutes before the start.',
  joining: 'Joining…',
  videoNotConfigured: 'Video calls are not set up on this server.',
  callEndedError: 'This consultation has ended.',
  leave: 'Leave call',
  callTitle: 'Consultation with {name}',
  permissionsDenied: 'Your browser blocked the camera or microphone. Allow them for this site (the camera icon in the address bar), then rejoin.',
  deviceMissing: 'No camera or microphone was found. Connect one, or continue with audio or video off.',
  rejoin: 'Rejoin',
  endedTitle: 'Consultation ended',
  endedSummary: 'Your {service} with {name} on {time}.',
  duration: 'Time in the call: {time}',
  bookAnother: 'Book another time',
  notFound: 'This booking was not found. Check the link from your email.',
  checkbox_yes: 'Yes',
  selectPlaceholder: 'Choose…',
  selected: 'selected',
  status: 'Status',
  linkByEmail: 'Your manage link is on its way by email.',
  pickDateFirst: 'Choose a day with free times to see them here.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

type Language = 'en' | 'de' | 'ru';

/** English ships in widget.js; German and Russian are chunks fetched when first needed. */
const TABLES: Partial<Record<Language, Messages>> = { en };
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<{ default: Messages }>> = {
  de: () => import('./locales/de.ts'),
  ru: () => import('./locales/ru.ts'),
};

/** The supported language for a BCP 47 tag ("de-AT" -> de), English otherwise. */
export function language(locale: string): Language {
  const lang = locale.toLowerCase().split('-')[0];
  return lang === 'de' || lang === 'ru' ? lang : 'en';
}

/** Whether the strings for `locale` are at hand (English always is). */
export function hasMessages(locale: string): boolean {
  return TABLES[language(locale)] !== undefined;
}

/** Fetches the strings for `locale` once; until they arrive, t() answers in English. */
export async function loadMessages(locale: string): Promise<void> {
  const lang = language(locale);
  if (lang === 'en' || TABLES[lang]) return;
  // Unreachable chunk (offline, blocked): carry on in English rather than show nothing.
  TABLES[lang] = await LOADERS[lang]().then((m) => m.default, () => en);
}

/** A localized string with `{name}` placeholders filled in. */
export function t(locale: string, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = (TABLES[language(locale)] ?? en)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
