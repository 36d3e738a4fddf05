import { css } from 'lit';

export const styles = css`
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0 0 var(--bw-gap); }
  dt { font-weight: 600; color: var(--bw-color-muted); }
  dd { margin: 0; }
  .confirm { border: 1px solid var(--bw-color-border); border-radius: var(--bw-radius); padding: 12px; margin-top: var(--bw-gap); }
  @media (max-width: 420px) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 6px; } }
`;
