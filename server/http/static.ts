// The widget bundle (built by Vite into dist/widget), the console's (dist/console) and its page
// at /console, and, outside production, the demo pages. The build writes .br and .gz beside each
// file (widget/precompress.ts): they are sent as they are by content negotiation, with
// `Vary: Accept-Encoding`, so nothing is compressed per request. Old specialist and admin
// addresses redirect to the console, so a link in an email sent before it existed still lands
// somewhere useful.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import releasesPlugin from './releases.ts';
import { projectRoot as root } from '../paths.ts';

export const widgetDist = path.join(root, 'dist/widget');
export const consoleDist = path.join(root, 'dist/console');
const consolePage = path.join(root, 'widget/console.html');
const serviceWorker = path.join(root, 'widget/console-sw.js');
const demoDir = path.join(root, 'demo');
/** The React and Vue demo apps, built by `vite build --config demo/vite.config.ts`. */
const demoDist = path.join(root, 'dist/demo');

/**
 * Chunk names carry a content hash (Vite's `[name]-[hash]`): they never change, so cache them for
 * good. `file` is what is sent, which may be the .br or .gz copy.
 */
const HASHED = /-[A-Za-z0-9_-]{8,}\.(js|css)(\.br|\.gz)?$/;
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** widget.js and console.js keep their names across releases: short freshness, then a cheap revalidation (ETag, 304). */
export const CACHE_ENTRY = 'public, max-age=300, must-revalidate';

type HeaderReply = { header(name: string, value: string): unknown };

export default fp(async (app, opts: { widgetDir?: string; consoleDir?: string }) => {
  const production = app.config.nodeEnv === 'production';
  // The compressed copies are reached through negotiation only; source maps (full sources)
  // are a development aid and are not served in production.
  const globIgnore = ['**/*.br', '**/*.gz', ...(production ? ['**/*.map'] : [])];

  for (const dist of [opts.widgetDir ?? widgetDist, opts.consoleDir ?? consoleDist]) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      preCompressed: true,
      globIgnore,
      // Module scripts load in CORS mode from the embedding site; these files are public.
      setHeaders(reply: HeaderReply, file: string) {
        reply.header('access-control-allow-origin', '*');
        reply.header('cache-control', HASHED.test(file) ? CACHE_IMMUTABLE : file.endsWith('.map') ? 'no-cache' : CACHE_ENTRY);
      },
    });
  }

  // The same files under /v/<version>/ with SRI hashes, and the classic-script loader for CMSs.
  await app.register(releasesPlugin, {
    widgetDir: opts.widgetDir ?? widgetDist, consoleDir: opts.consoleDir ?? consoleDist,
    cacheControl: { immutable: CACHE_IMMUTABLE, entry: CACHE_ENTRY }, globIgnore,
  });

  // The console page: the <booking-console> element on a page of its own.
  for (const url of ['/console', '/console/']) {
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(consolePage, 'utf8')));
  }
  // The console's service worker (Web Push): under /console/ so its scope is the console.
  app.get('/console/sw.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(serviceWorker, 'utf8')));
  // Addresses people (and older emails) use for the specialist's and owner's side.
  for (const old of ['/specialist', '/specialist/', '/admin', '/admin/', '/dashboard', '/dashboard/']) {
    app.get(old, { schema: { hide: true } }, async (req, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`/console/${query}`, 302);
    });
  }

  if (production) return; // no demo pages: `/` answers 404 like any other unknown path

  // The demo apps' hashed bundles (React and Vue included: the pages work offline).
  await app.register(fastifyStatic, {
    root: path.join(demoDist, 'assets'),
    prefix: '/demo/assets/',
    wildcard: true, // looked up per request: the demos may be built after start-up
    index: false,
    decorateReply: false,
    preCompressed: true,
    allowedPath: (pathname: string) => !/\.(br|gz)$/.test(pathname),
    setHeaders(reply: HeaderReply) {
      reply.header('cache-control', CACHE_IMMUTABLE);
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
}, { name: 'static', dependencies: ['config'] });
