// Versioned widget URLs for pages that pin a release, with Subresource Integrity hashes:
//   /v/<version>/widget.js, /v/<version>/console.js and their chunks: the same files as
//     /widget.js and /console.js, cached for good (the version is in the address);
//   GET /integrity.json: each entry's versioned URL and its `sha384-` hash, to paste into
//     <script type="module" src integrity crossorigin>;
//   /widget-loader.js: the classic-script loader for CMSs (widget/loader.js) with the versioned
//     URLs and hashes written in, so what it adds to the page is pinned and verified.
// One server serves its own version only: the API and the widget change together, so a page
// pinned to another version must move with the server (its integrity hash makes that loud).
// Hashes are of the files as built (SRI checks the decoded body, so the .br/.gz copies match),
// recomputed when a file changes on disk (a rebuild without a restart).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { Type, type Static } from 'typebox';
import { HttpError } from './errors.ts';
import { errorResponses } from './types.ts';
import { projectRoot as root } from '../paths.ts';

export const RELEASE_VERSION: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const loaderSource = path.join(root, 'widget/loader.js');

const ReleaseFile = Type.Object({
  url: Type.String({ description: 'Versioned path on this server, e.g. /v/0.2.0/widget.js' }),
  integrity: Type.String({ description: 'Subresource Integrity hash (sha384) of the file as served' }),
});
const Integrity = Type.Object({
  version: Type.String({ description: 'The release this server serves' }),
  files: Type.Object({ 'widget.js': ReleaseFile, 'console.js': ReleaseFile }),
  loader: Type.String({ description: 'The classic-script loader for CMSs (not versioned: it names the versioned files)' }),
});
type Integrity = Static<typeof Integrity>;

const hashes = new Map<string, { key: string; integrity: string }>();
/** sha384 of a file, cached by size and modification time; null while it is not built. */
function sri(file: string): string | null {
  let key: string;
  try { const s = statSync(file); key = `${s.size}:${s.mtimeMs}`; } catch { return null; }
  const hit = hashes.get(file);
  if (hit?.key === key) return hit.integrity;
  const integrity = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
  hashes.set(file, { key, integrity });
  return integrity;
}

export default fp(async (app, opts: { widgetDir: string; consoleDir: string; cacheControl: { immutable: string; entry: string }; globIgnore: string[] }) => {
  const prefix = `/v/${RELEASE_VERSION}/`;
  for (const dist of [opts.widgetDir, opts.consoleDir]) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix,
      wildcard: false,
      index: false,
      decorateReply: false,
      preCompressed: true,
      globIgnore: opts.globIgnore,
      setHeaders(reply: { header(name: string, value: string): unknown }, file: string) {
        reply.header('access-control-allow-origin', '*');
        reply.header('cache-control', file.endsWith('.map') ? 'no-cache' : opts.cacheControl.immutable);
      },
    });
  }

  const current = (): Integrity | null => {
    const widget = sri(path.join(opts.widgetDir, 'widget.js'));
    const consoleJs = sri(path.join(opts.consoleDir, 'console.js'));
    if (!widget || !consoleJs) return null;
    return {
      version: RELEASE_VERSION,
      files: {
        'widget.js': { url: `${prefix}widget.js`, integrity: widget },
        'console.js': { url: `${prefix}console.js`, integrity: consoleJs },
      },
      loader: '/widget-loader.js',
    };
  };

  app.get('/integrity.json', {
    schema: {
      summary: 'The widget release this server serves: versioned URLs and SRI hashes',
      tags: ['widget'],
      response: { 200: Integrity, ...errorResponses(503) },
    },
  }, async (_req, reply) => {
    const now = current();
    if (!now) throw new HttpError(503, 'not_built', 'The widget is not built yet: run `npm run build`.');
    return reply.header('access-control-allow-origin', '*').header('cache-control', opts.cacheControl.entry).send(now);
  });

  app.get('/widget-loader.js', { schema: { hide: true } }, async (_req, reply) => {
    const now = current();
    const files = now
      ? { widget: { src: now.files['widget.js'].url, integrity: now.files['widget.js'].integrity }, console: { src: now.files['console.js'].url, integrity: now.files['console.js'].integrity } }
      : { widget: { src: '/widget.js' }, console: { src: '/console.js' } }; // not built yet: what /widget.js will be
    const script = readFileSync(loaderSource, 'utf8').replace(/\/\*BW_FILES\*\/[\s\S]*?\/\*BW_FILES_END\*\//, JSON.stringify(files));
    return reply.type('text/javascript; charset=utf-8').header('access-control-allow-origin', '*')
      .header('cache-control', opts.cacheControl.entry).send(script);
  });
}, { name: 'releases' });
