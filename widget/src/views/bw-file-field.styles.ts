import { css } from 'lit';

export const styles = css`
  :host { display: grid; gap: 4px; }
  .hint { margin: 0; font-size: 0.9rem; color: var(--bw-color-muted); }
  .status { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; min-height: 1.2em; }
  progress { width: min(240px, 100%); accent-color: var(--bw-color-accent); }
  .req { color: var(--bw-color-danger); }
`;
