// Every link the product sends, in one module (notifications and the calendar sync both import
// it, so neither imports the other). A visitor's link returns to a page of the site owner's with
// the booking's manage token: the page the widget was embedded in (checked against the allowed
// origins when booking), else the practice's configured booking page, else our hosted page of
// the specialist. A specialist's opens the console at that booking, after sign-in, and never
// carries the visitor's token. No link ends in a 404 (see server/http/static.ts, server/pages).

/** The page a visitor's links open: where they booked, the practice's page, or /book/<specialist>. */
export function visitorPage(
  config: { publicUrl: string; bookingPageUrl: string | null },
  booking: { return_url: string | null; specialist_slug: string },
): string {
  return booking.return_url ?? config.bookingPageUrl ?? `${config.publicUrl}/book/${encodeURIComponent(booking.specialist_slug)}`;
}

/** `page` with the booking and its manage token (the page's own query kept, any fragment dropped). */
export function manageUrl(page: string, bookingId: string, token: string): string {
  const url = new URL(page);
  for (const key of ['booking', 'token', 'action']) url.searchParams.delete(key);
  url.searchParams.set('booking', bookingId);
  url.searchParams.set('token', token);
  url.hash = '';
  return url.toString();
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
