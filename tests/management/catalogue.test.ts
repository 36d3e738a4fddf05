// Specialists and services through the admin API: full records, every field, validation that
// names the field, slug conflicts, offering, and archiving that never touches history.
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashToken } from '../../server/auth/tokens.ts';
import { startTestApp, TestClock, type TestApp } from '../helpers/app.ts';
import { admin, call, createService, createSpecialist, expectFieldError, expectStatus, issueToken } from './api.ts';

let t: TestApp;
const clock = new TestClock('2026-12-01T06:00:00Z');
before(async () => { t = await startTestApp({ clock }); });
after(() => t.close());

describe('specialists', () => {
  test('create returns the full record; reads by id and slug agree', async () => {
    const created = expectStatus(await admin(t, 'POST', '/api/admin/specialists', {
      slug: 'dr-lee', name: 'Dr. Mei Lee', email: 'mei@example.com', timezone: 'europe/berlin', bio: 'Nutrition.',
    }), 201);
    assert.equal(created.timezone, 'Europe/Berlin', 'letter case corrected');
    assert.equal(created.email, 'mei@example.com');
    assert.equal(created.archivedAt, null);
    assert.deepEqual(created.services, []);
    assert.equal(created.createdAt, '2026-12-01T06:00:00.000Z', 'time from the app clock');
    assert.deepEqual(expectStatus(await admin(t, 'GET', `/api/admin/specialists/${created.id}`), 200), created);
    assert.deepEqual(expectStatus(await admin(t, 'GET', '/api/admin/specialists/dr-lee'), 200), created);
    expectStatus(await admin(t, 'GET', '/api/admin/specialists/nobody-here'), 404);
  });

  test('update changes only the given fields', async () => {
    const s = await createSpecialist(t, { bio: 'Before' });
    clock.advance(60_000);
    const updated = expectStatus(await admin(t, 'PATCH', `/api/admin/specialists/${s.id}`, { timezone: 'Asia/Kathmandu', name: 'Renamed' }), 200);
    assert.equal(updated.timezone, 'Asia/Kathmandu', 'a current name is not replaced by ICU\'s older alias');
    assert.equal(updated.name, 'Renamed');
    assert.equal(updated.bio, 'Before');
    assert.notEqual(updated.updatedAt, s.updatedAt);
  });

  test('validation names the field', async () => {
    const base = { slug: 'valid-slug', name: 'N', email: 'n@example.com', timezone: 'Europe/Paris' };
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, timezone: 'Mars/Olympus_Mons' }), 'body.timezone', 'invalid_timezone');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, timezone: '+05:00' }), 'body.timezone', 'invalid_timezone');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, email: 'not-an-email' }), 'body.email');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, slug: 'Not A Slug' }), 'body.slug');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, slug: '0e6f2b8c-7d4a-4c3e-8b1f-2a9d5e6c7b80' }), 'body.slug', 'invalid_slug');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, slug: 'any' }), 'body.slug', 'invalid_slug');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { ...base, role: 'admin' }), 'body.role');
    expectFieldError(await admin(t, 'POST', '/api/admin/specialists', { slug: 'x', name: 'N', timezone: 'UTC' }), 'body.email');
    const s = await createSpecialist(t);
    expectFieldError(await admin(t, 'PATCH', `/api/admin/specialists/${s.id}`, { timezone: 'Europe/Atlantis' }), 'body.timezone', 'invalid_timezone');
    expectStatus(await admin(t, 'PATCH', `/api/admin/specialists/${s.id}`, {}), 400);
  });

  test('a slug in use (also by an archived specialist) is 409 slug_taken, on create and on rename', async () => {
    const first = await createSpecialist(t, { slug: 'taken-slug' });
    const again = await admin(t, 'POST', '/api/admin/specialists', { slug: 'taken-slug', name: 'Other', email: 'o@example.com', timezone: 'UTC' });
    assert.equal(expectStatus(again, 409).error, 'slug_taken');
    const other = await createSpecialist(t);
    assert.equal(expectStatus(await admin(t, 'PATCH', `/api/admin/specialists/${other.id}`, { slug: 'taken-slug' }), 409).error, 'slug_taken');
    expectStatus(await admin(t, 'POST', `/api/admin/specialists/${first.id}/archive`), 200);
    assert.equal(expectStatus(await admin(t, 'POST', '/api/admin/specialists', { slug: 'taken-slug', name: 'O', email: 'o@example.com', timezone: 'UTC' }), 409).error, 'slug_taken');
  });

  test('archive hides from public lists and revokes credentials; restore brings the profile back', async () => {
    const s = await createSpecialist(t);
    const token = await issueToken(t, s.id);
    expectStatus(await call(t, 'GET', '/api/specialist/me', token), 200);
    const archived = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.slug}/archive`), 200);
    assert.equal(archived.archivedAt, new Date(clock.now()).toISOString());
    expectStatus(await call(t, 'GET', '/api/specialist/me', token), 401);
    const creds = expectStatus(await admin(t, 'GET', `/api/admin/specialists/${s.id}/credentials`), 200).credentials;
    assert.ok(creds.every((c: { revokedAt: string | null }) => c.revokedAt !== null));
    assert.equal(expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.id}/credentials`, {}), 409).error, 'specialist_archived');

    const publicList = expectStatus(await call(t, 'GET', '/api/specialists', null), 200);
    assert.ok(!publicList.some((p: { id: string }) => p.id === s.id));
    const all = expectStatus(await admin(t, 'GET', '/api/admin/specialists'), 200).specialists;
    assert.ok(all.some((p: { id: string; email: string }) => p.id === s.id && p.email === s.email), 'admin lists archived, with email');
    const only = expectStatus(await admin(t, 'GET', '/api/admin/specialists?archived=only'), 200).specialists;
    assert.ok(only.length > 0 && only.every((p: { archivedAt: string | null }) => p.archivedAt !== null));
    const active = expectStatus(await admin(t, 'GET', '/api/admin/specialists?archived=exclude'), 200).specialists;
    assert.ok(active.every((p: { archivedAt: string | null }) => p.archivedAt === null));

    const restored = expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.id}/restore`), 200);
    assert.equal(restored.archivedAt, null);
    expectStatus(await call(t, 'GET', '/api/specialist/me', token), 401);
    expectStatus(await call(t, 'GET', '/api/specialist/me', await issueToken(t, s.id)), 200);
  });
});

describe('services', () => {
  test('create with every field; omitted fields take the documented defaults', async () => {
    const full = {
      slug: 'deep-session', name: 'Deep session', description: 'Ninety minutes.', durationMin: 90, priceCents: 15000, currency: 'chf',
      bufferBeforeMin: 15, bufferAfterMin: 15, slotStepMin: 120, minNoticeMin: 1440, horizonDays: 90, maxPerDay: 2,
      requiresApproval: true, cancellationPolicy: 'strict', payment: 'none',
      intakeQuestions: [
        { id: 'goal', label: 'Goal', type: 'text', required: true },
        { id: 'format', label: 'Format', type: 'select', required: false, options: ['Video', 'In person'] },
      ],
      videoEnabled: true, recordingEnabled: true,
    };
    const s = expectStatus(await admin(t, 'POST', '/api/admin/services', full), 201);
    assert.deepEqual({ ...s, id: undefined, specialists: undefined, archivedAt: undefined, createdAt: undefined, updatedAt: undefined },
      { ...full, currency: 'CHF', id: undefined, specialists: undefined, archivedAt: undefined, createdAt: undefined, updatedAt: undefined });
    assert.deepEqual(expectStatus(await admin(t, 'GET', '/api/admin/services/deep-session'), 200), s);

    const minimal = expectStatus(await admin(t, 'POST', '/api/admin/services', { slug: 'minimal', name: 'Minimal', durationMin: 20 }), 201);
    assert.deepEqual({
      description: minimal.description, priceCents: minimal.priceCents, currency: minimal.currency, bufferBeforeMin: minimal.bufferBeforeMin,
      bufferAfterMin: minimal.bufferAfterMin, slotStepMin: minimal.slotStepMin, minNoticeMin: minimal.minNoticeMin, horizonDays: minimal.horizonDays,
      maxPerDay: minimal.maxPerDay, requiresApproval: minimal.requiresApproval, cancellationPolicy: minimal.cancellationPolicy,
      payment: minimal.payment, intakeQuestions: minimal.intakeQuestions, videoEnabled: minimal.videoEnabled, recordingEnabled: minimal.recordingEnabled,
    }, {
      description: '', priceCents: null, currency: null, bufferBeforeMin: 0, bufferAfterMin: 0, slotStepMin: 15, minNoticeMin: 120,
      horizonDays: 60, maxPerDay: null, requiresApproval: false, cancellationPolicy: 'flexible', payment: 'none', intakeQuestions: [], videoEnabled: true,
      recordingEnabled: false,
    });
    // A session shorter than the 15-minute step starts at every multiple of its own length.
    const short = expectStatus(await admin(t, 'POST', '/api/admin/services', { slug: 'quick', name: 'Quick', durationMin: 10 }), 201);
    assert.equal(short.slotStepMin, null);
    // An explicit null is the caller's choice: the duration.
    const stepped = expectStatus(await admin(t, 'POST', '/api/admin/services', { slug: 'by-duration', name: 'By duration', durationMin: 45, slotStepMin: null, minNoticeMin: 0 }), 201);
    assert.deepEqual([stepped.slotStepMin, stepped.minNoticeMin], [null, 0]);
  });

  test('validation errors name the field', async () => {
    const post = (body: Record<string, unknown>) => admin(t, 'POST', '/api/admin/services', { slug: 'v-svc', name: 'V', durationMin: 30, ...body });
    expectFieldError(await post({ durationMin: -30 }), 'body.durationMin');
    expectFieldError(await post({ durationMin: 0 }), 'body.durationMin');
    expectFieldError(await post({ durationMin: 12.5 }), 'body.durationMin');
    expectFieldError(await post({ bufferBeforeMin: -1 }), 'body.bufferBeforeMin');
    expectFieldError(await post({ bufferAfterMin: 1441 }), 'body.bufferAfterMin');
    expectFieldError(await post({ minNoticeMin: -10 }), 'body.minNoticeMin');
    expectFieldError(await post({ horizonDays: 0 }), 'body.horizonDays');
    expectFieldError(await post({ maxPerDay: 0 }), 'body.maxPerDay');
    expectFieldError(await post({ cancellationPolicy: 'lenient' }), 'body.cancellationPolicy');
    // Slot step: 5-minute multiples dividing a day, no longer than what one booking blocks.
    expectFieldError(await post({ slotStepMin: 7 }), 'body.slotStepMin', 'invalid_slot_step');
    expectFieldError(await post({ slotStepMin: 25 }), 'body.slotStepMin', 'invalid_slot_step');
    expectFieldError(await post({ slotStepMin: 35 }), 'body.slotStepMin', 'invalid_slot_step');
    expectFieldError(await post({ slotStepMin: 60 }), 'body.slotStepMin', 'invalid_slot_step');
    expectFieldError(await post({ slotStepMin: 0 }), 'body.slotStepMin');
    // Currency: a real ISO 4217 code, and only together with a price.
    expectFieldError(await post({ priceCents: 100, currency: 'XYZ' }), 'body.currency', 'invalid_currency');
    expectFieldError(await post({ priceCents: 100, currency: 'EURO' }), 'body.currency');
    expectFieldError(await post({ priceCents: 100 }), 'body.currency', 'currency_required');
    expectFieldError(await post({ currency: 'EUR' }), 'body.priceCents', 'price_required');
    expectFieldError(await post({ priceCents: -1, currency: 'EUR' }), 'body.priceCents');
    // Intake questions.
    expectFieldError(await post({ intakeQuestions: [{ id: 'a', label: 'A', type: 'text', required: true }, { id: 'a', label: 'B', type: 'text', required: false }] }),
      'body.intakeQuestions[1].id', 'duplicate_question_id');
    expectFieldError(await post({ intakeQuestions: [{ id: 'pick', label: 'Pick', type: 'select', required: true }] }), 'body.intakeQuestions[0].options', 'options_required');
    expectFieldError(await post({ intakeQuestions: [{ id: 'free', label: 'Free', type: 'text', required: true, options: ['x'] }] }), 'body.intakeQuestions[0].options', 'options_not_allowed');
    expectFieldError(await post({ intakeQuestions: [{ id: 'q', label: 'Q', type: 'radio', required: true }] }), 'body.intakeQuestions[0].type');
    // Cross-field rules.
    expectFieldError(await post({ videoEnabled: false, recordingEnabled: true }), 'body.recordingEnabled', 'recording_needs_video');
    expectFieldError(await post({ horizonDays: 1, minNoticeMin: 1440 }), 'body.minNoticeMin', 'invalid_notice');
    expectFieldError(await post({ unknownField: true }), 'body.unknownField');
    // Steps that follow the rule are accepted.
    for (const [i, body] of [{ slotStepMin: 15 }, { durationMin: 45, slotStepMin: 45 }, { durationMin: 50, bufferAfterMin: 10, slotStepMin: 60 }, { durationMin: 60, slotStepMin: 90, bufferAfterMin: 30 }].entries()) {
      expectStatus(await post({ ...body, slug: `step-ok-${i}` }), 201);
    }
  });

  test('update checks the rules on the merged service', async () => {
    const s = await createService(t, { durationMin: 60, slotStepMin: 60, priceCents: 5000, currency: 'EUR' });
    expectFieldError(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { durationMin: 30 }), 'body.slotStepMin', 'invalid_slot_step');
    expectFieldError(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { currency: null }), 'body.currency', 'currency_required');
    expectFieldError(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { priceCents: null }), 'body.priceCents', 'price_required');
    expectFieldError(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { currency: 'ABC' }), 'body.currency', 'invalid_currency');
    const free = expectStatus(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { priceCents: null, currency: null }), 200);
    assert.equal(free.priceCents, null, 'null stays null (no coercion to 0)');
    assert.equal(free.currency, null);
    const changed = expectStatus(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { durationMin: 30, slotStepMin: null, currency: 'usd', priceCents: 2500 }), 200);
    assert.deepEqual([changed.durationMin, changed.slotStepMin, changed.currency, changed.priceCents], [30, null, 'USD', 2500]);
    assert.equal(expectStatus(await admin(t, 'PATCH', `/api/admin/services/${s.id}`, { slug: 'deep-session' }), 409).error, 'slug_taken');
    expectStatus(await admin(t, 'PATCH', '/api/admin/services/no-such-service', { name: 'X' }), 404);
  });

  test('PUT /specialists chooses who offers a service', async () => {
    const s = await createService(t);
    const a = await createSpecialist(t);
    const b = await createSpecialist(t);
    const both = expectStatus(await admin(t, 'PUT', `/api/admin/services/${s.slug}/specialists`, { specialistIds: [a.id, b.id] }), 200);
    assert.deepEqual([...both.specialists].sort(), [a.id, b.id].sort());
    assert.ok(expectStatus(await admin(t, 'GET', `/api/admin/specialists/${a.id}`), 200).services.includes(s.id));
    const onlyB = expectStatus(await admin(t, 'PUT', `/api/admin/services/${s.id}/specialists`, { specialistIds: [b.id] }), 200);
    assert.deepEqual(onlyB.specialists, [b.id]);
    const publicService = expectStatus(await call(t, 'GET', '/api/services', null), 200).find((p: { id: string }) => p.id === s.id);
    assert.deepEqual(publicService.specialists, [b.id]);

    expectFieldError(await admin(t, 'PUT', `/api/admin/services/${s.id}/specialists`, { specialistIds: [b.id, '00000000-0000-4000-8000-000000000000'] }),
      'body.specialistIds[1]', 'unknown_specialist');
    expectFieldError(await admin(t, 'PUT', `/api/admin/services/${s.id}/specialists`, { specialistIds: ['nope'] }), 'body.specialistIds[0]');
    // An archived specialist already offering it may stay; one not offering it cannot be added.
    expectStatus(await admin(t, 'POST', `/api/admin/specialists/${b.id}/archive`), 200);
    expectFieldError(await admin(t, 'PUT', `/api/admin/services/${s.id}/specialists`, { specialistIds: [b.id, (await createArchived()).id] }),
      'body.specialistIds[1]', 'specialist_archived');
    expectStatus(await admin(t, 'PUT', `/api/admin/services/${s.id}/specialists`, { specialistIds: [b.id, a.id] }), 200);
    const cleared = expectStatus(await admin(t, 'PUT', `/api/admin/services/${s.id}/specialists`, { specialistIds: [] }), 200);
    assert.deepEqual(cleared.specialists, []);
  });

  async function createArchived() {
    const s = await createSpecialist(t);
    return expectStatus(await admin(t, 'POST', `/api/admin/specialists/${s.id}/archive`), 200);
  }
});

describe('archiving keeps history', () => {
  test('bookings of an archived service and specialist stay intact with their terms', async () => {
    const specialist = await createSpecialist(t);
    const service = await createService(t, { durationMin: 45, priceCents: 7000, currency: 'EUR', cancellationPolicy: 'moderate' });
    expectStatus(await admin(t, 'PUT', `/api/admin/services/${service.id}/specialists`, { specialistIds: [specialist.id] }), 200);
    const terms = {
      name: service.name, durationMin: 45, priceCents: 7000, currency: 'EUR', cancellationPolicy: 'moderate' as const,
      bufferBeforeMin: 0, bufferAfterMin: 0, videoEnabled: true,
    };
    const booking = await t.database.db.insertInto('bookings').values({
      specialist_id: specialist.id, service_id: service.id, status: 'confirmed',
      starts_at: '2026-12-10T09:00:00Z', ends_at: '2026-12-10T09:45:00Z', blocked_from: '2026-12-10T09:00:00Z', blocked_until: '2026-12-10T09:45:00Z',
      visitor_name: 'Visitor', visitor_email: 'visitor@example.com', visitor_timezone: 'Europe/Berlin',
      service_terms: JSON.stringify(terms), manage_token_hash: hashToken(randomBytes(24).toString('base64url')),
    }).returningAll().executeTakeFirstOrThrow();

    expectStatus(await admin(t, 'PATCH', `/api/admin/services/${service.id}`, { priceCents: 9900, durationMin: 60, name: 'Renamed' }), 200);
    const archivedService = expectStatus(await admin(t, 'POST', `/api/admin/services/${service.id}/archive`), 200);
    assert.notEqual(archivedService.archivedAt, null);
    expectStatus(await admin(t, 'POST', `/api/admin/specialists/${specialist.id}/archive`), 200);

    const after = await t.database.db.selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow();
    assert.deepEqual(after, booking, 'the booking row is unchanged');
    assert.deepEqual(after.service_terms, terms);
    assert.ok(await t.database.db.selectFrom('services').select('id').where('id', '=', service.id).executeTakeFirst(), 'the service row stays');
    assert.ok(await t.database.db.selectFrom('specialist_services').select('service_id').where('service_id', '=', service.id).executeTakeFirst(), 'the offering stays');
    // Still readable by the admin, gone from the public catalogue.
    expectStatus(await admin(t, 'GET', `/api/admin/services/${service.id}`), 200);
    const publicServices = expectStatus(await call(t, 'GET', '/api/services', null), 200);
    assert.ok(!publicServices.some((p: { id: string }) => p.id === service.id));
    const restored = expectStatus(await admin(t, 'POST', `/api/admin/services/${service.id}/restore`), 200);
    assert.equal(restored.archivedAt, null);
  });
});
