import { css } from 'lit';

export const styles = css`
  section { border-top: 1px solid var(--bw-color-border); margin-top: var(--bw-gap); padding-top: var(--bw-gap); }
  h3, h4 { margin: 0 0 8px; }
  form { display: grid; gap: 6px; max-width: 320px; }
  ul.history { list-style: none; padding: 0; margin: 0 0 var(--bw-gap); display: grid; gap: 8px; }
  .summary { white-space: pre-wrap; margin: 4px 0 0; }
  .erase { border: 1px solid var(--bw-color-border); border-radius: var(--bw-radius); padding: 12px; display: grid; gap: 8px; }
  .check { display: flex; gap: 8px; align-items: center; }
`;
