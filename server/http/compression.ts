// Compression of dynamic answers (a team's slots are 150 KB of JSON, 8 KB compressed): brotli at
// quality 4 (11 costs far more CPU per request for a few % less) or gzip, for bodies of at
// least COMPRESS_MIN_BYTES. Server-sent events are never compressed (they must flush event by
// event) and neither is anything already encoded: the widget's precompressed files go out as
// built (server/http/static.ts), with their Content-Encoding untouched.
import compress from '@fastify/compress';
import fp from 'fastify-plugin';
import { constants } from 'node:zlib';

export const COMPRESS_MIN_BYTES = 1024;

export default fp(async (app) => {
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_MIN_BYTES,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    // JSON, text (not event streams), JavaScript/CSS of files without a precompressed copy.
    customTypes: /^text\/(?!event-stream)|[/+]json(?:;|$)|^application\/javascript|^image\/svg\+xml/u,
  });
}, { name: 'compression' });
