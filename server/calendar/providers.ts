// The configured providers: Google when GOOGLE_CLIENT_ID/SECRET are set, Outlook when MS_CLIENT_ID/SECRET are.
// Google's client library is loaded the first time a Google connection is used, never otherwise.
import type { Config } from '../config.ts';
import { outlookProvider } from './outlook.ts';
import type { CalendarProvider, ProviderName } from './types.ts';

export async function providerFor(config: Config, name: ProviderName): Promise<CalendarProvider | null> {
  if (name === 'google') {
    if (!config.google) return null;
    const { googleProvider } = await import('./google.ts');
    // With Meet as the video provider, connecting also asks to read the meetings' attendance.
    return googleProvider(config.google, config.videoProvider === 'google_meet');
  }
  return config.microsoft ? outlookProvider(config.microsoft, config.videoProvider === 'teams') : null;
}
