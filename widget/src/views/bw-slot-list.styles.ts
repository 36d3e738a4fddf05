import { css } from 'lit';

export const styles = css`
  ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(104px, 1fr)); gap: 8px; }
  button.slot { width: 100%; font-variant-numeric: tabular-nums; white-space: nowrap; padding-inline: 6px; }
  button.slot[aria-pressed='true'] { background: var(--bw-color-accent); color: var(--bw-color-accent-text); border-color: var(--bw-color-accent); }
`;
