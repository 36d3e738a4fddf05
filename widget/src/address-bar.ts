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
