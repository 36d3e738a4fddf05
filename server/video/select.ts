// Which provider serves is configuration (VIDEO_PROVIDER); without its credentials, video is off.
// Each provider's module (LiveKit's SDK) is loaded the first time it is needed, never when unused.
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import type { VideoProvider } from './provider.ts';

const providers = new WeakMap<Config, Promise<VideoProvider | null>>();

async function load(config: Config): Promise<VideoProvider | null> {
  if (config.videoProvider === 'google_meet' || config.videoProvider === 'teams') {
    // The meeting comes with the calendar event: without that calendar there is no meeting.
    if (config.videoProvider === 'google_meet' ? !config.google : !config.microsoft) return null;
    const { ConferenceProvider } = await import('./conference.ts');
    return new ConferenceProvider(config.videoProvider);
  }
  if (config.videoProvider === 'livekit') {
    if (!config.livekit) return null;
    const { LiveKitProvider } = await import('./livekit.ts');
    return new LiveKitProvider(config.livekit);
  }
  if (!config.daily) return null;
  const { DailyProvider } = await import('./daily.ts');
  return new DailyProvider(config.daily);
}

/**
 * The configured provider, or null when its credentials are missing. One instance per config
 * object, so the small caches inside (Daily's domain id) live as long as the app.
 */
export function videoProvider(config: Config): Promise<VideoProvider | null> {
  let provider = providers.get(config);
  if (provider === undefined) {
    provider = load(config);
    providers.set(config, provider);
  }
  return provider;
}

export async function requireVideoProvider(config: Config): Promise<VideoProvider> {
  const provider = await videoProvider(config);
  if (provider === null) {
    const missing = { livekit: 'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET', daily: 'DAILY_API_KEY', google_meet: 'GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (Meet comes with Google Calendar)', teams: 'MS_CLIENT_ID and MS_CLIENT_SECRET (Teams comes with Outlook)' }[config.videoProvider];
    throw new HttpError(503, 'video_not_configured', `Video calls are not set up on this server: the site owner needs to set ${missing}.`);
  }
  return provider;
}
