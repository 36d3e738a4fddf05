// Reviews: the page behind the review link (GET shows the form, POST stores it), the same as JSON
// for API clients, the lists for the owner and the specialist, publishing, and the published
// reviews of a specialist for the hosted booking page.
import { Type } from 'typebox';
import { requireAdmin, requireSpecialist } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { findSpecialist } from '../availability/load.ts';
import { PublicReviewList, ReviewInput, ReviewList } from '../../shared/reviews.ts';
import { Uuid } from '../../shared/schemas.ts';
import { reviewForm, reviewMessage } from './page.ts';
import { validReviewSignature } from './link.ts';
import { listReviews, publishedReviews, setPublished, submitReview } from './store.ts';

const Params = Type.Object({ id: Uuid });
const Html = Type.String({ description: 'An HTML page' });

export default async function reviewRoutes(app: App) {
  const limited = writeLimit(app.config.rateLimit.writesPerMinute);
  // The page's form posts application/x-www-form-urlencoded (this plugin's routes only).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
    const form = new URLSearchParams(String(body));
    const rating = Number(form.get('rating'));
    done(null, { sig: form.get('sig') ?? '', rating: Number.isInteger(rating) ? rating : 0, comment: form.get('comment') ?? '' });
  });

  const bookingFor = (id: string) => app.db.selectFrom('bookings as b').innerJoin('specialists as s', 's.id', 'b.specialist_id')
    .select(['b.visitor_locale', 'b.service_terms', 's.name']).where('b.id', '=', id).executeTakeFirst();

  const RESULTS = ['thanks', 'already_reviewed', 'not_reviewable', 'review_link_expired', 'invalid'] as const;
  type Result = (typeof RESULTS)[number];

  // Every answer is a page (no link we send ends in an error page): an invalid link says so.
  app.get('/review/:id', {
    schema: {
      tags: ['reviews'], summary: 'The review form behind the link in the review request (HTML)',
      description: 'After a POST, `result` says what happened (the page shows it instead of the form).',
      params: Params,
      querystring: Type.Object({ sig: Type.String({ maxLength: 100 }), result: Type.Optional(Type.Union(RESULTS.map((r) => Type.Literal(r)))) }),
      produces: ['text/html'], response: { 200: Html, ...errorResponses(400) },
    },
  }, async (req, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const b = validReviewSignature(app.config.secretKey, req.params.id, req.query.sig) ? await bookingFor(req.params.id) : undefined;
    if (!b) return reviewMessage('en', 'invalid');
    if (req.query.result) return reviewMessage(b.visitor_locale, req.query.result);
    const existing = await app.db.selectFrom('reviews').select('id').where('booking_id', '=', req.params.id).executeTakeFirst();
    if (existing) return reviewMessage(b.visitor_locale, 'already_reviewed');
    return reviewForm({ locale: b.visitor_locale, serviceName: b.service_terms.name, specialistName: b.name, action: `/review/${req.params.id}`, sig: req.query.sig });
  });

  app.post('/review/:id', {
    config: limited,
    schema: {
      tags: ['reviews'], summary: 'Store the review from the form, then show the result page (303 to GET /review/{id})',
      description: 'The form posts application/x-www-form-urlencoded (sig, rating 1-5, comment); JSON works too.',
      params: Params, body: ReviewInput, response: { 303: Type.Null(), ...errorResponses(400, 429) },
    },
  }, async (req, reply) => {
    let result: Result = 'thanks';
    try {
      await submitReview(app.db, app.config.secretKey, req.params.id, req.body, app.clock.now());
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      result = err.statusCode === 404 ? 'invalid' : (RESULTS as readonly string[]).includes(err.code) ? err.code as Result : 'invalid';
    }
    return reply.redirect(`/review/${encodeURIComponent(req.params.id)}?sig=${encodeURIComponent(req.body.sig)}&result=${result}`, 303);
  });

  app.post('/api/bookings/:id/review', {
    config: limited,
    schema: {
      tags: ['reviews'], summary: 'Review a session with the signature of its review link (single-use)',
      params: Params, body: ReviewInput,
      response: { 201: Type.Object({ id: Uuid }), ...errorResponses(400, 404, 409, 410, 429) },
    },
  }, async (req, reply) => reply.status(201).send({ id: await submitReview(app.db, app.config.secretKey, req.params.id, req.body, app.clock.now()) }));

  app.get('/api/admin/reviews', {
    schema: { tags: ['admin: reviews'], security: [{ admin: [] }], summary: 'Every review, newest first', response: { 200: ReviewList, ...errorResponses(401) } },
  }, async (req) => { await requireAdmin(req); return { reviews: await listReviews(app.db, {}) }; });

  app.patch('/api/admin/reviews/:id', {
    schema: {
      tags: ['admin: reviews'], security: [{ admin: [] }], summary: 'Publish a review on the hosted booking page, or withdraw it',
      params: Params, body: Type.Object({ published: Type.Boolean() }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorResponses(401, 404) },
    },
  }, async (req, reply) => {
    await requireAdmin(req);
    await setPublished(app.db, req.params.id, req.body.published);
    return reply.status(204).send(null);
  });

  app.get('/api/specialist/reviews', {
    schema: { tags: ['specialist'], security: [{ specialist: [] }], summary: 'The calling specialist\'s reviews', response: { 200: ReviewList, ...errorResponses(401) } },
  }, async (req) => ({ reviews: await listReviews(app.db, { specialistId: await requireSpecialist(req) }) }));

  app.get('/api/specialists/:id/reviews', {
    schema: {
      tags: ['reviews'], summary: 'A specialist\'s published reviews (for the booking page)',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: PublicReviewList, ...errorResponses(404) },
    },
  }, async (req) => {
    const s = await findSpecialist(app.db, req.params.id);
    if (!s) throw new HttpError(404, 'not_found', 'Specialist not found');
    return publishedReviews(app.db, s.id);
  });
}
