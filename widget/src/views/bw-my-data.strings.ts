// Strings of the visitor's own data view (a lazy chunk: only visitors who open it load them).
import { language } from '../catalog.ts';

type Key = 'title' | 'intro' | 'sendCode' | 'codeSent' | 'code' | 'codeHint' | 'verify' | 'wrongCode' | 'history' | 'noHistory'
  | 'download' | 'downloaded' | 'erase' | 'eraseWarn' | 'eraseUnderstood' | 'eraseConfirm' | 'erased' | 'unreachable';

const en: Record<Key, string> = {
  title: 'Your consultations and data',
  intro: 'To see every consultation under {email}, download your data or erase it, prove the address is yours: we email you a code.',
  sendCode: 'Email me a code',
  codeSent: 'If {email} has bookings here, a 6-digit code is on its way. It is valid for 10 minutes.',
  code: 'Code from the email',
  codeHint: 'Six digits.',
  verify: 'Show my data',
  wrongCode: 'This code is not valid. Check the email or ask for a new code.',
  history: 'Your consultations',
  noHistory: 'No consultations under this address.',
  download: 'Download my data',
  downloaded: 'Your data is downloaded as a JSON file.',
  erase: 'Erase my data',
  eraseWarn: 'Upcoming bookings are cancelled (what you paid is refunded in full), and your name, address, answers and summaries are removed from every booking. This cannot be undone.',
  eraseUnderstood: 'I understand that this cannot be undone',
  eraseConfirm: 'Erase everything about me',
  erased: 'Done: {n} bookings anonymised, {cancelled} upcoming ones cancelled.',
  unreachable: 'We could not reach the booking service. Check your connection and try again.',
};

const de: Record<Key, string> = {
  title: 'Ihre Termine und Daten',
  intro: 'Um alle Termine unter {email} zu sehen, Ihre Daten herunterzuladen oder zu löschen, bestätigen Sie, dass die Adresse Ihnen gehört: Wir senden Ihnen einen Code.',
  sendCode: 'Code per E-Mail senden',
  codeSent: 'Wenn {email} hier Buchungen hat, ist ein 6-stelliger Code unterwegs. Er gilt 10 Minuten.',
  code: 'Code aus der E-Mail',
  codeHint: 'Sechs Ziffern.',
  verify: 'Meine Daten zeigen',
  wrongCode: 'Dieser Code ist ungültig. Prüfen Sie die E-Mail oder fordern Sie einen neuen Code an.',
  history: 'Ihre Termine',
  noHistory: 'Unter dieser Adresse gibt es keine Termine.',
  download: 'Meine Daten herunterladen',
  downloaded: 'Ihre Daten sind als JSON-Datei heruntergeladen.',
  erase: 'Meine Daten löschen',
  eraseWarn: 'Kommende Buchungen werden storniert (Bezahltes wird voll erstattet), und Name, Adresse, Antworten und Zusammenfassungen werden aus allen Buchungen entfernt. Das lässt sich nicht rückgängig machen.',
  eraseUnderstood: 'Mir ist klar, dass sich das nicht rückgängig machen lässt',
  eraseConfirm: 'Alles über mich löschen',
  erased: 'Erledigt: {n} Buchungen anonymisiert, {cancelled} kommende storniert.',
  unreachable: 'Der Buchungsdienst ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
};

const ru: Record<Key, string> = {
  title: 'Ваши консультации и данные',
  intro: 'Чтобы увидеть все консультации для {email}, скачать или удалить свои данные, подтвердите, что адрес ваш: мы пришлём код.',
  sendCode: 'Прислать код',
  codeSent: 'Если у {email} есть бронирования, код из 6 цифр уже в пути. Он действует 10 минут.',
  code: 'Код из письма',
  codeHint: 'Шесть цифр.',
  verify: 'Показать мои данные',
  wrongCode: 'Код неверен. Проверьте письмо или запросите новый код.',
  history: 'Ваши консультации',
  noHistory: 'Для этого адреса консультаций нет.',
  download: 'Скачать мои данные',
  downloaded: 'Ваши данные скачаны файлом JSON.',
  erase: 'Удалить мои данные',
  eraseWarn: 'Предстоящие бронирования будут отменены (оплаченное вернётся полностью), а имя, адрес, ответы и итоги удалены из всех бронирований. Это нельзя отменить.',
  eraseUnderstood: 'Я понимаю, что это нельзя отменить',
  eraseConfirm: 'Удалить всё обо мне',
  erased: 'Готово: обезличено бронирований — {n}, отменено предстоящих — {cancelled}.',
  unreachable: 'Не удалось связаться с сервисом бронирования. Проверьте подключение и попробуйте снова.',
};

const TABLES = { en, de, ru };

export function mt(locale: string, key: Key, vars: Record<string, string | number> = {}): string {
  return TABLES[language(locale)][key].replace(/\{(\w+)\}/g, (_, n: string) => String(vars[n] ?? ''));
}
