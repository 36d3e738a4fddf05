// The package's Custom Elements Manifest: the two public elements only (<booking-widget>,
// <booking-console>; their internal bw-*/bc-* parts are not an API), at the paths the package
// ships (dist/index.js, dist/console.js), with typed events (the deprecated colon aliases marked
// deprecated), attributes, parts and custom properties. Run from the repository root by build.ts.
import widgetConfig from '../../widget/custom-elements-manifest.config.mjs';

/** Public element: its source, the package module it ships in, its event-details type. */
const PUBLIC = {
  BookingWidget: { tag: 'booking-widget', module: 'dist/index.js', details: 'BookingWidgetEventDetails' },
  BookingConsole: { tag: 'booking-console', module: 'dist/console.js', details: 'BookingConsoleEventDetails' },
};

export default {
  ...widgetConfig,
  globs: ['widget/src/booking-widget.component.ts', 'widget/src/console/booking-console.component.ts'],
  exclude: [],
  outdir: 'packages/booking-widget/dist',
  packagejson: false, // the analyzer would point the root package.json at this manifest
  plugins: [
    ...widgetConfig.plugins,
    {
      name: 'bw-public-package',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          mod.declarations = (mod.declarations ?? []).filter((d) => PUBLIC[d.name]);
          const decl = mod.declarations[0];
          if (!decl) continue;
          const pub = PUBLIC[decl.name];
          mod.path = pub.module;
          decl.tagName = pub.tag;
          // Only what an integrator can set or read: documented public fields (test hooks are @internal).
          decl.members = (decl.members ?? []).filter((m) => !m.privacy && !m.static && (m.attribute || m.description));
          const events = [];
          for (const e of decl.events ?? []) {
            const type = { text: `CustomEvent<${pub.details}['${e.name}']>` };
            events.push({ ...e, type });
            const alias = e.name.replace(/^(booking-\w+)-/, '$1:');
            events.push({ name: alias, type, description: `Deprecated alias of ${e.name}, fired right after it.`, deprecated: `Listen to ${e.name}; the colon names go in 0.3.` });
          }
          decl.events = events;
          mod.exports = [
            { kind: 'js', name: decl.name, declaration: { name: decl.name, module: pub.module } },
            { kind: 'custom-element-definition', name: pub.tag, declaration: { name: decl.name, module: pub.module.replace(/\.js$/, '-define.js').replace('index-define', 'define') } },
          ];
        }
        customElementsManifest.modules = customElementsManifest.modules.filter((m) => m.declarations.length);
        customElementsManifest.schemaVersion = '2.1.0';
      },
    },
  ],
};
