// Every link the product sends, in one module (notifications and the calendar sync both import
// it, so neither imports the other). A visitor's link returns to the booking page with the
// booking's manage token; a specialist's opens the console at that booking, after sign-in, and
// never carries the visitor's token. No link ends in a 404 (see server/http/static.ts).

export function manageUrl(publicUrl: string, bookingId: string, token: string): string {
  return `${publicUrl}/?booking=${encodeURIComponent(bookingId)}&token=${encodeURIComponent(token)}`;
}

/** The console at one booking; signing in first if needed (the console keeps where it was going). */
export function specialistUrl(publicUrl: string, bookingId: string): string {
  return consoleUrl(publicUrl, { booking: bookingId });
}

/** A manage link (visitor's or specialist's) that opens the video call's waiting room. */
export function joinUrl(manage: string): string {
  return `${manage}&action=join`;
}

/** The console page with query parameters it understands: booking, action, view, signin, calendar results. */
export function consoleUrl(publicUrl: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  const query = q.toString();
  return `${publicUrl}/console/${query ? `?${query}` : ''}`;
}
