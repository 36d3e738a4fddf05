// The configured providers: Google when GOOGLE_CLIENT_ID/SECRET are set, Outlook when MS_CLIENT_ID/SECRET are.
import type { Config } from '../config.ts';
import { googleProvider } from './google.ts';
import { outlookProvider } from './outlook.ts';
import type { CalendarProvider, ProviderName } from './types.ts';

export function providerFor(config: Config, name: ProviderName): CalendarProvider | null {
  if (name === 'google') return config.google ? googleProvider(config.google) : null;
  return config.microsoft ? outlookProvider(config.microsoft) : null;
}
