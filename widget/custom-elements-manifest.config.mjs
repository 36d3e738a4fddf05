// Custom Elements Manifest of the widget and the console (tags, attributes, properties, events, CSS parts and
// custom properties, from the classes and their JSDoc). Run:
//   cem analyze --config widget/custom-elements-manifest.config.mjs
export default {
  globs: ['widget/src/**/*.component.ts'],
  exclude: ['widget/src/**/*.test.ts'],
  outdir: 'widget',
  litelement: true,
  dev: false,
  plugins: [
    {
      // `static properties = { x: { state: true } }` is internal state, and `attribute: false`
      // has no attribute: the analyzer lists both as attributes; correct that.
      name: 'bw-lit-state',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node) || !node.name) return;
        const props = node.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === 'properties' && m.initializer && ts.isObjectLiteralExpression(m.initializer));
        if (!props) return;
        const decl = moduleDoc.declarations?.find((d) => d.name === node.name.getText());
        if (!decl) return;
        for (const p of props.initializer.properties) {
          const text = p.initializer?.getText() ?? '';
          const name = p.name.getText();
          const state = /state:\s*true/.test(text);
          if (!state && !/attribute:\s*false/.test(text)) continue;
          decl.attributes = (decl.attributes ?? []).filter((a) => a.fieldName !== name && a.name !== name);
          const member = decl.members?.find((m) => m.name === name);
          if (member) {
            delete member.attribute;
            if (state) member.privacy = 'private';
          }
        }
      },
    },
    {
      // Classes are registered in x.ts files (Shoelace style), which the analyzer does not
      // follow from the component file: name each tag from its define('tag', Class) call.
      name: 'bw-tags-from-define',
      packageLinkPhase({ customElementsManifest }) {
        const tag = (name) => (name.startsWith('Booking')
          ? name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()
          : name.replace(/^(Bw|Bc)/, (p) => `${p.toLowerCase()}-`).replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase());
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.kind === 'class' && decl.customElement) decl.tagName ??= tag(decl.name);
          }
        }
      },
    },
  ],
};
