// The call view's words for meetings held in another app (Google Meet, Microsoft Teams), in the
// call view's lazy chunk.
const APPS = { google_meet: 'Google Meet', teams: 'Microsoft Teams' } as const;

const TABLES = {
  en: { where: 'This consultation takes place in {app}. It opens in a new tab; come back here when you are done.', open: 'Open {app}' },
  de: { where: 'Diese Sitzung findet in {app} statt. Sie öffnet sich in einem neuen Tab; kommen Sie danach hierher zurück.', open: '{app} öffnen' },
  ru: { where: 'Консультация проходит в {app}. Она откроется в новой вкладке; после неё вернитесь сюда.', open: 'Открыть {app}' },
};

export function ct(locale: string, key: 'where' | 'open', provider: keyof typeof APPS): string {
  const lang = locale.toLowerCase().split('-')[0] as keyof typeof TABLES;
  return (TABLES[lang] ?? TABLES.en)[key].replace('{app}', APPS[provider]);
}
