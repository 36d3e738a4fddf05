// Where the console is: a view and, for some views, the record it shows. Pure functions between
// routes and what the address carries: the links the product sends (/console/?booking=<id>
// &action=join, ?view=calendars, ?signin=<token>) and, on the console's own page, the hash
// (#/booking/<id>) so the back button and a reload keep their place.
import type { ConsoleRole } from '../../../shared/auth.ts';

export const SPECIALIST_VIEWS = ['agenda', 'schedule', 'calendars', 'reviews', 'account'] as const;
export const OWNER_VIEWS = ['bookings', 'specialists', 'services', 'embed', 'webhooks', 'notifications', 'templates', 'payments', 'reviews', 'privacy', 'owners', 'account'] as const;
/** Views reached from another view rather than from the menu. */
const DETAIL_VIEWS = ['booking', 'schedule'] as const;

export type ConsoleView = 'sign-in' | (typeof SPECIALIST_VIEWS)[number] | (typeof OWNER_VIEWS)[number] | (typeof DETAIL_VIEWS)[number];

export interface Route {
  view: ConsoleView;
  /** The booking shown, or (owner) the specialist whose schedule is edited. */
  id?: string;
  /** Open the booking's waiting room (the join link of emails and calendar events). */
  join?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALL = new Set<string>([...SPECIALIST_VIEWS, ...OWNER_VIEWS, ...DETAIL_VIEWS]);

/** The first screen of a role. */
export function home(role: ConsoleRole): Route {
  return { view: role === 'owner' ? 'bookings' : 'agenda' };
}

/** Whether a role may open a route (the server decides what data it gets; this picks the screens). */
export function allowed(route: Route, role: ConsoleRole): boolean {
  if (route.view === 'booking') return route.id !== undefined;
  if (route.view === 'schedule') return role === 'specialist' ? route.id === undefined : route.id !== undefined;
  return (role === 'owner' ? OWNER_VIEWS : SPECIALIST_VIEWS).includes(route.view as never);
}

/** What a link into the console asks for: a route, a sign-in token, a calendar round trip's outcome. */
export interface Arrival {
  route: Route | null;
  signin: string | null;
  calendar: { provider: string; ok: boolean; error: string | null } | null;
}

export const ARRIVAL_PARAMS = ['booking', 'action', 'view', 'signin', 'calendar', 'calendarResult', 'calendarError'];

export function arrival(search: string): Arrival {
  const q = new URLSearchParams(search);
  const booking = q.get('booking');
  const view = q.get('view');
  const route: Route | null = booking && UUID.test(booking) ? { view: 'booking', id: booking.toLowerCase(), ...(q.get('action') === 'join' ? { join: true } : {}) }
    : view && ALL.has(view) && view !== 'booking' ? { view: view as ConsoleView } : null;
  const provider = q.get('calendar');
  return {
    route,
    signin: q.get('signin'),
    calendar: provider ? { provider, ok: q.get('calendarResult') === 'connected', error: q.get('calendarError') } : null,
  };
}

export function toHash(r: Route): string {
  return `#/${r.view}${r.id ? `/${encodeURIComponent(r.id)}` : ''}${r.join ? '/join' : ''}`;
}

export function fromHash(hash: string): Route | null {
  const [view, id, join] = hash.replace(/^#\/?/, '').split('/');
  if (!view || !ALL.has(view) || view === 'sign-in') return null;
  if (view === 'booking' && !(id && UUID.test(id))) return null;
  return { view: view as ConsoleView, ...(id ? { id: decodeURIComponent(id) } : {}), ...(join === 'join' ? { join: true } : {}) };
}
