// Helpers for the widget's browser tests: axe-core over an element's shadow tree, and a fake
// of the public API answering fetch from in-test data.
import type * as Axe from 'axe-core';
// axe's script build registers itself as window.axe when loaded as a module.
import 'axe-core/axe.min.js';
import { loadMessages } from './i18n.ts';

// The German and Russian strings load on demand in the widget; the view tests use them directly.
await Promise.all([loadMessages('de'), loadMessages('ru')]);

/** Runs axe over the element (its shadow root included) and fails with each violation named. */
export async function expectAccessible(el: Element): Promise<void> {
  const axe = (globalThis as unknown as { axe: typeof Axe }).axe;
  const result = await axe.run(el, { resultTypes: ['violations'] });
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  if (problems.length) throw new Error(`axe found ${problems.length} problem(s):\n${problems.join('\n')}`);
}

export interface FakeCall { method: string; path: string; search: URLSearchParams; body: unknown; headers: Headers; cache: RequestCache | undefined }
type Handler = (call: FakeCall) => { status?: number; body: unknown; headers?: Record<string, string> } | 'network-error';

/**
 * Replaces fetch with routes answered in the test ("GET /api/services" -> handler). Every call is
 * recorded; an unrouted request answers 404 so a test notices it. Returns a restore function.
 */
export function fakeApi(routes: Record<string, Handler>): { calls: FakeCall[]; restore(): void } {
  const original = globalThis.fetch;
  const calls: FakeCall[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), location.href);
    const method = (init.method ?? 'GET').toUpperCase();
    const call: FakeCall = {
      method, path: url.pathname, search: url.searchParams, headers: new Headers(init.headers), cache: init.cache,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const key = Object.keys(routes).find((k) => {
      const [m, pattern] = k.split(' ');
      return m === method && new RegExp(`^${pattern}$`).test(url.pathname);
    });
    const result = key ? routes[key](call) : { status: 404, body: { error: 'not_found', message: 'no route' } };
    if (result === 'network-error') throw new TypeError('Failed to fetch');
    // A 204 has no body at all (the Response constructor refuses one).
    const body = result.status === 204 ? null : JSON.stringify(result.body);
    return new Response(body, { status: result.status ?? 200, headers: { 'content-type': 'application/json', ...result.headers } });
  };
  return { calls, restore: () => { globalThis.fetch = original; } };
}

// Fixture data shaped like the public API's answers.
export const SPECIALIST = {
  id: '11111111-1111-4111-8111-111111111111', slug: 'dr-weber', name: 'Dr. Anna Weber', bio: 'Psychologist',
  timezone: 'Europe/Berlin', services: ['22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'],
};

export const CONSULTATION = {
  id: '22222222-2222-4222-8222-222222222222', slug: 'consultation', name: 'Video consultation', description: 'A 50-minute session.',
  durationMin: 50, priceCents: 9000, currency: 'EUR', minNoticeMin: 120, horizonDays: 60, requiresApproval: false,
  cancellationPolicy: 'moderate', videoEnabled: true, specialists: [SPECIALIST.id],
  intakeQuestions: [
    { id: 'topic', label: 'What would you like to talk about?', type: 'textarea', required: true },
    { id: 'first_visit', label: 'Is this your first session?', type: 'select', required: true, options: ['Yes', 'No'] },
    { id: 'consent', label: 'I agree to the terms', type: 'checkbox', required: true },
  ],
} as const;

export const INTRO = {
  ...CONSULTATION, id: '33333333-3333-4333-8333-333333333333', slug: 'intro-call', name: 'Intro call', description: 'Free 30 minutes.',
  durationMin: 30, priceCents: null, currency: null, horizonDays: 45, cancellationPolicy: 'flexible', intakeQuestions: [],
} as const;

/** Slots at 09:00 and 10:00 UTC on the given dates. */
export function slotsFor(dates: string[], timezone = 'UTC') {
  return {
    timezone,
    days: dates.map((date) => ({
      date,
      slots: [9, 10].map((h) => ({ start: `${date}T${String(h).padStart(2, '0')}:00:00.000Z`, end: `${date}T${String(h).padStart(2, '0')}:50:00.000Z` })),
    })),
  };
}

export function bookingView(start: string, status: 'pending' | 'confirmed' | 'cancelled' | 'in_progress' | 'no_show' = 'confirmed') {
  return {
    id: '44444444-4444-4444-8444-444444444444', status, start, end: new Date(Date.parse(start) + 50 * 60_000).toISOString(),
    specialist: { id: SPECIALIST.id, slug: SPECIALIST.slug, name: SPECIALIST.name, timezone: SPECIALIST.timezone },
    service: { id: CONSULTATION.id, slug: CONSULTATION.slug, name: CONSULTATION.name, durationMin: 50, videoEnabled: true, cancellationPolicy: 'moderate', priceCents: 9000, currency: 'EUR' },
    visitor: { name: 'Ada Lovelace', email: 'ada@example.com', timezone: 'UTC', phone: null },
    times: {
      specialist: { timezone: SPECIALIST.timezone, start: '', end: '' },
      visitor: { timezone: 'UTC', start: '', end: '' },
    },
    answers: {},
    actions: status === 'pending' || status === 'confirmed' ? ['cancel', 'reschedule'] : [],
    refundPreview: status === 'pending' || status === 'confirmed' ? { percent: 50, cents: 4500, currency: 'EUR' } : null,
    cancellation: null as null | { at: string; by: 'visitor'; reason: null; refund: { percent: number; cents: number | null; currency: string | null } },
    moves: [],
    summary: '',
    recording: { offered: false, consent: null, status: 'none' },
    createdAt: '2026-11-20T10:00:00.000Z',
  };
}
