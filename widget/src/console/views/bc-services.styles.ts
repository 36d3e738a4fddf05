import { css } from 'lit';

export const styles = css`
  ul.plain { list-style: none; margin: 0; padding: 0; }
  .card .head { margin-bottom: 4px; }
  .card .head h3 { margin: 0; }
  .editor { display: grid; gap: 12px; }
  .editor h3 { margin: 0; }
  .question { border-bottom: 1px dashed var(--bw-color-border); padding-bottom: 10px; margin-bottom: 10px; display: grid; gap: 8px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 200px), 1fr)); align-items: end; }
  button.link.remove { color: var(--bw-color-danger); }
`;
