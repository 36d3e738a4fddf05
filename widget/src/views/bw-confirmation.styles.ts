import { css } from 'lit';

export const styles = css`
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0 0 var(--bw-gap); }
  dt { font-weight: 600; color: var(--bw-color-muted); }
  dd { margin: 0; }
  .link { display: flex; gap: 8px; flex-wrap: wrap; }
  .link input { flex: 1 1 200px; font-size: 0.9rem; }
  .actions { margin-top: var(--bw-gap); }
  @media (max-width: 420px) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 6px; } }
`;
