// The widget bundle (built by Vite into dist/widget), the console's (dist/console) and its page
// at /console, and the demo page. Old specialist and admin addresses redirect to the console, so
// a link in an email sent before it existed still lands somewhere useful.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const widgetDist = path.join(root, 'dist/widget');
export const consoleDist = path.join(root, 'dist/console');
const consolePage = path.join(root, 'widget/console.html');
const demoDir = path.join(root, 'demo');
/** The React and Vue demo apps, built by `vite build --config demo/vite.config.ts`. */
const demoDist = path.join(root, 'dist/demo');

export default fp(async (app) => {
  for (const dist of [widgetDist, consoleDist]) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      // Module scripts load in CORS mode from the embedding site; these files are public.
      setHeaders(reply: { header(name: string, value: string): unknown }, file: string) {
        reply.header('access-control-allow-origin', '*');
        const hashed = /-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(file);
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      },
    });
  }

  // The console page: the <booking-console> element on a page of its own.
  for (const url of ['/console', '/console/']) {
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(consolePage, 'utf8')));
  }
  // Addresses people (and older emails) use for the specialist's and owner's side.
  for (const old of ['/specialist', '/specialist/', '/admin', '/admin/', '/dashboard', '/dashboard/']) {
    app.get(old, { schema: { hide: true } }, async (req, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`/console/${query}`, 302);
    });
  }

  // The demo apps' hashed bundles (React and Vue included: the pages work offline).
  await app.register(fastifyStatic, {
    root: path.join(demoDist, 'assets'),
    prefix: '/demo/assets/',
    wildcard: true, // looked up per request: the demos may be built after start-up
    index: false,
    decorateReply: false,
    setHeaders(reply: { header(name: string, value: string): unknown }) {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });

  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(await readFile(path.join(demoDir, 'index.html'), 'utf8')));
  for (const name of ['react', 'vue']) {
    app.get(`/demo/${name}`, { schema: { hide: true } }, async (_req, reply) => {
      const html = await readFile(path.join(demoDist, `${name}.html`), 'utf8').catch(() => null);
      if (html === null) return reply.status(404).type('text/plain').send('Demo not built: run `npm run build`.');
      return reply.type('text/html; charset=utf-8').send(html);
    });
  }
}, { name: 'static' });
