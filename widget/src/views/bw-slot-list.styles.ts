import { css } from 'lit';

export const styles = css`
  ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); gap: 8px; }
  button.slot { width: 100%; font-variant-numeric: tabular-nums; }
  button.slot[aria-pressed='true'] { background: var(--bw-color-accent); color: var(--bw-color-accent-text); border-color: var(--bw-color-accent); }
`;
