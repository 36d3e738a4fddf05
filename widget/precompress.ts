// A Vite plugin that writes a .br and a .gz beside every text file of the build, at the highest
// levels (too slow per request, free at build time). The server sends them as they are by
// content negotiation (server/http/static.ts) and compresses nothing of these per request.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json)$/;
/** Below this a compressed copy saves less than its own headers cost. */
const MIN_BYTES = 1024;

export function precompressFile(file: string): { raw: number; br: number | null; gzip: number | null } {
  const body = readFileSync(file);
  if (body.length < MIN_BYTES) return { raw: body.length, br: null, gzip: null };
  const br = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const gz = gzipSync(body, { level: 9 });
  // A copy that is not smaller is not written: the server then sends the file itself.
  if (br.length < body.length) writeFileSync(`${file}.br`, br);
  if (gz.length < body.length) writeFileSync(`${file}.gz`, gz);
  return { raw: body.length, br: br.length < body.length ? br.length : null, gzip: gz.length < body.length ? gz.length : null };
}

export function precompress(): Plugin {
  return {
    name: 'bw-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? path.dirname(options.file ?? '.');
      for (const fileName of Object.keys(bundle)) {
        if (COMPRESSIBLE.test(fileName)) precompressFile(path.join(dir, fileName));
      }
    },
  };
}
