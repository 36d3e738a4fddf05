import { css } from 'lit';

export const styles = css`
  :host {
    /* A flex column, so the shell fills whatever height the page gives the element. */
    display: flex;
    flex-direction: column;
    container-type: inline-size;
    font-size: var(--bw-font-size);
    line-height: 1.5;
    --bc-menu-width: 220px;
  }
  .shell {
    flex: 1; background: var(--bw-color-surface); color: var(--bw-color-text);
    display: grid; grid-template-rows: auto auto 1fr; grid-template-columns: minmax(0, 1fr);
  }
  /* Grid items may shrink below their content (the menu scrolls sideways on narrow screens). */
  .shell > * { min-width: 0; }
  header {
    display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 10px 16px;
    background: var(--bw-color-bg); border-bottom: 1px solid var(--bw-color-border);
  }
  .brand { font-weight: 700; font-size: 1.1rem; margin-right: auto; }
  .who { color: var(--bw-color-muted); }
  nav { background: var(--bw-color-bg); border-bottom: 1px solid var(--bw-color-border); }
  nav ul { list-style: none; margin: 0; padding: 6px 8px; display: flex; flex-wrap: wrap; gap: 4px; }
  .menu-item { border-color: transparent; background: none; white-space: nowrap; font-weight: 500; }
  .menu-item[aria-current='page'] { background: var(--bw-color-accent-soft); border-color: var(--bw-color-accent); color: var(--bw-color-text); font-weight: 700; }
  main { padding: 16px; min-width: 0; }
  main > .loading { color: var(--bw-color-muted); }
  @container (min-width: 900px) {
    .shell.signed-in { grid-template-columns: var(--bc-menu-width) minmax(0, 1fr); grid-template-rows: auto 1fr; }
    .shell.signed-in header { grid-column: 1 / -1; }
    nav { border-bottom: 0; border-right: 1px solid var(--bw-color-border); }
    nav ul { flex-direction: column; flex-wrap: nowrap; padding: 12px 8px; }
    .menu-item { width: 100%; justify-content: flex-start; }
    main { padding: 24px 28px; }
  }
`;
