import { css } from 'lit';

export const styles = css`
  .card .head { margin-bottom: 8px; }
  .card .head h3 { margin: 0; }
  dl.facts { margin-bottom: var(--bw-gap); }
  .field { margin-bottom: var(--bw-gap); }
  .confirm { border: 1px solid var(--bw-color-border); border-radius: var(--bw-radius); padding: 10px; margin-top: var(--bw-gap); }
  button.link.danger-link { color: var(--bw-color-danger); margin-top: 8px; }
  .actions { margin-bottom: var(--bw-gap); }
`;
