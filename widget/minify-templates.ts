// A Vite plugin that collapses the indentation inside Lit's html`` and css`` templates of the
// widget's own sources (the minifier leaves template text alone). A run of whitespace that holds
// a line break becomes one space: the same rendering in HTML and CSS, a few KB less to ship.
import type { Plugin } from 'vite';

const TEMPLATE = /\b(html|css)`((?:\\[\s\S]|\$\{(?:[^{}]|\{[^{}]*\})*\}|[^\\`$]|\$(?!\{))*)`/g;

export function collapse(source: string): string {
  return source.replace(TEMPLATE, (_m, tag: string, body: string) => {
    // Only the literal parts change: whitespace inside ${...} expressions is code.
    const out = body.replace(/(\$\{(?:[^{}]|\{[^{}]*\})*\})|[ \t]*\n\s*/g, (m, expr: string | undefined) => expr ?? ' ');
    return `${tag}\`${out}\``;
  });
}

export function minifyTemplates(): Plugin {
  return {
    name: 'bw-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/widget\/src\/.*\.ts$/.test(id) || id.endsWith('.test.ts')) return null;
      return { code: collapse(code), map: null };
    },
  };
}
