// The payment view's strings, in its own lazy chunk (free bookings never download them).
type Key = 'payTitle' | 'confirming' | 'confirmingHint' | 'slow' | 'checkAgain' | 'expiredTitle' | 'expiredText' | 'rebook'
  | 'cancelledTitle' | 'cancelledText' | 'time' | 'amount' | 'heldUntil' | 'pay' | 'release' | 'secure' | 'unreachable';

const en: Record<Key, string> = {
  payTitle: 'Pay to confirm your booking',
  confirming: 'Confirming your payment…',
  confirmingHint: 'This takes a few seconds. Please keep this page open.',
  slow: 'Your payment is still being confirmed. You will get an email as soon as it is; you can also check again.',
  checkAgain: 'Check again',
  expiredTitle: 'Your hold has expired',
  expiredText: 'The time was held for you for a while, but no payment arrived. Nothing was charged.',
  rebook: 'Choose a time again',
  cancelledTitle: 'Payment not completed',
  cancelledText: 'Nothing was charged. You can pay now, or release the time for someone else.',
  time: 'Time',
  amount: 'Amount',
  heldUntil: 'This time is held for you until {time}.',
  pay: 'Pay {amount}',
  release: 'Cancel booking',
  secure: 'You pay on Stripe\'s secure page; your card details never reach this site.',
  unreachable: 'We could not reach the booking service. Check your connection and try again.',
};

const de: Record<Key, string> = {
  payTitle: 'Bezahlen, um die Buchung zu bestätigen',
  confirming: 'Zahlung wird bestätigt…',
  confirmingHint: 'Das dauert nur ein paar Sekunden. Bitte lassen Sie diese Seite geöffnet.',
  slow: 'Ihre Zahlung wird noch bestätigt. Sie erhalten eine E-Mail, sobald es so weit ist; Sie können auch erneut nachsehen.',
  checkAgain: 'Erneut prüfen',
  expiredTitle: 'Ihre Reservierung ist abgelaufen',
  expiredText: 'Die Zeit war eine Weile für Sie reserviert, aber es kam keine Zahlung. Es wurde nichts berechnet.',
  rebook: 'Erneut eine Zeit wählen',
  cancelledTitle: 'Zahlung nicht abgeschlossen',
  cancelledText: 'Es wurde nichts berechnet. Sie können jetzt bezahlen oder die Zeit für andere freigeben.',
  time: 'Zeit',
  amount: 'Betrag',
  heldUntil: 'Diese Zeit ist bis {time} für Sie reserviert.',
  pay: '{amount} bezahlen',
  release: 'Buchung stornieren',
  secure: 'Sie bezahlen auf der sicheren Seite von Stripe; Ihre Kartendaten erreichen diese Website nie.',
  unreachable: 'Der Buchungsdienst ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
};

const ru: Record<Key, string> = {
  payTitle: 'Оплатите, чтобы подтвердить запись',
  confirming: 'Подтверждаем оплату…',
  confirmingHint: 'Это займёт несколько секунд. Пожалуйста, не закрывайте страницу.',
  slow: 'Оплата ещё подтверждается. Мы пришлём письмо, как только это произойдёт; можно также проверить ещё раз.',
  checkAgain: 'Проверить ещё раз',
  expiredTitle: 'Бронь истекла',
  expiredText: 'Время было забронировано за вами, но оплата не поступила. Деньги не списаны.',
  rebook: 'Выбрать время заново',
  cancelledTitle: 'Оплата не завершена',
  cancelledText: 'Деньги не списаны. Вы можете оплатить сейчас или освободить время для других.',
  time: 'Время',
  amount: 'Сумма',
  heldUntil: 'Это время забронировано за вами до {time}.',
  pay: 'Оплатить {amount}',
  release: 'Отменить запись',
  secure: 'Оплата проходит на защищённой странице Stripe; данные карты не попадают на этот сайт.',
  unreachable: 'Не удалось связаться с сервисом записи. Проверьте подключение и попробуйте снова.',
};

const TABLES = { en, de, ru };

export function pt(locale: string, key: Key, vars: Record<string, string> = {}): string {
  const lang = locale.toLowerCase().split('-')[0] as keyof typeof TABLES;
  return (TABLES[lang] ?? en)[key].replace(/\{(\w+)\}/g, (_, n: string) => vars[n] ?? '');
}
