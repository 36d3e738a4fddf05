import { css } from 'lit';

export const styles = css`
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--bw-gap); }
  button.service {
    width: 100%; text-align: start; display: grid; gap: 4px; justify-items: start; justify-content: stretch; padding: 14px 16px;
    background: var(--bw-color-bg);
  }
  .name { font-weight: 700; font-size: 1.05rem; }
  .meta { color: var(--bw-color-muted); font-size: 0.95rem; }
`;
