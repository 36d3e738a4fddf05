// The widget's interface strings in English, German and Russian (the latter two loaded on demand,
// see catalog.ts). Dates, times, zones and prices are never in these tables: Intl formats them.
import { catalog, language } from './catalog.ts';

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
  payAndBook: 'Continue to payment',
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
  copied: 'Copied',
  manage: 'Manage booking',
  cancel: 'Cancel booking',
  cancelConfirm: 'Yes, cancel it',
  cancelled: 'Your booking is cancelled.',
  reschedule: 'Reschedule',
  rescheduleTitle: 'Choose a new time',
  rescheduleTo: 'Move to {time}',
  rescheduled: 'Your booking was moved.',
  enterHint: 'The room opens {n} minutes before the start.',
  videoNotConfigured: 'Video calls are not set up on this server.',
  callEndedError: 'This consultation has ended.',
  duration: 'Time in the call: {time}',
  notFound: 'This booking was not found. Check the link from your email.',
  checkbox_yes: 'Yes',
  selectPlaceholder: 'Choose…',
  selected: 'selected',
  status: 'Status',
  pickDateFirst: 'Choose a day with free times to see them here.',
  serviceUnavailable: 'The booking service is unavailable for a moment. Please try again shortly.',
  pageNotFound: 'This booking page is not set up correctly: {message}',
  zoneMatches: 'Did you mean:',
  chooseSpecialist: 'Choose a specialist',
  anySpecialist: 'Any available specialist',
  anySpecialistHint: 'See every free time; we assign whoever is free then.',
  noSpecialists: 'Nobody offers this service at the moment.',
  noServices: 'No services can be booked here yet.',
  anyoneFree: 'whoever is free',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

/** English ships in widget.js; German and Russian are chunks fetched when first needed. */
const messages = catalog<MessageKey>(en, {
  de: () => import('./locales/de.ts'),
  ru: () => import('./locales/ru.ts'),
});

export { language };
export const hasMessages = messages.has;
export const loadMessages = messages.load;
export const t = messages.t;
