import { css } from 'lit';

export const styles = css`
  .wrap { display: grid; gap: 2px; }
  .matches { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 0.9rem; }
  .current { font-size: 0.9rem; color: var(--bw-color-muted); }
`;
