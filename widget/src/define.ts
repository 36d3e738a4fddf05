// Registers a tag once: loading widget.js twice (two embeds, a bundler plus a script tag) must
// not throw "already defined".
export function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}
