// Hosted booking pages, for practices without a website of their own and for sharing a link:
// /book (every service, the visitor picks the specialist), /book/:specialist,
// /book/:specialist/:service, and the team pages /book/any[/:service] (whoever is free,
// round-robin). Each is the <booking-widget> on a page with the practice's name and theme
// (PRACTICE_NAME, BOOKING_PAGE_THEME). They are also where a visitor's emailed links land when
// the page they booked on is not known (server/links.ts): a link with ?booking= never 404s,
// even when its specialist or service has since been archived. A specialist's page shows the
// reviews the owner has published (server/reviews), rendered here and escaped like every text.
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findService, findSpecialist } from '../availability/load.ts';
import { ANY_SPECIALIST } from '../availability/routes.ts';
import type { App } from '../http/types.ts';
import { publishedReviews } from '../reviews/store.ts';
import type { PublicReviewList } from '../../shared/reviews.ts';

const Key = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

/** Text for HTML content and double-quoted attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Page {
  title: string;
  heading: string;
  subtitle: string;
  attributes: Record<string, string>;
  /** The specialist's published reviews, and the zone their dates are shown in. */
  reviews?: { list: PublicReviewList; timezone: string };
}

const stars = (rating: number) => '★'.repeat(Math.round(rating)) + '☆'.repeat(5 - Math.round(rating));

/** The published reviews: mean and count, then each with its rating, words, first name and date. Nothing when there are none. */
function renderReviews(r: Page['reviews']): string {
  if (!r || r.list.count === 0 || r.list.average === null) return '';
  const date = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: r.timezone });
  const items = r.list.reviews.map((x) => `
      <li>
        <p class="stars" role="img" aria-label="Rated ${x.rating} out of 5">${stars(x.rating)}</p>
        ${x.comment ? `<blockquote>${escapeHtml(x.comment)}</blockquote>` : ''}
        <p class="by">${escapeHtml(x.author)} · <time datetime="${escapeHtml(x.createdAt)}">${escapeHtml(date.format(new Date(x.createdAt)))}</time></p>
      </li>`).join('');
  return `
    <section class="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title">Reviews</h2>
      <p class="summary"><span class="stars" aria-hidden="true">${stars(r.list.average)}</span> <strong>${r.list.average.toFixed(1)}</strong> out of 5 · ${r.list.count === 1 ? '1 review' : `${r.list.count} reviews`}</p>
      <ul>${items}
      </ul>
    </section>`;
}

export function renderBookingPage(page: Page, theme: string, status = 200): { status: number; html: string } {
  const attrs = Object.entries({ ...page.attributes, theme })
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${escapeHtml(page.title)}</title>
  <style>
    html, body { margin: 0; background: #eef1f5; color: #1d2330; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
    ${theme === 'dark' ? 'html, body { background: #0f1216; color: #e9ecf1; }' : theme === 'auto' ? '@media (prefers-color-scheme: dark) { html, body { background: #0f1216; color: #e9ecf1; } }' : ''}
    main { max-width: 760px; margin: 0 auto; padding: 24px 16px 48px; }
    h1 { font-size: 1.5rem; margin: 0 0 4px; }
    .subtitle { margin: 0 0 20px; opacity: 0.8; }
    .reviews { margin-top: 32px; }
    .reviews h2 { font-size: 1.2rem; margin: 0 0 4px; }
    .reviews ul { list-style: none; padding: 0; margin: 12px 0 0; display: grid; gap: 12px; }
    .reviews li { border: 1px solid rgba(127, 127, 127, 0.35); border-radius: 10px; padding: 12px 14px; }
    .reviews p, .reviews blockquote { margin: 0; }
    .reviews blockquote { margin: 6px 0; white-space: pre-line; overflow-wrap: anywhere; }
    .stars { color: #a15c00; letter-spacing: 1px; }
    .by { font-size: 0.9rem; opacity: 0.8; }
    ${theme === 'dark' ? '.stars { color: #f6c177; }' : theme === 'auto' ? '@media (prefers-color-scheme: dark) { .stars { color: #f6c177; } }' : ''}
  </style>
  <script type="module" src="/widget.js"></script>
</head>
<body>
  <main>
    <h1>${escapeHtml(page.heading)}</h1>
    ${page.subtitle ? `<p class="subtitle">${escapeHtml(page.subtitle)}</p>` : ''}
    <booking-widget${attrs}></booking-widget>${renderReviews(page.reviews)}
  </main>
</body>
</html>
`;
  return { status, html };
}

export default async function bookingPages(app: App) {
  const { practiceName, theme } = app.config.bookingPages;

  const send = (reply: FastifyReply, page: Page, status = 200) => {
    const out = renderBookingPage(page, theme, status);
    return reply.status(out.status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(out.html);
  };
  /** A booking link (?booking=) opens its booking whatever became of the page's specialist or service. */
  const opensBooking = (req: FastifyRequest) => typeof (req.query as Record<string, unknown>).booking === 'string';
  const notFoundPage = (reply: FastifyReply, what: string) =>
    send(reply, { title: `${practiceName}: not found`, heading: practiceName, subtitle: `${what} is not offered here (any more). Choose from everything we offer:`, attributes: {} }, 404);

  const page = async (req: FastifyRequest, reply: FastifyReply, specialistKey: string | undefined, serviceKey: string | undefined) => {
    const team = specialistKey === ANY_SPECIALIST;
    const [specialist, service] = await Promise.all([
      specialistKey && !team ? findSpecialist(app.db, specialistKey) : null,
      serviceKey ? findService(app.db, serviceKey) : null,
    ]);
    const attributes: Record<string, string> = {};
    if (specialistKey && (team || specialist)) attributes.specialist = team ? ANY_SPECIALIST : specialist!.slug;
    if (service) attributes.service = service.slug;
    if (!opensBooking(req)) {
      if (specialistKey && !team && !specialist) return notFoundPage(reply, 'This specialist');
      if (serviceKey && !service) return notFoundPage(reply, 'This service');
    }
    const who = team ? 'Our team' : specialist?.name ?? '';
    return send(reply, {
      title: [service?.name, who, practiceName].filter(Boolean).join(' · '),
      heading: practiceName,
      subtitle: [who, specialist?.specialty].filter(Boolean).join(', '),
      attributes,
      ...(specialist ? { reviews: { list: await publishedReviews(app.db, specialist.id), timezone: specialist.timezone } } : {}),
    });
  };

  const hide = { hide: true } as const;
  app.get('/book', { schema: hide }, (req, reply) => page(req, reply, undefined, undefined));
  app.get('/book/', { schema: hide }, (req, reply) => page(req, reply, undefined, undefined));
  app.get('/book/:specialist', { schema: { ...hide, params: Type.Object({ specialist: Key }) } },
    (req, reply) => page(req, reply, req.params.specialist, undefined));
  app.get('/book/:specialist/:service', { schema: { ...hide, params: Type.Object({ specialist: Key, service: Key }) } },
    (req, reply) => page(req, reply, req.params.specialist, req.params.service));
}
