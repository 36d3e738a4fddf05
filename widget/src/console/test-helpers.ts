// Fixtures of the console's component tests: sessions of both roles, an API client pointed at
// the in-test fake (../test-helpers.ts answers fetch), and records shaped like the API's.
import { ConsoleApi } from './api.ts';
import { loadMessages } from './i18n.ts';
import { bookingView, SPECIALIST, CONSULTATION } from '../test-helpers.ts';
import type { SessionInfo } from '../../../shared/auth.ts';

export { expectAccessible, fakeApi, bookingView, type FakeCall } from '../test-helpers.ts';

await Promise.all([loadMessages('de'), loadMessages('ru')]);

export const API = 'http://api.test';

export const SPECIALIST_SESSION: SessionInfo = {
  id: '55555555-5555-4555-8555-555555555555', role: 'specialist', method: 'link',
  createdAt: '2026-12-01T07:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z',
  specialist: { id: SPECIALIST.id, slug: SPECIALIST.slug, name: SPECIALIST.name, email: 'anna@practice.test', timezone: 'Europe/Berlin' },
  owner: null,
};

export const OWNER_SESSION: SessionInfo = {
  ...SPECIALIST_SESSION, id: '66666666-6666-4666-8666-666666666666', role: 'owner', method: 'admin_token', specialist: null,
  owner: { id: null, name: '', email: '' },
};

export function consoleApi(token = 'bcs_test-session-token-0123456789'): ConsoleApi {
  return new ConsoleApi(API, token);
}

export const ADMIN_SPECIALIST = {
  id: SPECIALIST.id, slug: SPECIALIST.slug, name: SPECIALIST.name, email: 'anna@practice.test', timezone: 'Europe/Berlin',
  bio: '', specialty: 'Psychologist', services: [CONSULTATION.id], hostReminderMinutes: null as number[] | null, archivedAt: null, createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z',
};

export const ADMIN_SERVICE = {
  ...CONSULTATION, intakeQuestions: [...CONSULTATION.intakeQuestions], bufferBeforeMin: 0, bufferAfterMin: 10, slotStepMin: 60, maxPerDay: null,
  recordingEnabled: false, archivedAt: null, createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z',
  specialists: [SPECIALIST.id],
};

/** Waits until `el`'s shadow root holds `selector`. */
export async function inside<T extends Element = HTMLElement>(el: Element, selector: string, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = el.shadowRoot?.querySelector<T>(selector);
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${selector}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export { bookingView as booking };
