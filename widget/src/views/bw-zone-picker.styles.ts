import { css } from 'lit';

export const styles = css`
  .wrap { display: grid; gap: 2px; }
  .current { font-size: 0.9rem; color: var(--bw-color-muted); }
`;
