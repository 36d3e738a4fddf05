// The console's session in this tab: the bearer token and who it belongs to, kept in
// sessionStorage (a reload stays signed in; closing the tab ends it here; no cookies, so the
// console works embedded in another site). Expired sessions are dropped on read.
import type { IssuedSession } from '../../../shared/auth.ts';
import { keep, stored } from '../address-bar.ts';

const KEY = 'booking-console:session';

export function storedSession(now: number): IssuedSession | null {
  const raw = stored(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as IssuedSession;
    if (typeof s.token === 'string' && Date.parse(s.expiresAt) > now) return s;
  } catch { /* fall through */ }
  keep(KEY, null);
  return null;
}

export function keepSession(s: IssuedSession | null): void {
  keep(KEY, s === null ? null : JSON.stringify(s));
}
