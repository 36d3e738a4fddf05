// The throwaway projects of frameworks.ts: each the smallest app its framework's own toolchain
// builds, using the packed `booking-widget` as an integrator would (installed from the tarball,
// defined through `booking-widget/define`, typed through the package's framework typings), with
// a listener on the hyphen event `booking-widget-error` that writes into #log. Versions are pinned.
// API is a closed port: the widget's first fetch fails and it reports that through the event,
// which proves the framework wired the listener under the event's real name.

export const API = 'http://127.0.0.1:9'; // discard port, nothing listens: a network error at once

export interface Project {
  name: string;
  /** Packages besides the tarball (exact versions, from the npm registry). */
  deps: Record<string, string>;
  files: Record<string, string>;
  /** The framework's build, as its own templates run it (type checks included). */
  build: string[][];
  /** Where the built static site lands. */
  out: string;
}

const html = (script: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>booking-widget</title></head>
<body><div id="root"></div>${script}</body></html>\n`;

const REACT = { react: '19.3.1', 'react-dom': '19.3.1' };

/** A strict browser tsconfig, as the frameworks' templates write one (with lib checks on). */
const tsconfig = (compilerOptions: Record<string, unknown>, include: string[]) => JSON.stringify({
  compilerOptions: { target: 'es2022', lib: ['es2022', 'dom', 'dom.iterable'], module: 'esnext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: false, types: [], ...compilerOptions },
  include,
}, null, 2);

export const projects: Project[] = [
  {
    // Babel's JSX (what CRA, older Next and many webpack apps use): the colon names failed here
    // ("Namespace tags are not supported by default").
    name: 'react-babel',
    deps: { ...REACT, webpack: '5.112.2', 'webpack-cli': '7.3.1', 'babel-loader': '10.1.1', '@babel/core': '8.1.2', '@babel/preset-react': '8.0.1', 'html-webpack-plugin': '5.6.8' },
    files: {
      'babel.config.json': JSON.stringify({ presets: [['@babel/preset-react', { runtime: 'automatic', development: false }]] }),
      'webpack.config.cjs': `const HtmlWebpackPlugin = require('html-webpack-plugin');
module.exports = {
  mode: 'production', entry: './src/index.jsx', output: { path: __dirname + '/dist', clean: true },
  resolve: { extensions: ['.js', '.jsx'] },
  module: { rules: [{ test: /\\.jsx$/, exclude: /node_modules/, use: 'babel-loader' }] },
  plugins: [new HtmlWebpackPlugin({ templateContent: ${JSON.stringify(html(''))} })],
};\n`,
      'src/index.jsx': `import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'booking-widget/define';

function App() {
  const [log, setLog] = useState([]);
  return (
    <>
      <booking-widget api="${API}" specialist="dr-weber" service="consultation"
        onbooking-widget-error={(e) => setLog((l) => [...l, 'error ' + e.detail.code])}></booking-widget>
      <pre id="log">{log.join('\\n')}</pre>
    </>
  );
}
createRoot(document.getElementById('root')).render(<App />);\n`,
    },
    build: [['npx', 'webpack', '--config', 'webpack.config.cjs']],
    out: 'dist',
  },
  {
    // TypeScript JSX with the package's React typings: an unknown value is a type error.
    name: 'react-ts',
    deps: { ...REACT, '@types/react': '19.3.0', '@types/react-dom': '19.3.0', typescript: '5.9.3', vite: '8.3.8', '@vitejs/plugin-react': '6.3.0' },
    files: {
      'index.html': html('<script type="module" src="/src/main.tsx"></script>'),
      'vite.config.ts': `import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\nexport default defineConfig({ plugins: [react()] });\n`,
      'tsconfig.json': tsconfig({ jsx: 'react-jsx' }, ['src']),
      'src/main.tsx': `import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'booking-widget/define';
import 'booking-widget/react';
import type { BookingWidgetEventDetails } from 'booking-widget';

function App() {
  const [log, setLog] = useState<string[]>([]);
  const onError = (e: CustomEvent<BookingWidgetEventDetails['booking-widget-error']>) => setLog((l) => [...l, \`error \${e.detail.code}\`]);
  return (
    <>
      <booking-widget api="${API}" specialist="dr-weber" service="consultation" theme="light" onbooking-widget-error={onError}
        onbooking-widget-booked={(e) => setLog((l) => [...l, e.detail.booking.id + ' ' + e.detail.manageUrl])}></booking-widget>
      {/* @ts-expect-error the typings know the element: theme is light or dark */}
      <booking-widget theme="blue" hidden></booking-widget>
      <pre id="log">{log.join('\\n')}</pre>
    </>
  );
}
const el: HTMLElementTagNameMap['booking-widget'] = document.createElement('booking-widget');
el.locale = 'en';
createRoot(document.getElementById('root')!).render(<App />);\n`,
    },
    build: [['npx', 'tsc', '-p', '.'], ['npx', 'vite', 'build']],
    out: 'dist',
  },
  {
    name: 'vue',
    deps: { vue: '3.5.45', vite: '8.3.8', '@vitejs/plugin-vue': '6.0.11', 'vue-tsc': '3.3.14', typescript: '5.9.3' },
    files: {
      'index.html': html('<script type="module" src="/src/main.ts"></script>'),
      'vite.config.ts': `import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
// Vue must not try to resolve booking-* as Vue components.
export default defineConfig({ plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('booking-') } } })] });\n`,
      'tsconfig.json': tsconfig({ jsx: 'preserve' }, ['src/**/*.ts', 'src/**/*.vue']),
      'src/env.d.ts': `declare module '*.vue' { import type { DefineComponent } from 'vue'; const c: DefineComponent; export default c; }\n`,
      'src/main.ts': `import { createApp } from 'vue';
import 'booking-widget/define';
import 'booking-widget/vue';
import App from './App.vue';
createApp(App).mount('#root');\n`,
      'src/App.vue': `<script setup lang="ts">
import { ref } from 'vue';
import type { BookingWidgetEventDetails } from 'booking-widget';
const log = ref<string[]>([]);
const api = '${API}';
function onError(e: CustomEvent<BookingWidgetEventDetails['booking-widget-error']>) { log.value.push(\`error \${e.detail.code}\`); }
</script>
<template>
  <booking-widget :api="api" specialist="dr-weber" service="consultation" theme="light" @booking-widget-error="onError"></booking-widget>
  <!-- @vue-expect-error the typings know the element: theme is light or dark -->
  <booking-widget theme="blue" hidden></booking-widget>
  <pre id="log">{{ log.join('\\n') }}</pre>
</template>\n`,
    },
    build: [['npx', 'vue-tsc', '-p', '.'], ['npx', 'vite', 'build']],
    out: 'dist',
  },
  {
    name: 'svelte',
    deps: { svelte: '5.57.3', vite: '8.3.8', '@sveltejs/vite-plugin-svelte': '7.3.1', 'svelte-check': '4.7.8', typescript: '5.9.3' },
    files: {
      'index.html': html('<script type="module" src="/src/main.ts"></script>'),
      'vite.config.ts': `import { defineConfig } from 'vite';\nimport { svelte } from '@sveltejs/vite-plugin-svelte';\nexport default defineConfig({ plugins: [svelte()] });\n`,
      'svelte.config.js': `export default {};\n`,
      'tsconfig.json': tsconfig({ verbatimModuleSyntax: true }, ['src/**/*.ts', 'src/**/*.svelte']),
      'src/main.ts': `import { mount } from 'svelte';
import 'booking-widget/define';
import 'booking-widget/svelte';
import App from './App.svelte';
mount(App, { target: document.getElementById('root')! });\n`,
      'src/App.svelte': `<script lang="ts">
  import type { BookingWidgetEventDetails } from 'booking-widget';
  let log: string[] = $state([]);
  const api = '${API}';
  const onError = (e: CustomEvent<BookingWidgetEventDetails['booking-widget-error']>) => { log.push(\`error \${e.detail.code}\`); };
</script>

<booking-widget {api} specialist="dr-weber" service="consultation" theme="light" onbooking-widget-error={onError}></booking-widget>
<pre id="log">{log.join('\\n')}</pre>\n`,
    },
    build: [['npx', 'svelte-check', '--fail-on-warnings', '--tsconfig', './tsconfig.json'], ['npx', 'vite', 'build']],
    out: 'dist',
  },
  {
    // Angular's application builder (esbuild) with the template type checker: the colon names
    // failed in its template parser.
    name: 'angular',
    deps: {
      '@angular/core': '22.2.6', '@angular/common': '22.2.6', '@angular/compiler': '22.2.6', '@angular/platform-browser': '22.2.6',
      '@angular/build': '22.2.7', '@angular/cli': '22.2.7', '@angular/compiler-cli': '22.2.6', rxjs: '7.8.2', tslib: '2.9.1', typescript: '6.0.3',
    },
    files: {
      'angular.json': JSON.stringify({
        version: 1, newProjectRoot: 'projects', cli: { analytics: false },
        projects: { app: { projectType: 'application', root: '', sourceRoot: 'src', architect: { build: {
          builder: '@angular/build:application',
          options: { browser: 'src/main.ts', index: 'src/index.html', tsConfig: 'tsconfig.json', outputPath: 'dist', optimization: true, budgets: [] },
        } } } },
      }, null, 2),
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'es2022', lib: ['es2022', 'dom'], module: 'preserve', moduleResolution: 'bundler', strict: true, skipLibCheck: false, types: [] }, angularCompilerOptions: { strictTemplates: true }, files: ['src/main.ts'] }, null, 2),
      'src/index.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>booking-widget</title><base href="/"></head><body><app-root></app-root></body></html>\n`,
      'src/main.ts': `import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import 'booking-widget/define';
import type { BookingWidgetEventDetails } from 'booking-widget';

@Component({
  selector: 'app-root',
  // <booking-widget> is a custom element, not an Angular component.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: \`<booking-widget [api]="api" specialist="dr-weber" service="consultation" theme="light" (booking-widget-error)="onError($event)"></booking-widget>
    <pre id="log">{{ log().join('\\\\n') }}</pre>\`,
})
class App {
  api = '${API}';
  log = signal<string[]>([]);
  onError(e: Event) {
    const { code } = (e as CustomEvent<BookingWidgetEventDetails['booking-widget-error']>).detail;
    this.log.update((l) => [...l, \`error \${code}\`]);
  }
}
bootstrapApplication(App).catch((err) => console.error(err));\n`,
    },
    build: [['npx', 'ng', 'build']],
    out: 'dist/browser',
  },
];
