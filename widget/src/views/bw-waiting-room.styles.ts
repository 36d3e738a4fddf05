import { css } from 'lit';

export const styles = css`
  .count { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 8px 0 var(--bw-gap); }
  .who { font-size: 1.1rem; }
`;
