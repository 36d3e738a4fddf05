// Which provider serves is configuration (VIDEO_PROVIDER); without its credentials, video is off.
import type { Config } from '../config.ts';
import { HttpError } from '../http/errors.ts';
import { DailyProvider } from './daily.ts';
import { LiveKitProvider } from './livekit.ts';
import type { VideoProvider } from './provider.ts';

const providers = new WeakMap<Config, VideoProvider | null>();

/**
 * The configured provider, or null when its credentials are missing. One instance per config
 * object, so the small caches inside (Daily's domain id) live as long as the app.
 */
export function videoProvider(config: Config): VideoProvider | null {
  if (providers.has(config)) return providers.get(config) ?? null;
  let provider: VideoProvider | null = null;
  if (config.videoProvider === 'livekit') {
    if (config.livekit) provider = new LiveKitProvider(config.livekit);
  } else if (config.daily) {
    provider = new DailyProvider(config.daily);
  }
  providers.set(config, provider);
  return provider;
}

export function requireVideoProvider(config: Config): VideoProvider {
  const provider = videoProvider(config);
  if (provider === null) {
    const missing = config.videoProvider === 'livekit' ? 'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET' : 'DAILY_API_KEY';
    throw new HttpError(503, 'video_not_configured', `Video calls are not set up on this server: the site owner needs to set ${missing}.`);
  }
  return provider;
}
