// Messages about a console account rather than a booking (the outbox rows without booking_id):
// a sign-in link, an invitation, a calendar connection that stopped working. Texts in English,
// German and Russian; every value from a user is HTML-escaped. Pure: links come in the view.
import { escapeHtml, pickLocale, type Locale, type RenderedMessage } from './templates.ts';

export const ACCOUNT_KINDS = ['account.sign_in', 'account.invite', 'specialist.calendar_broken'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountView {
  kind: AccountKind;
  locale: Locale;
  name: string;
  /** The sign-in link, or the console page to act on (calendars). */
  url: string;
  expiresInMin: number;
  /** Calendar provider and what it said. */
  provider?: string;
  reason?: string;
}

type Texts = {
  greeting: (name: string) => string;
  subject: Record<AccountKind, (v: AccountView) => string>;
  body: Record<AccountKind, (v: AccountView) => string[]>;
  action: Record<AccountKind, string>;
};

const providerName = (p: string | undefined) => (p === 'outlook' ? 'Outlook' : 'Google');
const duration = (min: number, unit: { h: string; min: string }) => (min >= 120 ? `${Math.round(min / 60)} ${unit.h}` : `${min} ${unit.min}`);

const EN: Texts = {
  greeting: (n) => (n ? `Hello ${n},` : 'Hello,'),
  subject: {
    'account.sign_in': () => 'Your sign-in link for the booking console',
    'account.invite': () => 'You are invited to the booking console',
    'specialist.calendar_broken': (v) => `Your ${providerName(v.provider)} calendar connection stopped working`,
  },
  body: {
    'account.sign_in': (v) => [`Use the link below to sign in. It works once, within ${duration(v.expiresInMin, { h: 'hours', min: 'minutes' })}.`,
      'If you did not ask for it, ignore this email: nobody can sign in without it.'],
    'account.invite': (v) => ['You now have an account in the booking console: your bookings, your hours and your calendars in one place.',
      `The link below signs you in once, within ${duration(v.expiresInMin, { h: 'hours', min: 'minutes' })}; afterwards ask for a new one on the sign-in page.`],
    'specialist.calendar_broken': (v) => [`We can no longer read or write your ${providerName(v.provider)} calendar${v.reason ? ` (${v.reason})` : ''}.`,
      'Until you connect it again, your free times use the busy time we fetched last, and new bookings are not written into it.'],
  },
  action: { 'account.sign_in': 'Sign in', 'account.invite': 'Sign in for the first time', 'specialist.calendar_broken': 'Reconnect the calendar' },
};

const DE: Texts = {
  greeting: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
  subject: {
    'account.sign_in': () => 'Ihr Anmeldelink für die Buchungskonsole',
    'account.invite': () => 'Einladung zur Buchungskonsole',
    'specialist.calendar_broken': (v) => `Die Verbindung zu Ihrem ${providerName(v.provider)}-Kalender funktioniert nicht mehr`,
  },
  body: {
    'account.sign_in': (v) => [`Mit dem Link unten melden Sie sich an. Er gilt einmal und ${duration(v.expiresInMin, { h: 'Stunden', min: 'Minuten' })} lang.`,
      'Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Link kann sich niemand anmelden.'],
    'account.invite': (v) => ['Sie haben jetzt ein Konto in der Buchungskonsole: Ihre Termine, Ihre Zeiten und Ihre Kalender an einem Ort.',
      `Der Link unten meldet Sie einmal an und gilt ${duration(v.expiresInMin, { h: 'Stunden', min: 'Minuten' })}; danach fordern Sie auf der Anmeldeseite einen neuen an.`],
    'specialist.calendar_broken': (v) => [`Wir können Ihren ${providerName(v.provider)}-Kalender nicht mehr lesen oder beschreiben${v.reason ? ` (${v.reason})` : ''}.`,
      'Bis Sie ihn neu verbinden, gelten für Ihre freien Zeiten die zuletzt abgerufenen Termine, und neue Buchungen werden nicht eingetragen.'],
  },
  action: { 'account.sign_in': 'Anmelden', 'account.invite': 'Zum ersten Mal anmelden', 'specialist.calendar_broken': 'Kalender neu verbinden' },
};

const RU: Texts = {
  greeting: (n) => (n ? `Здравствуйте, ${n}!` : 'Здравствуйте!'),
  subject: {
    'account.sign_in': () => 'Ссылка для входа в консоль записей',
    'account.invite': () => 'Приглашение в консоль записей',
    'specialist.calendar_broken': (v) => `Подключение к календарю ${providerName(v.provider)} перестало работать`,
  },
  body: {
    'account.sign_in': (v) => [`Войдите по ссылке ниже. Она действует один раз в течение ${duration(v.expiresInMin, { h: 'ч.', min: 'мин.' })}`,
      'Если вы не запрашивали вход, просто проигнорируйте письмо: без ссылки войти нельзя.'],
    'account.invite': (v) => ['Для вас создана учётная запись в консоли записей: записи, рабочие часы и календари в одном месте.',
      `Ссылка ниже действует один раз в течение ${duration(v.expiresInMin, { h: 'ч.', min: 'мин.' })}; потом запросите новую на странице входа.`],
    'specialist.calendar_broken': (v) => [`Мы больше не можем читать и записывать ваш календарь ${providerName(v.provider)}${v.reason ? ` (${v.reason})` : ''}.`,
      'Пока вы не подключите его снова, свободное время считается по последним полученным данным, а новые записи в него не попадают.'],
  },
  action: { 'account.sign_in': 'Войти', 'account.invite': 'Войти впервые', 'specialist.calendar_broken': 'Подключить календарь снова' },
};

const TEXTS: Record<Locale, Texts> = { en: EN, de: DE, ru: RU };

export function isAccountKind(kind: string): kind is AccountKind {
  return (ACCOUNT_KINDS as readonly string[]).includes(kind);
}

export function renderAccountMessage(v: AccountView): Omit<RenderedMessage, 'sms'> {
  const s = TEXTS[v.locale];
  const subject = s.subject[v.kind](v);
  const body = s.body[v.kind](v);
  const text = [s.greeting(v.name), '', ...body, '', `${s.action[v.kind]}: ${v.url}`].join('\n') + '\n';
  const e = escapeHtml;
  const html = [
    `<!doctype html><html lang="${v.locale}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a">',
    `<p>${e(s.greeting(v.name))}</p>`,
    ...body.map((p) => `<p>${e(p)}</p>`),
    `<p><a href="${e(v.url)}">${e(s.action[v.kind])}</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export { pickLocale };
