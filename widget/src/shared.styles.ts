// Styles every part of the widget shares: theme tokens (custom properties, inherited through the
// shadow roots from <booking-widget>'s :host), buttons, fields, focus rings, messages.
import { css } from 'lit';

/** The dark palette: theme="dark", or theme="auto" on a page whose visitor prefers dark. */
const darkPalette = css`
  --bw-color-bg: #15181d;
  --bw-color-surface: #20242b;
  --bw-color-text: #e9ecf1;
  --bw-color-muted: #aab3c0;
  --bw-color-border: #4a525e;
  --bw-color-accent: #8ab4f8;
  --bw-color-accent-text: #0b1220;
  --bw-color-accent-soft: #233247;
  --bw-color-danger: #f2b8b5;
  --bw-color-success: #8fd19e;
  --bw-focus: 0 0 0 3px #15181d, 0 0 0 5px #8ab4f8;
  color-scheme: dark;
`;

/** Default theme tokens, light and dark; the host page overrides any of them on the element. */
export const themeTokens = css`
  :host {
    --bw-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --bw-font-size: 1rem;
    --bw-color-bg: #ffffff;
    --bw-color-surface: #f4f6f9;
    --bw-color-text: #1d2330;
    --bw-color-muted: #4f5968;
    --bw-color-border: #c5ccd6;
    --bw-color-accent: #1f5fbf;
    --bw-color-accent-text: #ffffff;
    --bw-color-accent-soft: #e3ecfa;
    --bw-color-danger: #b3261e;
    --bw-color-success: #1e6b34;
    --bw-radius: 10px;
    --bw-gap: 12px;
    --bw-focus: 0 0 0 3px #ffffff, 0 0 0 5px #1f5fbf;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    /* Light unless asked: a dark box inside a light host page looks broken. */
    :host([theme='auto']) {
      ${darkPalette}
    }
  }
  :host([theme='dark']) {
    ${darkPalette}
  }
`;

export const base = css`
  :host { display: block; font-family: var(--bw-font); color: var(--bw-color-text); }
  *, *::before, *::after { box-sizing: border-box; }
  h2, h3 { margin: 0 0 var(--bw-gap); line-height: 1.25; }
  h2 { font-size: 1.25rem; }
  h3 { font-size: 1.05rem; }
  p { margin: 0 0 var(--bw-gap); }
  [hidden] { display: none !important; }
  :focus-visible { outline: none; box-shadow: var(--bw-focus); }
  /* Headings take focus only to start a new view there; they are not controls. */
  [tabindex='-1']:focus-visible { box-shadow: none; }
  .muted { color: var(--bw-color-muted); }
  .row { display: flex; flex-wrap: wrap; gap: var(--bw-gap); align-items: center; }
  .sr-only {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
  button, .button {
    font: inherit; cursor: pointer; border-radius: var(--bw-radius); min-height: 44px; padding: 8px 16px;
    border: 1px solid var(--bw-color-border); background: var(--bw-color-bg); color: var(--bw-color-text);
    text-decoration: none; display: inline-flex; align-items: center; justify-content: center; gap: 6px;
  }
  button:hover, .button:hover { border-color: var(--bw-color-accent); }
  button.primary, .button.primary {
    background: var(--bw-color-accent); color: var(--bw-color-accent-text); border-color: var(--bw-color-accent); font-weight: 600;
  }
  button.danger { color: var(--bw-color-danger); border-color: currentColor; }
  button[disabled], button[aria-disabled='true'] { cursor: not-allowed; opacity: 0.6; }
  button.link { border: 0; background: none; padding: 4px; min-height: 24px; color: var(--bw-color-accent); text-decoration: underline; }
  label { display: block; font-weight: 600; margin-bottom: 4px; }
  input, select, textarea {
    font: inherit; width: 100%; padding: 10px 12px; border-radius: calc(var(--bw-radius) - 4px); min-height: 44px;
    border: 1px solid var(--bw-color-border); background: var(--bw-color-bg); color: var(--bw-color-text);
  }
  [aria-invalid='true'] { border-color: var(--bw-color-danger); }
  .error { color: var(--bw-color-danger); font-size: 0.95rem; margin: 4px 0 0; }
  .notice {
    border-radius: var(--bw-radius); padding: 10px 12px; margin: 0 0 var(--bw-gap);
    background: var(--bw-color-surface); border-left: 4px solid var(--bw-color-accent);
  }
  .notice.bad { border-left-color: var(--bw-color-danger); }
  .notice.good { border-left-color: var(--bw-color-success); }
  a { color: var(--bw-color-accent); }
`;
