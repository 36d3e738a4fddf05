// The review page a review request links to: server-rendered, no script, a plain form that posts
// back to the same address (so it works in any mail client's browser and adds nothing to the
// widget's bundle). Pure: strings in, HTML out; everything interpolated is escaped.
import { escapeHtml as e, pickLocale, type Locale } from '../notifications/templates.ts';

type Key = 'title' | 'intro' | 'rating' | 'comment' | 'send' | 'stars' | Outcome;
export type Outcome = 'thanks' | 'already_reviewed' | 'not_reviewable' | 'review_link_expired' | 'invalid';
const T: Record<Locale, Record<Key, string>> = {
  en: {
    title: 'Your review', intro: 'How was your {service} with {name}?', rating: 'Rating', comment: 'Comment (optional)', send: 'Send review', stars: 'stars',
    thanks: 'Thank you for your review.', already_reviewed: 'This session has already been reviewed. Thank you!',
    not_reviewable: 'This session cannot be reviewed.', review_link_expired: 'Reviews are taken up to 30 days after the session.', invalid: 'This review link is not valid.',
  },
  de: {
    title: 'Ihre Bewertung', intro: 'Wie war Ihr Termin „{service}“ mit {name}?', rating: 'Bewertung', comment: 'Kommentar (optional)', send: 'Bewertung senden', stars: 'Sterne',
    thanks: 'Vielen Dank für Ihre Bewertung.', already_reviewed: 'Dieser Termin wurde bereits bewertet. Vielen Dank!',
    not_reviewable: 'Dieser Termin kann nicht bewertet werden.', review_link_expired: 'Bewertungen sind bis 30 Tage nach dem Termin möglich.', invalid: 'Dieser Bewertungslink ist ungültig.',
  },
  ru: {
    title: 'Ваш отзыв', intro: 'Как прошла встреча «{service}» со специалистом {name}?', rating: 'Оценка', comment: 'Комментарий (необязательно)', send: 'Отправить отзыв', stars: 'звёзд',
    thanks: 'Спасибо за ваш отзыв.', already_reviewed: 'Отзыв об этой встрече уже оставлен. Спасибо!',
    not_reviewable: 'Эту встречу нельзя оценить.', review_link_expired: 'Отзывы принимаются в течение 30 дней после встречи.', invalid: 'Эта ссылка для отзыва недействительна.',
  },
};

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
fieldset{border:0;padding:0}label{display:block;margin:.5rem 0}textarea{width:100%;min-height:6rem;font:inherit}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><main>${body}</main></body></html>`;
}

export function reviewForm(v: { locale: string; serviceName: string; specialistName: string; action: string; sig: string }): string {
  const loc = pickLocale(v.locale);
  const s = T[loc];
  const intro = s.intro.replace('{service}', v.serviceName).replace('{name}', v.specialistName);
  const stars = [5, 4, 3, 2, 1].map((n) => `<label><input type="radio" name="rating" value="${n}" required> ${'★'.repeat(n)}${'☆'.repeat(5 - n)} (${n} ${s.stars})</label>`).join('\n');
  return page(loc, s.title, `<h1>${e(s.title)}</h1><p>${e(intro)}</p>
<form method="post" action="${e(v.action)}"><input type="hidden" name="sig" value="${e(v.sig)}">
<fieldset><legend>${e(s.rating)}</legend>${stars}</fieldset>
<label for="comment">${e(s.comment)}</label><textarea id="comment" name="comment" maxlength="2000"></textarea>
<p><button type="submit">${e(s.send)}</button></p></form>`);
}

export function reviewMessage(locale: string, outcome: Outcome): string {
  const loc = pickLocale(locale);
  return page(loc, T[loc].title, `<h1>${e(T[loc].title)}</h1><p role="status">${e(T[loc][outcome])}</p>`);
}
