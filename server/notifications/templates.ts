// Message texts: plain text, HTML and SMS for every kind, in English, German and Russian. Pure:
// everything, including the zones and the links, comes in the view. Every value that came from a
// user (names, service names, reasons) is HTML-escaped in the HTML part.

export type Locale = 'en' | 'de' | 'ru';

export interface MessageView {
  kind: string;
  locale: Locale;
  serviceName: string;
  /** The other party's name (the specialist for the visitor and vice versa). */
  otherName: string;
  /**
   * The recipient's own name, for the greeting; null greets without one. Mail to visitors never
   * opens with a name: whoever booked typed it, so it could be anything (an advert, a phishing line).
   */
  recipientName: string | null;
  start: number;
  end: number;
  recipientZone: string;
  otherZone: string;
  previous: { start: number; end: number } | null;
  manageUrl: string | null;
  joinUrl: string | null;
  cancelReason: string | null;
  /** Money that moved through Stripe: what was paid, and what a cancellation refunds. */
  paid?: { cents: number; currency: string } | null;
  refund?: { cents: number; currency: string; percent: number } | null;
  /** The one-time code of a verification message. */
  code?: string;
  /** The summary the specialist shared (visitor.summary only). */
  summary?: string | null;
  /** The visitor's intake answers (the specialist's messages only), question label and answer. */
  answers?: { label: string; value: string | boolean }[];
  /** How long before the start a reminder goes out (specialist.reminder). */
  minutesBefore?: number;
  /** The single-use review link (visitor.review_request). */
  reviewUrl?: string | null;
  /** The link is the console's (the specialist's messages): labelled as such, not as "manage". */
  consoleLink?: boolean;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export function pickLocale(value: string | null | undefined): Locale {
  const base = (value ?? '').toLowerCase().split(/[-_]/)[0];
  return base === 'de' || base === 'ru' ? base : 'en';
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', de: 'de-DE', ru: 'ru-RU' };

/** "Tuesday, 1 December 2026, 11:00 CET" in the given zone, followed by the zone's IANA name. */
export function formatInstant(ms: number, zone: string, locale: Locale): string {
  return `${formatter(locale, zone).format(ms)} (${zone})`;
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per locale and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, zone: string): Intl.DateTimeFormat {
  const key = `${locale} ${zone}`;
  let f = formatters.get(key);
  if (!f) {
    if (formatters.size > 2000) formatters.clear();
    f = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      timeZone: zone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
      hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

type Strings = {
  greeting: (name: string | null) => string;
  yourTime: string;
  theirTime: string;
  previousTime: string;
  manage: string;
  join: string;
  reason: string;
  paid: string;
  refund: string;
  openConsole: string;
  review: string;
  answersTitle: string;
  yes: string;
  no: string;
  subjects: Record<string, (v: MessageView) => string>;
  bodies: Record<string, (v: MessageView) => string>;
};

const EN: Strings = {
  greeting: (n) => (n === null ? 'Hello,' : `Hello ${n},`),
  yourTime: 'Your time',
  theirTime: 'Their time',
  previousTime: 'Previously',
  manage: 'Manage your booking (cancel or reschedule)',
  join: 'Join the video call',
  reason: 'Reason',
  paid: 'Paid',
  refund: 'Refund (to your card within 5–10 days)',
  openConsole: 'Open in the console',
  review: 'Write a review',
  answersTitle: 'Answers',
  yes: 'yes',
  no: 'no',
  subjects: {
    'specialist.reminder': (v) => `In ${duration(v.minutesBefore ?? 0, 'en')}: ${v.otherName}, ${v.serviceName}`,
    'visitor.confirmation': (v) => `Confirmed: ${v.serviceName} with ${v.otherName}`,
    'visitor.request_received': (v) => `Request received: ${v.serviceName} with ${v.otherName}`,
    'visitor.declined': (v) => `Not available: ${v.serviceName} with ${v.otherName}`,
    'visitor.request_expired': (v) => `Request expired: ${v.serviceName} with ${v.otherName}`,
    'specialist.request_expired': (v) => `Request expired unanswered: ${v.otherName}, ${v.serviceName}`,
    'visitor.verification_code': () => 'Your verification code',
    'visitor.cancellation': (v) => `Cancelled: ${v.serviceName} with ${v.otherName}`,
    'visitor.reschedule': (v) => `Moved: ${v.serviceName} with ${v.otherName}`,
    'visitor.reminder_24h': (v) => `Tomorrow: ${v.serviceName} with ${v.otherName}`,
    'visitor.reminder_1h': (v) => `In one hour: ${v.serviceName} with ${v.otherName}`,
    'visitor.reminder_15m': (v) => `Starting in 15 minutes: ${v.serviceName} with ${v.otherName}`,
    'visitor.review_request': (v) => `How was your ${v.serviceName}?`,
    'visitor.summary': (v) => `Summary of your ${v.serviceName} with ${v.otherName}`,
    'specialist.new_booking': (v) => `New booking: ${v.otherName}, ${v.serviceName}`,
    'specialist.approval_request': (v) => `Approval needed: ${v.otherName}, ${v.serviceName}`,
    'specialist.cancellation': (v) => `Cancelled: ${v.otherName}, ${v.serviceName}`,
    'specialist.reschedule': (v) => `Moved: ${v.otherName}, ${v.serviceName}`,
    'visitor.hold_expired': (v) => `Not booked: ${v.serviceName} with ${v.otherName}`,
    'visitor.late_payment_refunded': (v) => `Refunded: ${v.serviceName} with ${v.otherName}`,
    'visitor.specialist_absent': (v) => `${v.otherName} did not join your ${v.serviceName}`,
    'specialist.absent': (v) => `Missed: ${v.serviceName} with ${v.otherName}`,
  },
  bodies: {
    'specialist.reminder': (v) => `A reminder: your ${v.serviceName} with ${v.otherName} starts in ${duration(v.minutesBefore ?? 0, 'en')}.`,
    'visitor.confirmation': (v) => `Your ${v.serviceName} with ${v.otherName} is confirmed.`,
    'visitor.request_received': (v) => `We received your request for ${v.serviceName} with ${v.otherName}. You will hear from us once it is approved.`,
    'visitor.declined': (v) => `Unfortunately ${v.otherName} cannot take your ${v.serviceName} at this time.`,
    'visitor.request_expired': (v) => `Your request for ${v.serviceName} with ${v.otherName} was not answered in time and has expired; the time is free again. You are welcome to book another time.`,
    'specialist.request_expired': (v) => `The request of ${v.otherName} for ${v.serviceName} was not answered in time and has expired; the time is free again.`,
    'visitor.verification_code': (v) => `Your code to confirm this email address: ${v.code}. It is valid for 10 minutes. If you did not ask for it, ignore this message.`,
    'visitor.cancellation': (v) => `Your ${v.serviceName} with ${v.otherName} has been cancelled.`,
    'visitor.reschedule': (v) => `Your ${v.serviceName} with ${v.otherName} has moved to a new time.`,
    'visitor.reminder_24h': (v) => `A reminder: your ${v.serviceName} with ${v.otherName} is tomorrow.`,
    'visitor.reminder_1h': (v) => `A reminder: your ${v.serviceName} with ${v.otherName} starts in one hour.`,
    'visitor.reminder_15m': (v) => `Your ${v.serviceName} with ${v.otherName} starts in 15 minutes.`,
    'visitor.review_request': (v) => `Thank you for your ${v.serviceName} with ${v.otherName}. We would appreciate a short review.`,
    'visitor.summary': (v) => `${v.otherName} shared a summary of your ${v.serviceName}:`,
    'specialist.new_booking': (v) => `${v.otherName} booked ${v.serviceName}.`,
    'specialist.approval_request': (v) => `${v.otherName} requested ${v.serviceName}. Please approve or decline it.`,
    'specialist.cancellation': (v) => `${v.otherName} cancelled ${v.serviceName}.`,
    'specialist.reschedule': (v) => `${v.otherName}'s ${v.serviceName} has moved to a new time.`,
    'visitor.hold_expired': (v) => `We held this time for your ${v.serviceName} with ${v.otherName}, but no payment arrived in time, so it was not booked and nothing was charged. You are welcome to book again.`,
    'visitor.late_payment_refunded': (v) => `Your payment for ${v.serviceName} with ${v.otherName} arrived after the time was no longer held for you, and the time is no longer available. We have refunded the full amount.`,
    'visitor.specialist_absent': (v) => `You were in the call for your ${v.serviceName}, but ${v.otherName} did not join. We are sorry. The session counts as missed by the specialist${v.refund ? ', and we have refunded the full amount' : ''}. You are welcome to book a new time.`,
    'specialist.absent': (v) => `${v.otherName} was in the call for ${v.serviceName}, but you did not join. The session is recorded as missed by you${v.refund ? ', and the visitor has been refunded in full' : ''}.`,
  },
};

const DE: Strings = {
  greeting: (n) => (n === null ? 'Guten Tag,' : `Hallo ${n},`),
  yourTime: 'Ihre Zeit',
  theirTime: 'Zeit des Gegenübers',
  previousTime: 'Bisher',
  manage: 'Buchung verwalten (stornieren oder verschieben)',
  join: 'Am Videoanruf teilnehmen',
  reason: 'Grund',
  paid: 'Bezahlt',
  refund: 'Erstattung (auf Ihre Karte in 5–10 Tagen)',
  openConsole: 'In der Konsole öffnen',
  review: 'Bewertung schreiben',
  answersTitle: 'Antworten',
  yes: 'ja',
  no: 'nein',
  subjects: {
    'specialist.reminder': (v) => `In ${duration(v.minutesBefore ?? 0, 'de')}: ${v.otherName}, ${v.serviceName}`,
    'visitor.confirmation': (v) => `Bestätigt: ${v.serviceName} mit ${v.otherName}`,
    'visitor.request_received': (v) => `Anfrage erhalten: ${v.serviceName} mit ${v.otherName}`,
    'visitor.declined': (v) => `Nicht möglich: ${v.serviceName} mit ${v.otherName}`,
    'visitor.request_expired': (v) => `Anfrage abgelaufen: ${v.serviceName} mit ${v.otherName}`,
    'specialist.request_expired': (v) => `Anfrage unbeantwortet abgelaufen: ${v.otherName}, ${v.serviceName}`,
    'visitor.verification_code': () => 'Ihr Bestätigungscode',
    'visitor.cancellation': (v) => `Storniert: ${v.serviceName} mit ${v.otherName}`,
    'visitor.reschedule': (v) => `Verschoben: ${v.serviceName} mit ${v.otherName}`,
    'visitor.reminder_24h': (v) => `Morgen: ${v.serviceName} mit ${v.otherName}`,
    'visitor.reminder_1h': (v) => `In einer Stunde: ${v.serviceName} mit ${v.otherName}`,
    'visitor.reminder_15m': (v) => `Beginnt in 15 Minuten: ${v.serviceName} mit ${v.otherName}`,
    'visitor.review_request': (v) => `Wie war Ihr Termin „${v.serviceName}“?`,
    'visitor.summary': (v) => `Zusammenfassung: ${v.serviceName} mit ${v.otherName}`,
    'specialist.new_booking': (v) => `Neue Buchung: ${v.otherName}, ${v.serviceName}`,
    'specialist.approval_request': (v) => `Freigabe nötig: ${v.otherName}, ${v.serviceName}`,
    'specialist.cancellation': (v) => `Storniert: ${v.otherName}, ${v.serviceName}`,
    'specialist.reschedule': (v) => `Verschoben: ${v.otherName}, ${v.serviceName}`,
    'visitor.hold_expired': (v) => `Nicht gebucht: ${v.serviceName} mit ${v.otherName}`,
    'visitor.late_payment_refunded': (v) => `Erstattet: ${v.serviceName} mit ${v.otherName}`,
    'visitor.specialist_absent': (v) => `${v.otherName} ist nicht zu „${v.serviceName}“ gekommen`,
    'specialist.absent': (v) => `Verpasst: „${v.serviceName}“ mit ${v.otherName}`,
  },
  bodies: {
    'specialist.reminder': (v) => `Zur Erinnerung: Ihr Termin „${v.serviceName}“ mit ${v.otherName} beginnt in ${duration(v.minutesBefore ?? 0, 'de')}.`,
    'visitor.confirmation': (v) => `Ihr Termin „${v.serviceName}“ mit ${v.otherName} ist bestätigt.`,
    'visitor.request_received': (v) => `Wir haben Ihre Anfrage für „${v.serviceName}“ mit ${v.otherName} erhalten. Sie hören von uns, sobald sie bestätigt ist.`,
    'visitor.declined': (v) => `Leider kann ${v.otherName} Ihren Termin „${v.serviceName}“ nicht wahrnehmen.`,
    'visitor.request_expired': (v) => `Ihre Anfrage für „${v.serviceName}“ mit ${v.otherName} wurde nicht rechtzeitig beantwortet und ist abgelaufen; die Zeit ist wieder frei. Gern können Sie einen anderen Termin buchen.`,
    'specialist.request_expired': (v) => `Die Anfrage von ${v.otherName} für „${v.serviceName}“ wurde nicht rechtzeitig beantwortet und ist abgelaufen; die Zeit ist wieder frei.`,
    'visitor.verification_code': (v) => `Ihr Code zur Bestätigung dieser E-Mail-Adresse: ${v.code}. Er gilt 10 Minuten. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.`,
    'visitor.cancellation': (v) => `Ihr Termin „${v.serviceName}“ mit ${v.otherName} wurde storniert.`,
    'visitor.reschedule': (v) => `Ihr Termin „${v.serviceName}“ mit ${v.otherName} wurde verschoben.`,
    'visitor.reminder_24h': (v) => `Zur Erinnerung: Ihr Termin „${v.serviceName}“ mit ${v.otherName} ist morgen.`,
    'visitor.reminder_1h': (v) => `Zur Erinnerung: Ihr Termin „${v.serviceName}“ mit ${v.otherName} beginnt in einer Stunde.`,
    'visitor.reminder_15m': (v) => `Ihr Termin „${v.serviceName}“ mit ${v.otherName} beginnt in 15 Minuten.`,
    'visitor.review_request': (v) => `Vielen Dank für Ihren Termin „${v.serviceName}“ mit ${v.otherName}. Über eine kurze Bewertung freuen wir uns.`,
    'visitor.summary': (v) => `${v.otherName} hat eine Zusammenfassung Ihres Termins „${v.serviceName}“ geteilt:`,
    'specialist.new_booking': (v) => `${v.otherName} hat „${v.serviceName}“ gebucht.`,
    'specialist.approval_request': (v) => `${v.otherName} hat „${v.serviceName}“ angefragt. Bitte bestätigen oder ablehnen.`,
    'specialist.cancellation': (v) => `${v.otherName} hat „${v.serviceName}“ storniert.`,
    'specialist.reschedule': (v) => `Der Termin „${v.serviceName}“ von ${v.otherName} wurde verschoben.`,
    'visitor.hold_expired': (v) => `Wir haben diese Zeit für „${v.serviceName}“ mit ${v.otherName} reserviert, aber die Zahlung kam nicht rechtzeitig. Der Termin wurde nicht gebucht, es wurde nichts berechnet. Sie können gern erneut buchen.`,
    'visitor.late_payment_refunded': (v) => `Ihre Zahlung für „${v.serviceName}“ mit ${v.otherName} kam erst nach Ablauf der Reservierung an, und die Zeit ist nicht mehr frei. Wir haben den vollen Betrag erstattet.`,
    'visitor.specialist_absent': (v) => `Sie waren im Videoanruf für „${v.serviceName}“, aber ${v.otherName} ist nicht dazugekommen. Das tut uns leid. Der Termin gilt als von der Fachperson versäumt${v.refund ? ', wir haben den vollen Betrag erstattet' : ''}. Sie können gern einen neuen Termin buchen.`,
    'specialist.absent': (v) => `${v.otherName} war im Videoanruf für „${v.serviceName}“, aber Sie sind nicht dazugekommen. Der Termin gilt als von Ihnen versäumt${v.refund ? '; der volle Betrag wurde erstattet' : ''}.`,
  },
};

const RU: Strings = {
  greeting: (n) => (n === null ? 'Здравствуйте!' : `Здравствуйте, ${n}!`),
  yourTime: 'Ваше время',
  theirTime: 'Время собеседника',
  previousTime: 'Ранее',
  manage: 'Управление записью (отмена или перенос)',
  join: 'Подключиться к видеозвонку',
  reason: 'Причина',
  paid: 'Оплачено',
  refund: 'Возврат (на карту в течение 5–10 дней)',
  openConsole: 'Открыть в консоли',
  review: 'Оставить отзыв',
  answersTitle: 'Ответы',
  yes: 'да',
  no: 'нет',
  subjects: {
    'specialist.reminder': (v) => `Через ${duration(v.minutesBefore ?? 0, 'ru')}: ${v.otherName}, ${v.serviceName}`,
    'visitor.confirmation': (v) => `Подтверждено: ${v.serviceName}, ${v.otherName}`,
    'visitor.request_received': (v) => `Заявка получена: ${v.serviceName}, ${v.otherName}`,
    'visitor.declined': (v) => `Запись отклонена: ${v.serviceName}, ${v.otherName}`,
    'visitor.request_expired': (v) => `Заявка истекла: ${v.serviceName}, ${v.otherName}`,
    'specialist.request_expired': (v) => `Заявка истекла без ответа: ${v.otherName}, ${v.serviceName}`,
    'visitor.verification_code': () => 'Ваш код подтверждения',
    'visitor.cancellation': (v) => `Отменено: ${v.serviceName}, ${v.otherName}`,
    'visitor.reschedule': (v) => `Перенесено: ${v.serviceName}, ${v.otherName}`,
    'visitor.reminder_24h': (v) => `Завтра: ${v.serviceName}, ${v.otherName}`,
    'visitor.reminder_1h': (v) => `Через час: ${v.serviceName}, ${v.otherName}`,
    'visitor.reminder_15m': (v) => `Через 15 минут: ${v.serviceName}, ${v.otherName}`,
    'visitor.review_request': (v) => `Как прошла встреча «${v.serviceName}»?`,
    'visitor.summary': (v) => `Итоги встречи «${v.serviceName}», ${v.otherName}`,
    'specialist.new_booking': (v) => `Новая запись: ${v.otherName}, ${v.serviceName}`,
    'specialist.approval_request': (v) => `Требуется подтверждение: ${v.otherName}, ${v.serviceName}`,
    'specialist.cancellation': (v) => `Отменено: ${v.otherName}, ${v.serviceName}`,
    'specialist.reschedule': (v) => `Перенесено: ${v.otherName}, ${v.serviceName}`,
    'visitor.hold_expired': (v) => `Не забронировано: ${v.serviceName}, ${v.otherName}`,
    'visitor.late_payment_refunded': (v) => `Возврат: ${v.serviceName}, ${v.otherName}`,
    'visitor.specialist_absent': (v) => `${v.otherName} не пришёл(ла) на «${v.serviceName}»`,
    'specialist.absent': (v) => `Пропущено: «${v.serviceName}» с ${v.otherName}`,
  },
  bodies: {
    'specialist.reminder': (v) => `Напоминаем: через ${duration(v.minutesBefore ?? 0, 'ru')} начнётся «${v.serviceName}» с клиентом ${v.otherName}.`,
    'visitor.confirmation': (v) => `Ваша запись «${v.serviceName}» к специалисту ${v.otherName} подтверждена.`,
    'visitor.request_received': (v) => `Мы получили вашу заявку «${v.serviceName}» к специалисту ${v.otherName}. Мы сообщим, когда она будет подтверждена.`,
    'visitor.declined': (v) => `К сожалению, ${v.otherName} не может принять вас на «${v.serviceName}» в это время.`,
    'visitor.request_expired': (v) => `Ваша заявка «${v.serviceName}» к специалисту ${v.otherName} не была рассмотрена вовремя и истекла; время снова свободно. Вы можете записаться на другое время.`,
    'specialist.request_expired': (v) => `Заявка ${v.otherName} на «${v.serviceName}» не была рассмотрена вовремя и истекла; время снова свободно.`,
    'visitor.verification_code': (v) => `Ваш код для подтверждения этого адреса: ${v.code}. Он действует 10 минут. Если вы его не запрашивали, просто проигнорируйте письмо.`,
    'visitor.cancellation': (v) => `Ваша запись «${v.serviceName}» к специалисту ${v.otherName} отменена.`,
    'visitor.reschedule': (v) => `Ваша запись «${v.serviceName}» к специалисту ${v.otherName} перенесена.`,
    'visitor.reminder_24h': (v) => `Напоминаем: завтра у вас «${v.serviceName}» со специалистом ${v.otherName}.`,
    'visitor.reminder_1h': (v) => `Напоминаем: через час начнётся «${v.serviceName}» со специалистом ${v.otherName}.`,
    'visitor.reminder_15m': (v) => `Через 15 минут начнётся «${v.serviceName}» со специалистом ${v.otherName}.`,
    'visitor.review_request': (v) => `Спасибо за встречу «${v.serviceName}» со специалистом ${v.otherName}. Будем благодарны за короткий отзыв.`,
    'visitor.summary': (v) => `${v.otherName} поделился(-ась) итогами встречи «${v.serviceName}»:`,
    'specialist.new_booking': (v) => `${v.otherName} записался(-ась) на «${v.serviceName}».`,
    'specialist.approval_request': (v) => `${v.otherName} просит записать на «${v.serviceName}». Подтвердите или отклоните заявку.`,
    'specialist.cancellation': (v) => `${v.otherName} отменил(а) «${v.serviceName}».`,
    'specialist.reschedule': (v) => `Запись ${v.otherName} на «${v.serviceName}» перенесена.`,
    'visitor.hold_expired': (v) => `Мы удерживали это время для «${v.serviceName}» со специалистом ${v.otherName}, но оплата не поступила вовремя. Запись не создана, деньги не списаны. Вы можете записаться снова.`,
    'visitor.late_payment_refunded': (v) => `Ваша оплата «${v.serviceName}» со специалистом ${v.otherName} поступила после окончания брони, а время уже занято. Мы вернули всю сумму.`,
    'visitor.specialist_absent': (v) => `Вы были в видеозвонке «${v.serviceName}», но ${v.otherName} не подключился(лась). Приносим извинения. Встреча считается пропущенной специалистом${v.refund ? ', мы вернули всю сумму' : ''}. Вы можете записаться на другое время.`,
    'specialist.absent': (v) => `${v.otherName} ждал(а) в видеозвонке «${v.serviceName}», но вы не подключились. Сессия отмечена как пропущенная вами${v.refund ? '; клиенту возвращена вся сумма' : ''}.`,
  },
};

const STRINGS: Record<Locale, Strings> = { en: EN, de: DE, ru: RU };

interface Line { label: string; value: string }

/** The time lines: the recipient's zone first, the other party's when it differs. */
function timeLines(v: MessageView, s: Strings): Line[] {
  const range = (start: number, zone: string) => formatInstant(start, zone, v.locale);
  const lines: Line[] = [{ label: s.yourTime, value: range(v.start, v.recipientZone) }];
  if (v.otherZone !== v.recipientZone) lines.push({ label: s.theirTime, value: range(v.start, v.otherZone) });
  if (v.previous) lines.push({ label: s.previousTime, value: range(v.previous.start, v.recipientZone) });
  if (v.cancelReason) lines.push({ label: s.reason, value: v.cancelReason });
  if (v.paid) lines.push({ label: s.paid, value: formatMoney(v.paid.cents, v.paid.currency, v.locale) });
  if (v.refund) lines.push({ label: s.refund, value: `${formatMoney(v.refund.cents, v.refund.currency, v.locale)} (${v.refund.percent}%)` });
  return lines;
}

/** "1 hour", "10 minutes", "1 Stunde 30 Minuten", "10 минут" (Intl's unit formatting). */
export function duration(minutes: number, locale: Locale): string {
  const unit = (value: number, u: 'hour' | 'minute') =>
    new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'unit', unit: u, unitDisplay: 'long' }).format(value);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h > 0 ? unit(h, 'hour') : '', m > 0 || h === 0 ? unit(m, 'minute') : ''].filter(Boolean).join(' ');
}

/** An amount in the currency's minor unit, e.g. 4500 EUR -> "€45.00" (en) or "45,00 €" (de). */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const f = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** The kinds every locale has texts for (the kinds an owner may reword). */
export const MESSAGE_KINDS: readonly string[] = Object.keys(EN.subjects);

/**
 * `override`: the owner's subject and/or opening paragraph for this kind and locale, already
 * substituted (custom-templates.ts); everything else stays built-in.
 */
export function renderMessage(v: MessageView, override?: { subject?: string | null; body?: string | null }): RenderedMessage {
  const s = STRINGS[v.locale];
  const subjectOf = s.subjects[v.kind];
  const builtInBody = s.bodies[v.kind];
  if (!subjectOf || !builtInBody) throw new Error(`no template for notification kind "${v.kind}"`);
  const subject = override?.subject || subjectOf(v);
  const body = override?.body ? () => override.body! : builtInBody;
  // A verification code is about the address, not a booking: no times, no links.
  const lines = v.kind === 'visitor.verification_code' ? [] : timeLines(v, s);
  const links: Line[] = [];
  if (v.reviewUrl) links.push({ label: s.review, value: v.reviewUrl });
  if (v.joinUrl) links.push({ label: s.join, value: v.joinUrl });
  if (v.manageUrl) links.push({ label: v.consoleLink ? s.openConsole : s.manage, value: v.manageUrl });
  const answers = (v.answers ?? []).map((a) => ({ label: a.label, value: typeof a.value === 'boolean' ? (a.value ? s.yes : s.no) : a.value }));

  const summary = v.summary ? [v.summary.trim(), ''] : [];
  const text = [
    s.greeting(v.recipientName), '', body(v), '', ...summary,
    ...lines.map((l) => `${l.label}: ${l.value}`), '',
    ...(answers.length > 0 ? [`${s.answersTitle}:`, ...answers.map((a) => `- ${a.label}: ${a.value}`), ''] : []),
    ...links.map((l) => `${l.label}: ${l.value}`),
  ].join('\n').trimEnd() + '\n';

  const e = escapeHtml;
  const html = [
    `<!doctype html><html lang="${v.locale}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a">',
    `<p>${e(s.greeting(v.recipientName))}</p>`,
    `<p>${e(body(v))}</p>`,
    ...(v.summary ? [`<blockquote style="white-space:pre-wrap;margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc">${e(v.summary.trim())}</blockquote>`] : []),
    '<table role="presentation">',
    ...lines.map((l) => `<tr><th align="left" style="padding-right:1em">${e(l.label)}</th><td>${e(l.value)}</td></tr>`),
    '</table>',
    ...(answers.length > 0 ? [`<h3 style="font-size:1em">${e(s.answersTitle)}</h3>`, '<table role="presentation">',
      ...answers.map((a) => `<tr><th align="left" style="padding-right:1em;vertical-align:top">${e(a.label)}</th><td style="white-space:pre-wrap">${e(a.value)}</td></tr>`), '</table>'] : []),
    ...links.map((l) => `<p><a href="${e(l.value)}">${e(l.label)}</a></p>`),
    '</body></html>',
  ].join('\n');

  // SMS: one short line with the recipient's time and the most useful link.
  const link = v.joinUrl ?? v.reviewUrl ?? v.manageUrl;
  const sms = `${subject} — ${formatInstant(v.start, v.recipientZone, v.locale)}${link ? ` ${link}` : ''}`;
  return { subject, text, html, sms };
}
