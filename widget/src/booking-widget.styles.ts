import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    container-type: inline-size;
    font-size: var(--bw-font-size);
    line-height: 1.5;
    max-width: 960px;
    min-width: 0;
  }
  .panel {
    background: var(--bw-color-bg);
    color: var(--bw-color-text);
    border: 1px solid var(--bw-color-border);
    border-radius: var(--bw-radius);
    padding: 16px;
  }
  .top { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 12px; margin-bottom: 12px; }
  .title { font-weight: 700; font-size: 1.1rem; }
  .pick { display: grid; gap: 20px; }
  .side { display: grid; gap: 16px; align-content: start; }
  .summary { background: var(--bw-color-surface); border-radius: var(--bw-radius); padding: 10px 12px; margin-bottom: 12px; }
  .loading { padding: 24px 0; color: var(--bw-color-muted); }
  .back { margin-bottom: 8px; }
  @container (min-width: 640px) {
    .panel { padding: 24px; }
    .pick { grid-template-columns: minmax(300px, 1.1fr) 1fr; }
  }
`;
