import { css } from 'lit';

export const styles = css`
  .count { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 8px 0 var(--bw-gap); }
  .who { font-size: 1.1rem; }
  .check { display: flex; gap: 8px; align-items: flex-start; margin: 0 0 var(--bw-gap); }
`;
