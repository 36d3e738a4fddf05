// The widget bundle (built by Vite into dist/widget) and the demo page.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const widgetDist = path.join(root, 'dist/widget');
const demoDir = path.join(root, 'demo');

export default fp(async (app) => {
  await app.register(fastifyStatic, {
    root: widgetDist,
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

  const page = async (file: string) => readFile(path.join(demoDir, file), 'utf8');
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(await page('index.html')));
}, { name: 'static' });
