import { css } from 'lit';

export const styles = css`
  textarea#snippet { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9rem; }
  .actions { align-items: center; margin: 8px 0; }
  .preview { border: 1px dashed var(--bw-color-border); border-radius: var(--bw-radius); padding: 12px; margin: var(--bw-gap) 0; background: var(--bw-color-surface); }
  ul.plain { list-style: none; padding: 0; margin: 0 0 var(--bw-gap); display: grid; gap: 6px; }
  ul.plain li { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
  input[type='color'] { padding: 4px; height: 44px; }
`;
