// Secrets that arrive in a link (a booking's manage token, a sign-in token) must not linger in
// the address bar (history, screenshots, shared URLs): they move to this tab's sessionStorage,
// so a reload still works. No cookies. Storage or history may be unavailable (a sandboxed
// frame): then the link keeps working as it was.

export function stored(key: string): string | null {
  try { return sessionStorage.getItem(key); } catch { return null; }
}

export function keep(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch { /* see above */ }
}

/** Removes query parameters from the address bar without a navigation. */
export function dropParams(...names: string[]): void {
  try {
    const url = new URL(location.href);
    if (!names.some((n) => url.searchParams.has(n))) return;
    for (const n of names) url.searchParams.delete(n);
    history.replaceState(history.state, '', url);
  } catch { /* see above */ }
}

/** Our own parameters: a booking link's, Checkout's return, the prefill (bw_*). */
const ours = (key: string) => key.startsWith('bw_') || key === 'booking' || key === 'token' || key === 'action';

/** This page's address without our parameters: where the visitor's emailed links return. */
export function pageUrl(): string | undefined {
  try {
    const url = new URL(location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    for (const key of [...url.searchParams.keys()]) if (ours(key)) url.searchParams.delete(key);
    url.hash = '';
    return url.toString();
  } catch {
    return undefined;
  }
}
